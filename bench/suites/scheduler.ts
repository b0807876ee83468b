// Issue 4: the tick over 1,000,000 tasks with 10,000 reminders due (tickMs), and
// the drain through the real Telegram sender against a local fake Bot API that
// enforces Telegram's limits (drainRateShare = achieved / allowed rate, drain429).
// Async (the drain runs in real time), so run it on its own:
//   npx tsx bench/suites/scheduler.ts     (BENCH_TASKS, BENCH_DRAIN_MESSAGES to resize)
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Telegram } from 'telegraf';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDb, type Db } from '../../src/db/open.ts';
import { enqueue, setMeta } from '../../src/db/outbox.repo.ts';
import { createOutboxSender } from '../../src/scheduler/sender.ts';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { rng, ZONE } from '../province.ts';
import { percentile, round } from '../stats.ts';

const DAY = 86_400_000;

/** 1M tasks over three years; exactly `due` open ones get their 3-days-before reminder at `now`. */
function buildTasks(db: Db, tasks: number, due: number, now: number, units: number): void {
  const raw = db.$client;
  raw.exec('BEGIN');
  const u = raw.prepare("INSERT INTO units (code, name, path) VALUES (?, ?, '/')");
  const g = raw.prepare("INSERT INTO group_bindings (channel, chat_id, unit_id, leadership, status, created_at) VALUES ('telegram', ?, ?, 0, 'ok', 0)");
  for (let i = 1; i <= units; i++) {
    u.run(`DV${i}`, `Đơn vị ${i}`);
    if (i % 2 === 0) g.run(`-100${i}`, i);
  }
  const t = raw.prepare(
    `INSERT INTO tasks (code, title, unit_id, assigned_at, deadline, effective_deadline, completed_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const random = rng(7);
  // Deadline of a reminder due at now (Monday 08:00 local) 3 days ahead: end of Thursday.
  const dueDeadline = now + 3 * DAY + 16 * 3_600_000 - 1;
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
    t.run(`NV-${i}`, `Nhiệm vụ ${i}`, unit, assigned, deadline, deadline, done, assigned, assigned);
    if (i % 100_000 === 99_999) {
      raw.exec('COMMIT');
      raw.exec('BEGIN');
    }
  }
  raw.exec('COMMIT');
}

export function tickBench(config: Config, tasks: number, due: number): { tickMs: number; tickDue: number; tickMessages: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-tick-'));
  try {
    const db = openDb(path.join(dir, 'tick.db'));
    const now = Date.parse('2026-11-23T01:00:00Z'); // Monday 23/11/2026 08:00 local
    buildTasks(db, tasks, due, now, 5000);
    const runs: number[] = [];
    let last = { reminders: 0, messages: 0 };
    for (let i = 0; i < 5; i++) {
      // Each run starts from the same state: the previous run's reminders and messages removed.
      db.$client.exec('DELETE FROM reminder_log; DELETE FROM outbox;');
      setMeta(db, LAST_TICK_KEY, String(now - 60_000));
      const t0 = performance.now();
      last = tick(db, now, config);
      runs.push(performance.now() - t0);
    }
    db.$client.close();
    return { tickMs: round(percentile(runs, 50)), tickDue: last.reminders, tickMessages: last.messages };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
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

export async function drainBench(config: Config, messages: number): Promise<{ drainRateShare: number; drain429: number; drainMsgPerSec: number }> {
  const api = await fakeTelegram();
  const db = openDb(':memory:');
  try {
    const now = Date.now();
    // Private chats, one message each: the overall limit (30/s) is the one that binds.
    for (let i = 0; i < messages; i++) {
      enqueue(db, { key: `b${i}`, channel: 'telegram', chatId: String(1000 + i), kind: 'reminder', text: `Nhắc việc NV-${i}`, createdAt: now, notBefore: now });
    }
    const sender = createTelegramSender(new Telegram('123:bench', { apiRoot: api.url }));
    const quiet = { ...config, quietHours: { start: '00:00', end: '00:00' } };
    const t0 = performance.now();
    const r = await createOutboxSender({ db, config: quiet, log: pino({ level: 'silent' }), senders: [sender] }).drain(10 * 60_000);
    const seconds = (performance.now() - t0) / 1000;
    if (r.sent !== messages) throw new Error(`drain sent ${r.sent} of ${messages}`);
    // The first 30 go in the first instant; the rate is measured over what followed.
    const rate = (messages - config.rateLimits.telegram.globalPerSec) / seconds;
    return { drainRateShare: round(rate / config.rateLimits.telegram.globalPerSec, 3), drain429: api.stats.tooMany, drainMsgPerSec: round(rate) };
  } finally {
    db.$client.close();
    await api.close();
  }
}

export async function schedulerSuite(): Promise<Record<string, number>> {
  const config = { ...loadConfig({}), zone: ZONE };
  const tasks = Number(process.env.BENCH_TASKS ?? 1_000_000);
  const t = tickBench(config, tasks, Math.min(10_000, tasks));
  const d = await drainBench(config, Number(process.env.BENCH_DRAIN_MESSAGES ?? 300));
  return { ...t, ...d };
}

if (process.argv[1] && /scheduler\.ts$/.test(process.argv[1])) {
  schedulerSuite().then((f) => process.stdout.write(`${JSON.stringify(f)}\n`));
}
