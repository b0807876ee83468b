// Issue 3: the command core with no network (parse → use case → SQLite → reply
// text) against the province database: a mix of /viec and /xong from many
// officers (throughput and latency), and the chair's province-wide /tinhhinh,
// each next to a hand-written floor timed in the same run.
// It completes tasks and links officers, so it runs after suites that read the province as built.
// Sizes: BENCH_CHAT_COMMANDS (per mix, 20,000), BENCH_CHAT_OFFICERS (2,000), BENCH_CHAT_STATUS_RUNS (100).
import { createBotCore } from '../../src/bot/core.ts';
import type { IncomingMessage } from '../../src/bot/types.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/open.ts';
import { parsePeriod } from '../../src/domain/period.ts';
import { createLogger } from '../../src/log.ts';
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

/** The write floor: one committed one-row update (the same durability as /xong: WAL, synchronous=FULL). */
const WRITE_FLOOR_SQL = 'UPDATE tasks SET updated_at = updated_at + 1 WHERE id = ?';

/**
 * One officer (with a linked Telegram account) in each of `count` units spread
 * over the tree, each unit holding at least `tasksEach` open tasks; and a chair
 * of the root unit. Plain inserts: this is setup, not what is measured.
 */
function addOfficers(db: Db, count: number, tasksEach: number, now: number): { officers: BenchOfficer[]; chair: string } {
  const raw = db.$client;
  const eligible = raw
    .prepare('SELECT unit_id AS unitId FROM tasks WHERE completed_at IS NULL GROUP BY unit_id HAVING count(*) >= ? ORDER BY unit_id')
    .all(tasksEach) as { unitId: number }[];
  if (eligible.length === 0) throw new Error(`no unit has ${tasksEach} open tasks`);
  const n = Math.min(count, eligible.length);
  const step = eligible.length / n;
  const openOf = raw.prepare('SELECT code FROM tasks WHERE unit_id = ? AND completed_at IS NULL ORDER BY effective_deadline, code LIMIT ?');
  const officer = raw.prepare("INSERT INTO officers (code, full_name, unit_id, role, title) VALUES (?, ?, ?, ?, ?)");
  const account = raw.prepare("INSERT INTO chat_accounts (channel, external_id, officer_id, private_chat_id, linked_at) VALUES ('telegram', ?, ?, ?, ?)");
  const link = (code: string, name: string, unitId: number, role: string, title: string) => {
    const id = Number(officer.run(code, name, unitId, role, title).lastInsertRowid);
    const userId = `bench-${id}`;
    account.run(userId, id, `p-${userId}`, now);
    return userId;
  };
  const officers: BenchOfficer[] = [];
  let chair = '';
  raw.transaction(() => {
    for (let i = 0; i < n; i++) {
      const { unitId } = eligible[Math.floor(i * step)];
      const tasks = (openOf.all(unitId, tasksEach) as { code: string }[]).map((r) => r.code);
      officers.push({ userId: link(`BENCH-CB-${unitId}`, `Cán bộ ${unitId}`, unitId, 'officer', 'Chuyên viên'), unitId, tasks });
    }
    const root = raw.prepare('SELECT id FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1').get() as { id: number };
    chair = link('BENCH-CT', 'Chủ tịch UBND tỉnh', root.id, 'chair', 'Chủ tịch');
  })();
  return { officers, chair };
}

function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

const p = (xs: number[], q: number, digits = 2) => round(percentile(xs, q), digits);

