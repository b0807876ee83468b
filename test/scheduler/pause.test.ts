// A 429 pauses the bot in every process: the pause is in the database, and each
// process (its drain, its replies) looks at it before sending. Two senders on one
// database stand for two processes: separate limiters, separate caches, separate holders.
import { describe, expect, it } from 'vitest';
import { dbPauses, PAUSE_CACHE_MS } from '../../src/channels/bot-pause.ts';
import { RateLimited } from '../../src/channels/types.ts';
import { takeLease } from '../../src/db/leases.repo.ts';
import { enqueue } from '../../src/db/outbox.repo.ts';
import { botPausedUntil, notePause } from '../../src/db/pause.repo.ts';
import { createOutboxSender, leaseName } from '../../src/scheduler/sender.ts';
import { at, office, outboxRows } from './fixture.ts';
import { fakeChannel, fakeClock, quietLog } from './fakes.ts';

const T0 = at('2024-06-11 08:00');

async function setup() {
  const o = await office();
  const clock = fakeClock(T0);
  let n = 0;
  const put = (chatId: string, text = `tin ${n + 1}`, channel: 'telegram' | 'zalo' = 'telegram') =>
    enqueue(o.db, { key: `k${++n}`, channel, chatId, kind: 'reminder', text, createdAt: T0, notBefore: T0 });
  /** One process's drain: its own channel fake, limiter, pause cache and holder. */
  const process = (holder: string, channel: 'telegram' | 'zalo' = 'telegram', maxTextLength?: number) => {
    const ch = fakeChannel(channel, clock, maxTextLength);
    return { ch, sender: createOutboxSender({ db: o.db, config: o.config, log: quietLog, senders: [ch], clock, holder }) };
  };
  return { ...o, clock, put, process };
}

describe('the bot-wide pause in the database', () => {
  it('keeps the later of two pauses, per channel, and ends when it runs out', async () => {
    const { db } = await setup();
    expect(await botPausedUntil(db, 'telegram', T0)).toBeUndefined();
    await db.tx((tx) => notePause(tx, 'telegram', T0 + 30_000, 'a'));
    await db.tx((tx) => notePause(tx, 'telegram', T0 + 10_000, 'b'));
    expect(await botPausedUntil(db, 'telegram', T0)).toBe(T0 + 30_000);
    expect(await botPausedUntil(db, 'zalo', T0)).toBeUndefined();
    await db.tx((tx) => notePause(tx, 'telegram', T0 + 45_000, 'b'));
    expect(await botPausedUntil(db, 'telegram', T0 + 30_000)).toBe(T0 + 45_000);
    expect(await botPausedUntil(db, 'telegram', T0 + 45_000)).toBeUndefined();
    // Beside the drain's lease, not in its way.
    expect(await db.tx((tx) => takeLease(tx, leaseName('telegram'), 'a', T0, 30_000))).toBe(true);
    expect(await botPausedUntil(db, 'telegram', T0)).toBe(T0 + 45_000);
  });

  it("a process sees its own 429 at once and another's within the cache time", async () => {
    const { db } = await setup();
    const mine = dbPauses(db);
    const other = dbPauses(db);
    expect(await mine.until('telegram', T0)).toBeUndefined();
    expect(await other.until('telegram', T0)).toBeUndefined();
    await mine.note('telegram', T0 + 20_000);
    expect(await mine.until('telegram', T0 + 1)).toBe(T0 + 20_000);
    // The other process read "no pause" at T0: it believes it until its cache runs out.
    expect(await other.until('telegram', T0 + PAUSE_CACHE_MS - 1)).toBeUndefined();
    expect(await other.until('telegram', T0 + PAUSE_CACHE_MS)).toBe(T0 + 20_000);
    expect(await other.until('zalo', T0 + PAUSE_CACHE_MS)).toBeUndefined();
    expect(await other.until('telegram', T0 + 20_000)).toBeUndefined();
  });
});

