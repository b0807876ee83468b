// Several drains at once (overlapping cron ticks, a tick beside `nhacviec start`),
// each on its own connection, against a loopback fake of the Telegram Bot API through
// the real telegraf sender: every message goes out once, in each chat's order.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import type { Db } from '../../src/db/db.ts';
import { openDb } from '../../src/db/open.ts';
import { enqueue } from '../../src/db/outbox.repo.ts';
import { createOutboxSender, type Clock, type DrainResult } from '../../src/scheduler/sender.ts';
import { newPgTarget, testEngine } from '../helpers/db.ts';
import { at, testConfig } from './fixture.ts';
import { quietLog } from './fakes.ts';

const T0 = at('2024-06-11 08:00');
const UNITS = 12;
const PER_UNIT = 3;

/** A clock shared by all drains: sleeping advances it, and lets the other drains run meanwhile. */
function sharedClock(start: number): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  return c;
}

function fakeBotApi(clock: Clock) {
  const received: { chatId: string; text: string; at: number }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as { chat_id: string | number; text: string };
      received.push({ chatId: String(body.chat_id), text: body.text, at: clock.now() });
      // A little latency, so that the drains really overlap.
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, result: { message_id: received.length, date: 0, chat: { id: Number(body.chat_id), type: 'group' } } }));
      }, 2);
    });
  });
  return new Promise<{ url: string; received: typeof received; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * `n` handles on one database. On a PostgreSQL server each has its own pool, like separate
 * processes. A SQLite connection waits for another's write lock synchronously, which within
 * one process would stall the holder too, and PGlite is a single connection: there the drains
 * share one handle and interleave at every await (test/cli/tick-overlap.test.ts runs separate
 * `nhacviec tick` processes on one SQLite file).
 */
async function connections(n: number): Promise<Db[]> {
  if (testEngine() === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-drains-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const db = await openDb(path.join(dir, 'db.sqlite'));
    cleanups.push(() => db.close());
    return Array.from({ length: n }, () => db);
  }
  const target = await newPgTarget();
  cleanups.push(target.drop);
  // PGlite is one connection in one process: the drains then share it, and still interleave at every await.
  const first = await openDb(target.url, { poolSize: 4 });
  const dbs = [first];
  for (let i = 1; i < n; i++) dbs.push(target.url === 'pglite:' ? first : await openDb(target.url, { poolSize: 4 }));
  cleanups.push(async () => {
    for (const d of new Set(dbs)) await d.close();
  });
  return dbs;
}

async function seed(db: Db): Promise<Map<string, string[]>> {
  const { units, groupBindings } = db.t;
  const expected = new Map<string, string[]>();
  await db.tx(async (tx) => {
    for (let u = 1; u <= UNITS; u++) {
      const [row] = await tx.orm.insert(units).values({ code: `XA${u}`, name: `UBND xã ${u}`, path: '/' }).returning({ id: units.id });
      const chatId = `-100${u}`;
      await tx.orm.insert(groupBindings).values({ channel: 'telegram', chatId, unitId: row.id, createdAt: T0 });
      const texts: string[] = [];
      for (let k = 1; k <= PER_UNIT; k++) {
        const text = `Nhắc việc ${k} của xã ${u}`;
        texts.push(text);
        await enqueue(tx, { key: `r:${u}:${k}`, channel: 'telegram', chatId, kind: 'reminder', text, createdAt: T0, notBefore: T0 });
      }
      expected.set(chatId, texts);
    }
  });
  return expected;
}

/** How the drains run: `drain` as `nhacviec tick` does, or rounds of drainOnce that keep going (as `nhacviec start` does). */
type Mode = 'drain' | 'rounds';

async function runDrains(mode: Mode, leaseMs?: number) {
  const dbs = await connections(3);
  const expected = await seed(dbs[0]);
  const clock = sharedClock(T0);
  const api = await fakeBotApi(clock);
  cleanups.push(api.close);
  const config = testConfig();
  const drains = dbs.map((db, i) =>
    createOutboxSender({
      db,
      config,
      log: quietLog,
      senders: [createTelegramSender(new Telegram('123:fake', { apiRoot: api.url }))],
      clock,
      holder: `drain-${i}`,
      leaseMs,
    }),
  );
  const total = UNITS * PER_UNIT;
  const results =
    mode === 'drain'
      ? await Promise.all(drains.map((d) => d.drain(10 * 60_000)))
      : await Promise.all(
          drains.map(async (d) => {
            const r: DrainResult = { sent: 0, failed: 0, retried: 0 };
            for (let round = 0; round < 500 && api.received.length < total; round++) {
              r.sent += (await d.drainOnce()).sent;
              await clock.sleep(300);
            }
            return r;
          }),
        );
  await Promise.all(drains.map((d) => d.release()));
  const { outbox } = dbs[0].t;
  const statuses = await dbs[0].orm.select({ status: outbox.status }).from(outbox);
  return { expected, received: api.received, results, statuses };
}

function expectEachOnceInOrder(expected: Map<string, string[]>, received: { chatId: string; text: string }[]) {
  expect(received).toHaveLength(UNITS * PER_UNIT);
  for (const [chatId, texts] of expected) {
    expect(received.filter((m) => m.chatId === chatId).map((m) => m.text)).toEqual(texts);
  }
}

describe('three drains at once', () => {
  it('send each message once, in each chat order, within the per-chat rate', async () => {
    const { expected, received, results, statuses } = await runDrains('drain');
    expectEachOnceInOrder(expected, received);
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(UNITS * PER_UNIT);
    // One drain held the lease and sent everything; the others left it to that drain.
    expect(results.filter((r) => r.sent > 0)).toHaveLength(1);
    expect(results.filter((r) => r.elsewhere?.includes('telegram'))).toHaveLength(2);
    for (const chatId of expected.keys()) {
      const times = received.filter((m) => m.chatId === chatId).map((m) => m.at);
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(1000);
    }
  });

  it('send each message once even when the lease changes hands within a round (claims per message)', async () => {
    const { expected, received, results, statuses } = await runDrains('rounds', 1);
    expectEachOnceInOrder(expected, received);
    expect(statuses.every((s) => s.status === 'sent')).toBe(true);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(UNITS * PER_UNIT);
  });
});
