// Three `nhacviec tick` processes started at once on one database (overlapping cron
// runs), sending through the real telegraf client to a loopback fake of the Bot API:
// each group gets each reminder once. On SQLite always; on the PostgreSQL server in
// NHACVIEC_TEST_PG when it is set.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.ts';
import { newPgTarget } from '../helpers/db.ts';
import { at, endOf } from '../scheduler/fixture.ts';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');
const UNITS = 12;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-overlap-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// The processes send on the real clock: no quiet hours, so the test passes at any time of day.
const configDir = path.join(dir, 'config');
fs.mkdirSync(configDir);
const defaults = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../config/default.json'), 'utf8')) as Record<string, unknown>;
fs.writeFileSync(path.join(configDir, 'default.json'), JSON.stringify({ ...defaults, quietHours: { start: '00:00', end: '00:00' } }));
fs.copyFileSync(path.resolve(__dirname, '../../config/holidays.json'), path.join(configDir, 'holidays.json'));

function fakeBotApi() {
  const received: { chatId: string; text: string }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { chat_id?: string | number; text?: string };
      const method = (req.url ?? '').split('/').pop();
      if (method === 'sendMessage') received.push({ chatId: String(body.chat_id), text: String(body.text) });
      res.setHeader('content-type', 'application/json');
      // Slow enough that the three processes overlap while sending.
      setTimeout(() => res.end(JSON.stringify({ ok: true, result: { message_id: received.length, date: 0, chat: { id: Number(body.chat_id), type: 'group' } } })), 20);
    });
  });
  return new Promise<{ url: string; received: typeof received; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, close: () => new Promise((r) => server.close(() => r())) }),
    ),
  );
}

async function seed(target: string): Promise<void> {
  const db = await openDb(target);
  const { units, officers, tasks, groupBindings } = db.t;
  const created = at('2024-01-01 00:00');
  await db.tx(async (tx) => {
    for (let u = 1; u <= UNITS; u++) {
      const [unit] = await tx.orm.insert(units).values({ code: `XA${u}`, name: `UBND xã ${u}`, path: '/' }).returning({ id: units.id });
      await tx.orm.insert(officers).values({ code: `CB-${u}`, fullName: `Cán bộ ${u}`, unitId: unit.id, role: 'head' });
      await tx.orm.insert(groupBindings).values({ channel: 'telegram', chatId: `-100${u}`, unitId: unit.id, createdAt: created });
      for (const [k, day] of [[1, '2024-06-12'], [2, '2024-06-14'], [3, '2024-06-18']] as const) {
        const deadline = endOf(day);
        await tx.orm.insert(tasks).values({ code: `NV-${u}-${k}`, title: `Nhiệm vụ ${k} của xã ${u}`, unitId: unit.id, assignedAt: created, deadline, effectiveDeadline: deadline, createdAt: created, updatedAt: created });
      }
    }
  });
  await db.close();
}

function tickProcess(env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [BIN, 'tick', '--now', '11/06/2024 08:00', '--max-wait', '60'], { env, cwd: dir });
    let out = '';
    let err = '';
    p.stdout.on('data', (c) => (out += c));
    p.stderr.on('data', (c) => (err += c));
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

async function overlap(target: string) {
  await seed(target);
  const api = await fakeBotApi();
  try {
    const env = { ...process.env, NHACVIEC_DB: target, LOG_LEVEL: 'silent', NHACVIEC_CONFIG: configDir, TELEGRAM_BOT_TOKEN: '123:fake', TELEGRAM_API_ROOT: api.url };
    const runs = await Promise.all([tickProcess(env), tickProcess(env), tickProcess(env)]);
    const db = await openDb(target);
    const { outbox } = db.t;
    const rows = await db.orm.select({ chatId: outbox.chatId, text: outbox.text, status: outbox.status }).from(outbox);
    await db.close();
    return { runs, received: api.received, rows };
  } finally {
    await api.close();
  }
}

function expectEachOnce(r: Awaited<ReturnType<typeof overlap>>) {
  for (const run of r.runs) expect(run, run.err).toMatchObject({ code: 0 });
  // Every group has reminders, each written once and sent once.
  expect(new Set(r.rows.map((x) => x.chatId)).size).toBe(UNITS);
  expect(r.rows.every((x) => x.status === 'sent')).toBe(true);
  const sent = r.received.map((m) => `${m.chatId}|${m.text}`);
  expect(new Set(sent).size).toBe(sent.length);
  expect(sent.sort()).toEqual(r.rows.map((x) => `${x.chatId}|${x.text}`).sort());
  const sentBy = r.runs.map((run) => JSON.parse(run.out.trim().split('\n').pop() as string) as { sent: number });
  expect(sentBy.reduce((n, x) => n + x.sent, 0)).toBe(r.rows.length);
}

describe('three overlapping `nhacviec tick` runs', () => {
  it('on one SQLite file send each reminder once', { timeout: 180_000 }, async () => {
    expectEachOnce(await overlap(path.join(dir, 'nv.db')));
  });

  it.skipIf(!process.env.NHACVIEC_TEST_PG)('on one PostgreSQL server send each reminder once', { timeout: 180_000 }, async () => {
    const target = await newPgTarget();
    try {
      expectEachOnce(await overlap(target.url));
    } finally {
      await target.drop();
    }
  });
});
