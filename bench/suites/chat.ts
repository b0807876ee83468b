// Issue 3: the command core with no network (parse → use case → database → reply
// text) against the province database: a mix of /viec and /xong from many
// officers (throughput and latency), and the chair's province-wide /tinhhinh,
// each next to a hand-written floor timed in the same run.
// It completes tasks and links officers, so it runs after suites that read the province as built.
// The mix runs as BENCH_CHAT_STREAMS concurrent command streams against one core (default:
// 1 on SQLite, whose one connection serialises them anyway; 8 on PostgreSQL, each on a
// connection of the pool), latencies measured inside it.
// Sizes: BENCH_CHAT_COMMANDS (per mix, 20,000), BENCH_CHAT_OFFICERS (2,000), BENCH_CHAT_STATUS_RUNS (100).
import { and, asc, count, eq, gte, isNull, like } from 'drizzle-orm';
import { DEFAULT_NEAR_DEADLINE_DAYS } from '../../src/app/report.service.ts';
import { createBotCore } from '../../src/bot/core.ts';
import type { IncomingMessage } from '../../src/bot/types.ts';
import { loadConfig } from '../../src/config.ts';
import { openDb, type Db } from '../../src/db/open.ts';
import { parsePeriod } from '../../src/domain/period.ts';
import { createLogger } from '../../src/log.ts';
import { bareQuery, bareWrite } from '../bare.ts';
import { rng, ZONE } from '../province.ts';
import { percentile, round } from '../stats.ts';
import { FLOOR_SQL } from './core.ts';
import type { Suite } from './suite.ts';

interface BenchOfficer {
  userId: string;
  unitId: number;
  /** Open tasks of the officer's unit, each completed once by this officer. */
  tasks: string[];
}

/** The read floor: one unit's open tasks by deadline, straight from the partial index, nothing else. */
const READ_FLOOR_SQL = `SELECT code, title, effective_deadline FROM tasks
  WHERE unit_id = ? AND completed_at IS NULL ORDER BY effective_deadline, code LIMIT 61`;

/** The write floor: one committed one-row update (the same durability as /xong: a flushed commit). */
const WRITE_FLOOR_SQL = 'UPDATE tasks SET updated_at = updated_at + 1 WHERE id = ?';

/**
 * One officer (with a linked Telegram account) in each of `count` units spread
 * over the tree, each unit holding at least `tasksEach` open tasks; and a chair
 * of the root unit. Plain inserts: this is setup, not what is measured.
 */
async function addOfficers(db: Db, count_: number, tasksEach: number, now: number): Promise<{ officers: BenchOfficer[]; chair: string }> {
  const { tasks, units, officers: officerT, chatAccounts } = db.t;
  const eligible = await db.orm
    .select({ unitId: tasks.unitId })
    .from(tasks)
    .where(isNull(tasks.completedAt))
    .groupBy(tasks.unitId)
    .having(gte(count(), tasksEach))
    .orderBy(asc(tasks.unitId));
  if (eligible.length === 0) throw new Error(`no unit has ${tasksEach} open tasks`);
  const n = Math.min(count_, eligible.length);
  const step = eligible.length / n;
  return db.tx(async (tx) => {
    const link = async (code: string, name: string, unitId: number, role: 'officer' | 'chair', title: string) => {
      const [{ id }] = await tx.orm.insert(officerT).values({ code, fullName: name, unitId, role, title }).returning({ id: officerT.id });
      const userId = `bench-${id}`;
      await tx.orm.insert(chatAccounts).values({ channel: 'telegram', externalId: userId, officerId: id, privateChatId: `p-${userId}`, linkedAt: now });
      return userId;
    };
    const officers: BenchOfficer[] = [];
    for (let i = 0; i < n; i++) {
      const { unitId } = eligible[Math.floor(i * step)];
      const open = await tx.orm
        .select({ code: tasks.code })
        .from(tasks)
        .where(and(eq(tasks.unitId, unitId), isNull(tasks.completedAt)))
        .orderBy(asc(tasks.effectiveDeadline), asc(tasks.code))
        .limit(tasksEach);
      officers.push({ userId: await link(`BENCH-CB-${unitId}`, `Cán bộ ${unitId}`, unitId, 'officer', 'Chuyên viên'), unitId, tasks: open.map((r) => r.code) });
    }
    const [root] = await tx.orm.select({ id: units.id }).from(units).where(isNull(units.parentId)).orderBy(asc(units.id)).limit(1);
    const chair = await link('BENCH-CT', 'Chủ tịch UBND tỉnh', root.id, 'chair', 'Chủ tịch');
    return { officers, chair };
  });
}

