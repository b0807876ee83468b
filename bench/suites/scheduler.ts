// Issue 4: the tick over 1,000,000 tasks with 10,000 reminders due (tickMs), and
// the drain through the real Telegram sender against a local fake Bot API that
// enforces Telegram's limits (drainRateShare = achieved / allowed rate, drain429).
// Each builds a database of its own on the engine under test (ctx.scratch). Run it
// on its own with:
//   npx tsx bench/suites/scheduler.ts     (BENCH_DB, BENCH_TASKS, BENCH_DRAIN_MESSAGES)
import { drainGlobalPerSec } from '../../src/scheduler/rate-limit.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Telegram } from 'telegraf';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb, type Db } from '../../src/db/open.ts';
import { enqueue, setMeta } from '../../src/db/outbox.repo.ts';
import { createOutboxSender } from '../../src/scheduler/sender.ts';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { bulkInsert, type Value } from '../bare.ts';
import { rng, ZONE } from '../province.ts';
import { scratchDatabases, type Scratch } from '../scratch-db.ts';
import { percentile, round } from '../stats.ts';
import type { BenchContext } from './suite.ts';

const DAY = 86_400_000;
/** Rows per transaction while setting up. */
const CHUNK = 100_000;

function* take<T>(it: Iterator<T>, n: number): Generator<T> {
  for (let i = 0; i < n; i++) {
    const r = it.next();
    if (r.done) return;
    yield r.value;
  }
}

/** 1M tasks over three years; exactly `due` open ones get their 3-days-before reminder at `now`. Bare bulk loads: this is setup. */
async function buildTasks(db: Db, tasks: number, due: number, now: number, units: number): Promise<void> {
  const t = db.t;
  await bulkInsert(db, t.units, ['code', 'name', 'path'], (function* () {
    for (let i = 1; i <= units; i++) yield [`DV${i}`, `Đơn vị ${i}`, '/'];
  })());
  const ids = new Map((await db.orm.select({ id: t.units.id, code: t.units.code }).from(t.units)).map((u) => [u.code, u.id]));
  const unitId = (i: number) => ids.get(`DV${i}`) as number;
  await bulkInsert(db, t.groupBindings, ['channel', 'chatId', 'unitId', 'leadership', 'status', 'createdAt'], (function* () {
    for (let i = 2; i <= units; i += 2) yield ['telegram', `-100${i}`, unitId(i), false, 'ok', 0];
  })());
  const random = rng(7);
  // Deadline of a reminder due at now (Monday 08:00 local) 3 days ahead: end of Thursday.
  const dueDeadline = now + 3 * DAY + 16 * 3_600_000 - 1;
  const rows = (function* (): Generator<Value[]> {
    for (let i = 0; i < tasks; i++) {
      const unit = 1 + Math.floor(random() * units);
      let deadline: number;
      let done: number | null;
      if (i < due) {
        deadline = dueDeadline;
        done = null;
      } else if (random() < 0.8) {
        deadline = now - Math.floor(random() * 1000) * DAY;
        done = deadline - Math.floor(random() * 5) * DAY; // done, on time or close
      } else {
        deadline = now + (60 + Math.floor(random() * 300)) * DAY; // open, far ahead
        done = null;
      }
      const assigned = deadline - 30 * DAY;
      yield [`NV-${i}`, `Nhiệm vụ ${i}`, unitId(unit), assigned, deadline, deadline, done, assigned, assigned];
    }
  })();
  const keys = ['code', 'title', 'unitId', 'assignedAt', 'deadline', 'effectiveDeadline', 'completedAt', 'createdAt', 'updatedAt'];
  for (let n = CHUNK; n === CHUNK; ) n = await bulkInsert(db, t.tasks, keys, take(rows, CHUNK));
  // As after the province's import (bench/run.ts): the state autovacuum leaves soon after.
  if (db.native.engine === 'postgres') await db.native.query('VACUUM ANALYZE');
}

