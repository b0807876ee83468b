// The drain lease with several processes: a drain whose process is gone (killed on this
// machine) is replaced at once (and the new one waits out the second the old one may have
// filled), a live one is left alone until its lease runs out, and a long round (rate waits)
// renews the lease so that no other drain takes it meanwhile.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/db.ts';
import { leaseHolder } from '../../src/db/leases.repo.ts';
import { enqueue } from '../../src/db/outbox.repo.ts';
import { createOutboxSender, HANDOVER_MS, LEASE_MS, leaseName } from '../../src/scheduler/sender.ts';
import { testDb } from '../helpers/db.ts';
import { fakeChannel, fakeClock, quietLog } from './fakes.ts';
import { at, testConfig } from './fixture.ts';

const T0 = at('2024-06-11 08:00');
const config = testConfig();
let db: Db;
beforeEach(async () => {
  db = await testDb();
});

const queue = (n: number, chatId: string, from = 0) =>
  (async () => {
    for (let i = from; i < from + n; i++) {
      await enqueue(db, { key: `k:${chatId}:${i}`, channel: 'telegram', chatId, kind: 'reminder', text: `tin ${i}`, createdAt: T0, notBefore: T0 });
    }
  })();

describe('the drain lease between processes', () => {
  it('is taken over at once from a drain whose process is gone, and left to a live one until it runs out', async () => {
    const clock = fakeClock(T0);
    const chan = fakeChannel('telegram', clock);
    const drain = (holder: string, gone: (h: string) => boolean) => createOutboxSender({ db, config, log: quietLog, senders: [chan], clock, holder, gone });
    await queue(1, '-1');
    expect((await drain('vm:101:a', () => false).drainOnce()).sent).toBe(1);
    await queue(1, '-2', 1);
    clock.t += 1_000;
    // Another process on another machine (or a live one here): A still holds the lease.
    const live = await drain('vm:102:b', () => false).drainOnce();
    expect(live).toMatchObject({ sent: 0, elsewhere: ['telegram'] });
    // A process that knows A is gone takes the lease at once; it sends once A's last second is over.
    const c = drain('vm:103:c', (h) => h === 'vm:101:a');
    const took = clock.now();
    expect(await c.drainOnce()).toMatchObject({ sent: 0, nextAt: took + HANDOVER_MS });
    expect((await leaseHolder(db, leaseName('telegram'), clock.now()))?.holder).toBe('vm:103:c');
    clock.t = took + HANDOVER_MS;
    expect((await c.drainOnce()).sent).toBe(1);
    expect(chan.sent.map((m) => [m.chatId, m.at - T0])).toEqual([
      ['-1', 0],
      ['-2', 1_000 + HANDOVER_MS],
    ]);
  });

  it('a long round renews the lease as it goes: another drain does not take it meanwhile', async () => {
    const clock = fakeClock(T0);
    const chan = fakeChannel('telegram', clock);
    // A slow platform (half a second per message) and ten chats: the round lasts longer than the lease.
    const send = chan.send.bind(chan);
    chan.send = async (m) => {
      clock.t += 500;
      await send(m);
    };
    for (let c = 1; c <= 10; c++) await queue(1, String(-c));
    const a = createOutboxSender({ db, config, log: quietLog, senders: [chan], clock, holder: 'vm:201:a', leaseMs: 3_000, gone: () => false });
    expect((await a.drainOnce()).sent).toBe(10);
    expect(clock.now() - T0).toBeGreaterThan(3_000);
    const b = createOutboxSender({ db, config, log: quietLog, senders: [chan], clock, holder: 'vm:202:b', leaseMs: 3_000, gone: () => false });
    expect(await b.drainOnce()).toMatchObject({ sent: 0, elsewhere: ['telegram'] });
    expect(LEASE_MS).toBeLessThan(30_000);
  });
});