function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const p = (xs: number[], q: number, digits = 2) => round(percentile(xs, q), digits);

export const chatSuite: Suite = async ({ db, now, target }) => {
  const commands = Number(process.env.BENCH_CHAT_COMMANDS ?? 20_000);
  const officerCount = Number(process.env.BENCH_CHAT_OFFICERS ?? 2000);
  const statusRuns = Number(process.env.BENCH_CHAT_STATUS_RUNS ?? 100);
  const streams = Math.max(1, Number(process.env.BENCH_CHAT_STREAMS ?? (db.engine === 'postgres' ? 8 : 1)));
  // Each officer sends `rounds` /viec and `rounds` /xong in each of the two mixes; two more tasks: warm-up and the floor pass.
  const rounds = Math.max(1, Math.ceil(commands / 2 / officerCount));
  const { officers, chair } = await addOfficers(db, officerCount, 2 * rounds + 2, now);

  const config = { ...loadConfig({}), zone: ZONE };
  const log = createLogger('warn');
  const core = createBotCore({ db, config, log });
  let update = 0;
  // As a channel adapter hands it over: a private chat, with the update id that makes it handled once.
  const send = async (userId: string, text: string, via = core): Promise<string> => {
    const msg: IncomingMessage = { channel: 'telegram', chatId: `p-${userId}`, chatType: 'private', userId, text, updateKey: String(++update) };
    const replies = await via.handle(msg, now);
    return replies.map((r) => r.text).join('\n');
  };
  const next = new Map(officers.map((o) => [o, 0]));
  const nextTask = (o: BenchOfficer) => {
    const i = next.get(o)!;
    next.set(o, i + 1);
    return o.tasks[i];
  };
  // Every reply is checked, so a refusal or an error can never pass for a fast answer.
  const expect = (reply: string, re: RegExp, what: string) => {
    if (!re.test(reply)) throw new Error(`${what}: unexpected reply ${JSON.stringify(reply.slice(0, 200))}`);
  };
  const VIEC = /^Nhiệm vụ chưa hoàn thành của /;
  const XONG = /^✅? ?Đã ghi nhận: \S+ hoàn thành/;

  // Warm-up (statements prepared, code compiled, connections open), as in a server that has been running.
  for (const o of officers.slice(0, 500)) {
    expect(await send(o.userId, '/viec'), VIEC, '/viec');
    expect(await send(o.userId, `/xong ${nextTask(o)}`), XONG, '/xong');
  }
  for (const o of officers.slice(500)) next.set(o, 1);

  // A mix in a shuffled order: each officer's /viec and /xong land among everyone else's,
  // `streams` commands in flight at any time (each stream sends its next one when answered).
  const runMix = async (seed: number, via = core) => {
    const mix = shuffle(
      officers.flatMap((o) => Array.from({ length: 2 * rounds }, (_, i) => ({ o, viec: i % 2 === 0 }))),
      rng(seed),
    );
    const viecMs: number[] = [];
    const xongMs: number[] = [];
    let at = 0;
    const stream = async () => {
      while (at < mix.length) {
        const { o, viec } = mix[at++];
        const text = viec ? '/viec' : `/xong ${nextTask(o)}`;
        const s = performance.now();
        const reply = await send(o.userId, text, via);
        (viec ? viecMs : xongMs).push(performance.now() - s);
        expect(reply, viec ? VIEC : XONG, text);
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: streams }, stream));
    return { perSec: mix.length / ((performance.now() - t0) / 1000), viecMs, xongMs };
  };
  const { tasks, officers: officerT } = db.t;
  const completedByBench = async () =>
    (await db.orm.select({ n: count() }).from(tasks).innerJoin(officerT, eq(officerT.id, tasks.completedBy)).where(like(officerT.code, 'BENCH-CB-%')))[0].n;
  const before = await completedByBench();
  const { perSec, viecMs, xongMs } = await runMix(3);
  const done = (await completedByBench()) - before;
  if (done !== xongMs.length) throw new Error(`${done} tasks completed, ${xongMs.length} /xong sent`);

  // The same mix again without the flush per commit: how much of the time the durable commits
  // take. A diagnostic only; the app keeps its durable setting.
  const noFsync = await withoutFsync(db, target, (relaxed) => runMix(4, relaxed === db ? core : createBotCore({ db: relaxed, config, log })));

  // The floors, interleaved with the same commands so that machine noise hits both alike.
  const readFloor = bareQuery(db, READ_FLOOR_SQL);
  const writeFloor = bareWrite(db, WRITE_FLOOR_SQL);
  const readFloorMs: number[] = [];
  const writeFloorMs: number[] = [];
  const viecPairMs: number[] = [];
  const xongPairMs: number[] = [];
  for (const o of officers) {
    const code = nextTask(o);
    const [{ id }] = await db.orm.select({ id: tasks.id }).from(tasks).where(eq(tasks.code, code));
    let s = performance.now();
    await readFloor([o.unitId]);
    readFloorMs.push(performance.now() - s);
    s = performance.now();
    await send(o.userId, '/viec');
    viecPairMs.push(performance.now() - s);
    s = performance.now();
    await writeFloor([id]);
    writeFloorMs.push(performance.now() - s);
    s = performance.now();
    expect(await send(o.userId, `/xong ${code}`), XONG, `/xong ${code}`);
    xongPairMs.push(performance.now() - s);
  }

  // The chair's /tinhhinh: the whole province, the current year, against the report floor over the same tasks.
  const period = parsePeriod('', now, ZONE);
  const asOf = Math.min(now, period.to);
  // Tasks assigned by the as-of instant, as the report counts them.
  const q = { asOf, from: period.from, to: Math.min(period.to, asOf), until: asOf + DEFAULT_NEAR_DEADLINE_DAYS * 86_400_000 };
  const statusFloor = bareQuery<{ total: number }>(db, FLOOR_SQL);
  const total = (await statusFloor(q)).reduce((a, r) => a + r.total, 0);
  expect(await send(chair, '/tinhhinh'), new RegExp(`Tổng số nhiệm vụ được giao: ${total}\\.`), '/tinhhinh');
  const statusMs: number[] = [];
  const statusFloorMs: number[] = [];
  for (let i = 0; i < statusRuns; i++) {
    let s = performance.now();
    await statusFloor(q);
    statusFloorMs.push(performance.now() - s);
    s = performance.now();
    await send(chair, '/tinhhinh');
    statusMs.push(performance.now() - s);
  }

  return {
    chatOfficers: officers.length,
    chatStreams: streams,
    commandsPerSec: Math.round(perSec),
    commandsPerSecNoFsync: Math.round(noFsync.perSec),
    viecP50Ms: p(viecMs, 50),
    viecP99Ms: p(viecMs, 99),
    xongP50Ms: p(xongMs, 50),
    xongP99Ms: p(xongMs, 99),
    tinhhinhP50Ms: p(statusMs, 50, 1),
    tinhhinhP99Ms: p(statusMs, 99, 1),
    chatFloorP50Ms: p(readFloorMs, 50, 3),
    chatWriteFloorP50Ms: p(writeFloorMs, 50, 3),
    // Bare commits back to back: the most durable writes per second one connection gets, the
    // ceiling for commandsPerSec on one stream (each command commits once: the update is marked handled).
    chatWriteFloorPerSec: Math.round(writeFloorMs.length / (writeFloorMs.reduce((a, b) => a + b, 0) / 1000)),
    viecToFloor: round(percentile(viecPairMs, 50) / percentile(readFloorMs, 50), 1),
    xongToWriteFloor: round(percentile(xongPairMs, 50) / percentile(writeFloorMs, 50), 1),
    tinhhinhToFloor: round(percentile(statusMs, 50) / percentile(statusFloorMs, 50), 2),
  };
};

/**
 * Runs fn on a handle whose commits are not flushed: on SQLite the same connection with
 * synchronous=NORMAL (WAL), on PostgreSQL a second pool on the bench's own database, whose
 * new sessions get synchronous_commit=off. Both settings are put back afterwards.
 */
async function withoutFsync<T>(db: Db, target: string, fn: (relaxed: Db) => Promise<T>): Promise<T> {
  const n = db.native;
  if (n.engine === 'sqlite') {
    n.sqlite.pragma('synchronous = NORMAL');
    try {
      return await fn(db);
    } finally {
      n.sqlite.pragma('synchronous = FULL');
    }
  }
  const [{ name }] = (await n.query('SELECT current_database() AS name')).rows as { name: string }[];
  await n.query(`ALTER DATABASE "${name}" SET synchronous_commit = off`);
  const relaxed = await openDb(target, { migrate: false });
  try {
    return await fn(relaxed);
  } finally {
    await relaxed.close();
    await n.query(`ALTER DATABASE "${name}" RESET synchronous_commit`);
  }
}