export async function tickBench(config: Config, scratch: Scratch, tasks: number, due: number): Promise<{ tickMs: number; tickDue: number; tickMessages: number }> {
  const target = await scratch.fresh('tick');
  const db = await openDb(target);
  try {
    const now = Date.parse('2026-11-23T01:00:00Z'); // Monday 23/11/2026 08:00 local
    await buildTasks(db, tasks, due, now, 5000);
    const runs: number[] = [];
    let last = { reminders: 0, messages: 0 };
    for (let i = 0; i < 5; i++) {
      // Each run starts from the same state: the previous run's reminders and messages removed.
      await db.tx(async (tx) => {
        await tx.orm.delete(tx.t.reminderLog);
        await tx.orm.delete(tx.t.outbox);
      });
      await setMeta(db, LAST_TICK_KEY, String(now - 60_000));
      const t0 = performance.now();
      last = await tick(db, now, config);
      runs.push(performance.now() - t0);
    }
    return { tickMs: round(percentile(runs, 50)), tickDue: last.reminders, tickMessages: last.messages };
  } finally {
    await db.close();
    await scratch.drop(target);
  }
}

/** A fake Bot API enforcing 30/s overall, 1/s per chat and 20/min per group, answering 429 with retry_after. */
function fakeTelegram(): Promise<{ url: string; stats: { ok: number; tooMany: number }; close: () => Promise<void> }> {
  const stats = { ok: 0, tooMany: 0 };
  const global: number[] = [];
  const perChat = new Map<string, number[]>();
  const allow = (list: number[], limit: number, windowMs: number, now: number) => {
    while (list.length && list[0] <= now - windowMs) list.shift();
    return list.length < limit;
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const p = JSON.parse(body || '{}') as { chat_id?: string | number };
      const chat = String(p.chat_id);
      const now = Date.now();
      const mine = perChat.get(chat) ?? [];
      perChat.set(chat, mine);
      const isGroup = chat.startsWith('-');
      const ok = allow(global, 30, 1000, now) && allow(mine, isGroup ? 20 : 1, isGroup ? 60_000 : 1000, now) && allow([...mine], 1, 1000, now);
      res.setHeader('content-type', 'application/json');
      if (!ok) {
        stats.tooMany++;
        res.statusCode = 429;
        res.end(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } }));
        return;
      }
      global.push(now);
      mine.push(now);
      stats.ok++;
      res.end(JSON.stringify({ ok: true, result: { message_id: stats.ok, date: Math.floor(now / 1000), chat: { id: Number(chat), type: 'private' } } }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, stats, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

export async function drainBench(config: Config, scratch: Scratch, messages: number): Promise<{ drainRateShare: number; drain429: number; drainMsgPerSec: number }> {
  const api = await fakeTelegram();
  const target = await scratch.fresh('drain');
  const db = await openDb(target);
  try {
    const now = Date.now();
    // Private chats, one message each: the overall limit (30/s) is the one that binds.
    for (let i = 0; i < messages; i++) {
      await enqueue(db, { key: `b${i}`, channel: 'telegram', chatId: String(1000 + i), kind: 'reminder', text: `Nhắc việc NV-${i}`, createdAt: now, notBefore: now });
    }
    const sender = createTelegramSender(new Telegram('123:bench', { apiRoot: api.url }));
    const quiet = { ...config, quietHours: { start: '00:00', end: '00:00' } };
    const t0 = performance.now();
    const r = await createOutboxSender({ db, config: quiet, log: pino({ level: 'silent' }), senders: [sender] }).drain(10 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    if (r.sent !== messages) throw new Error(`drain sent ${r.sent} of ${messages}`);
    // The first 30 go in the first instant; the rate is measured over what followed.
    // The drain's own budget: the overall rate less the share kept for replies (rateLimits.replyReservePerSec).
    const budget = drainGlobalPerSec(config.rateLimits.telegram);
    const rate = (messages - budget) / seconds;
    return { drainRateShare: round(rate / budget, 3), drain429: api.stats.tooMany, drainMsgPerSec: round(rate) };
  } finally {
    await db.close();
    await scratch.drop(target);
    await api.close();
  }
}

export async function schedulerSuite({ scratch }: Pick<BenchContext, 'scratch'>): Promise<Record<string, number>> {
  const config = { ...loadConfig({}), zone: ZONE };
  const tasks = Number(process.env.BENCH_TASKS ?? 1_000_000);
  const t = await tickBench(config, scratch, tasks, Math.min(10_000, tasks));
  const d = await drainBench(config, scratch, Number(process.env.BENCH_DRAIN_MESSAGES ?? 300));
  return { ...t, ...d };
}

if (process.argv[1] && /scheduler\.ts$/.test(process.argv[1])) {
  const scratch = await scratchDatabases(process.env.BENCH_DB || undefined, 'nhacviec_bench');
  try {
    process.stdout.write(`${JSON.stringify({ engine: scratch.engine, ...(await schedulerSuite({ scratch })) })}\n`);
  } finally {
    await scratch.cleanup();
  }
}