export const chatSuite: Suite = async ({ db, now }) => {
  const commands = Number(process.env.BENCH_CHAT_COMMANDS ?? 20_000);
  const officerCount = Number(process.env.BENCH_CHAT_OFFICERS ?? 2000);
  const statusRuns = Number(process.env.BENCH_CHAT_STATUS_RUNS ?? 100);
  // Each officer sends `rounds` /viec and `rounds` /xong in each of the two mixes; two more tasks: warm-up and the floor pass.
  const rounds = Math.max(1, Math.ceil(commands / 2 / officerCount));
  const { officers, chair } = addOfficers(db, officerCount, 2 * rounds + 2, now);

  const config = { ...loadConfig({}), zone: ZONE };
  const core = createBotCore({ db, config, log: createLogger('warn') });
  let update = 0;
  // As a channel adapter hands it over: a private chat, with the update id that makes it handled once.
  const send = async (userId: string, text: string): Promise<string> => {
    const msg: IncomingMessage = { channel: 'telegram', chatId: `p-${userId}`, chatType: 'private', userId, text, updateKey: String(++update) };
    const replies = await core.handle(msg, now);
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

  // Warm-up (statements prepared, code compiled), as in a server that has been running.
  for (const o of officers.slice(0, 500)) {
    expect(await send(o.userId, '/viec'), VIEC, '/viec');
    expect(await send(o.userId, `/xong ${nextTask(o)}`), XONG, '/xong');
  }
  for (const o of officers.slice(500)) next.set(o, 1);

  // A mix in a shuffled order: each officer's /viec and /xong land among everyone else's.
  const runMix = async (seed: number) => {
    const mix = shuffle(
      officers.flatMap((o) => Array.from({ length: 2 * rounds }, (_, i) => ({ o, viec: i % 2 === 0 }))),
      rng(seed),
    );
    const viecMs: number[] = [];
    const xongMs: number[] = [];
    const t0 = performance.now();
    for (const { o, viec } of mix) {
      const text = viec ? '/viec' : `/xong ${nextTask(o)}`;
      const s = performance.now();
      const reply = await send(o.userId, text);
      (viec ? viecMs : xongMs).push(performance.now() - s);
      expect(reply, viec ? VIEC : XONG, text);
    }
    return { perSec: mix.length / ((performance.now() - t0) / 1000), viecMs, xongMs };
  };
  const completedByBench = db.$client.prepare(
    "SELECT count(*) AS n FROM tasks t JOIN officers o ON o.id = t.completed_by WHERE o.code LIKE 'BENCH-CB-%'",
  );
  const before = (completedByBench.get() as { n: number }).n;
  const { perSec, viecMs, xongMs } = await runMix(3);
  const done = (completedByBench.get() as { n: number }).n - before;
  if (done !== xongMs.length) throw new Error(`${done} tasks completed, ${xongMs.length} /xong sent`);

  // The same mix again with synchronous=NORMAL (no fsync per commit in WAL mode): how much of
  // the time the durable commits take. A diagnostic only; the app keeps synchronous=FULL.
  db.$client.pragma('synchronous = NORMAL');
  const noFsync = await runMix(4);
  db.$client.pragma('synchronous = FULL');

  // The floors, interleaved with the same commands so that machine noise hits both alike.
  const readFloor = db.$client.prepare(READ_FLOOR_SQL);
  const writeFloor = db.$client.prepare(WRITE_FLOOR_SQL);
  const taskId = db.$client.prepare('SELECT id FROM tasks WHERE code = ?').pluck();
  const write = db.$client.transaction((id: number) => writeFloor.run(id));
  const readFloorMs: number[] = [];
  const writeFloorMs: number[] = [];
  const viecPairMs: number[] = [];
  const xongPairMs: number[] = [];
  for (const o of officers) {
    const code = nextTask(o);
    const id = taskId.get(code) as number;
    let s = performance.now();
    readFloor.all(o.unitId);
    readFloorMs.push(performance.now() - s);
    s = performance.now();
    await send(o.userId, '/viec');
    viecPairMs.push(performance.now() - s);
    s = performance.now();
    write.immediate(id);
    writeFloorMs.push(performance.now() - s);
    s = performance.now();
    expect(await send(o.userId, `/xong ${code}`), XONG, `/xong ${code}`);
    xongPairMs.push(performance.now() - s);
  }

  // The chair's /tinhhinh: the whole province, the current year, against the report floor over the same tasks.
  const period = parsePeriod('', now, ZONE);
  const asOf = Math.min(now, period.to);
  // Tasks assigned by the as-of instant, as the report counts them.
  const q = { asOf, from: period.from, to: Math.min(period.to, asOf) };
  const statusFloor = db.$client.prepare(FLOOR_SQL);
  const total = (statusFloor.all(q) as { total: number }[]).reduce((a, r) => a + r.total, 0);
  expect(await send(chair, '/tinhhinh'), new RegExp(`Tổng số nhiệm vụ được giao: ${total}\\.`), '/tinhhinh');
  const statusMs: number[] = [];
  const statusFloorMs: number[] = [];
  for (let i = 0; i < statusRuns; i++) {
    let s = performance.now();
    statusFloor.all(q);
    statusFloorMs.push(performance.now() - s);
    s = performance.now();
    await send(chair, '/tinhhinh');
    statusMs.push(performance.now() - s);
  }

  return {
    chatOfficers: officers.length,
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
    // Bare commits back to back: the most durable writes per second this disk allows, the ceiling
    // for commandsPerSec (each command commits once: the update is marked handled).
    chatWriteFloorPerSec: Math.round(writeFloorMs.length / (writeFloorMs.reduce((a, b) => a + b, 0) / 1000)),
    viecToFloor: round(percentile(viecPairMs, 50) / percentile(readFloorMs, 50), 1),
    xongToWriteFloor: round(percentile(xongPairMs, 50) / percentile(writeFloorMs, 50), 1),
    tinhhinhToFloor: round(percentile(statusMs, 50) / percentile(statusFloorMs, 50), 2),
  };
};