describe('a 429 in one process pauses the others', () => {
  it("the drain that takes over waits out the previous drain's 429", async () => {
    const s = await setup();
    for (let i = 0; i < 4; i++) await s.put(`-10${i}`);
    const a = s.process('a');
    const b = s.process('b');
    a.ch.failures.set('-100', [new RateLimited(30)]);
    const ra = await a.sender.drainOnce();
    expect(ra.retried).toBe(1);
    expect(a.ch.sent).toHaveLength(0);
    // Process a stops (or dies and its lease runs out); b takes the drain over with a fresh limiter.
    await a.sender.release();
    s.clock.t += 5_000;
    const rb = await b.sender.drainOnce();
    expect(rb).toMatchObject({ sent: 0, nextAt: T0 + 30_000 });
    expect(rb.elsewhere).toBeUndefined();
    await b.sender.drain(5 * 60_000);
    expect(b.ch.sent.map((m) => m.chatId).sort()).toEqual(['-100', '-101', '-102', '-103']);
    for (const m of b.ch.sent) expect(m.at).toBeGreaterThanOrEqual(T0 + 30_000);
    expect((await outboxRows(s.db)).map((r) => [r.status, r.attempts])).toEqual(Array.from({ length: 4 }, () => ['sent', 1]));
  });

  it("a 429 on another process's reply holds the drain back within the cache time", async () => {
    const s = await setup();
    for (let i = 0; i < 3; i++) await s.put('-100');
    const a = s.process('a');
    // Process b's reply path (what src/channels/deliver.ts does on a 429): it notes the pause.
    const replies = dbPauses(s.db, { by: 'b' });
    let noted = false;
    const send = a.ch.send;
    a.ch.send = async (m) => {
      await send(m);
      if (!noted) {
        noted = true;
        await replies.note('telegram', s.clock.now() + 20_000);
      }
    };
    await a.sender.drain(5 * 60_000);
    const times = a.ch.sent.map((m) => m.at);
    expect(times).toHaveLength(3);
    expect(times[0]).toBe(T0);
    // The second would have gone at T0 + 1 s (one a second per chat): the pause holds it.
    expect(times[1]).toBeGreaterThanOrEqual(T0 + 20_000);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(1000);
    expect((await outboxRows(s.db)).every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('a pause seen between the pieces of a long message puts it back until the pause ends', async () => {
    const s = await setup();
    await s.put('z-1', Array.from({ length: 100 }, (_, i) => `${i}. Nhiệm vụ cần hoàn thành trước hạn`).join('\n'), 'zalo');
    const a = s.process('a', 'zalo', 2000);
    const other = dbPauses(s.db, { by: 'b' });
    let pausedAt = 0;
    const send = a.ch.send;
    a.ch.send = async (m) => {
      await send(m);
      if (!pausedAt) {
        pausedAt = s.clock.now();
        await other.note('zalo', pausedAt + 60_000);
      }
    };
    const first = await a.sender.drainOnce();
    expect(first).toMatchObject({ sent: 0, retried: 1 });
    expect(a.ch.sent).toHaveLength(1);
    expect((await outboxRows(s.db))[0]).toMatchObject({ status: 'pending', attempts: 0 });
    await a.sender.drain(5 * 60_000);
    const pieces = a.ch.sent.slice(1);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.at).toBeGreaterThanOrEqual(pausedAt + 60_000);
    expect((await outboxRows(s.db))[0]).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it("a drain's 429 reaches a reply path sharing its pauses at once, and another process's after the cache", async () => {
    const s = await setup();
    await s.put('-100');
    const shared = dbPauses(s.db, { by: 'a' });
    const elsewhere = dbPauses(s.db, { by: 'b' });
    expect(await elsewhere.until('telegram', T0)).toBeUndefined();
    const ch = fakeChannel('telegram', s.clock);
    ch.failures.set('-100', [new RateLimited(15)]);
    const sender = createOutboxSender({ db: s.db, config: s.config, log: quietLog, senders: [ch], clock: s.clock, holder: 'a', pauses: shared });
    await sender.drainOnce();
    expect(await shared.until('telegram', s.clock.now())).toBe(T0 + 15_000);
    expect(await elsewhere.until('telegram', T0 + PAUSE_CACHE_MS)).toBe(T0 + 15_000);
  });
});
