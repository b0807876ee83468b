import { describe, expect, it } from 'vitest';
import { queueNotices } from '../../src/app/notify.ts';
import { leaseHolder } from '../../src/db/leases.repo.ts';
import { startScheduler, TICK_LEASE } from '../../src/scheduler/run.ts';
import { at, endOf, office, outboxRows, putMeta } from './fixture.ts';
import { fakeChannel, fakeClock, quietLog } from './fakes.ts';

describe('startScheduler', () => {
  it('ticks at once, drains what the tick wrote, and stop() waits for the work in hand', async () => {
    const o = await office();
    const pnv = await o.unit('PNV', 'Phòng Nội vụ');
    await o.group('telegram', '-100', pnv);
    await o.task('NV-1', pnv, endOf('2024-06-14'));
    await putMeta(o.db, 'scheduler.lastTick', String(at('2024-06-11 07:59')));
    const clock = fakeClock(at('2024-06-11 08:00'));
    const tg = fakeChannel('telegram', clock);
    const s = startScheduler({ db: o.db, config: o.config, log: quietLog, senders: [tg], now: clock.now });
    for (let i = 0; i < 300 && tg.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await s.stop();
    expect(tg.sent).toHaveLength(1);
    expect(tg.sent[0].text).toContain('NV-1');
    expect(tg.sent[0].buttons).toEqual([[{ text: '✅ Đã hoàn thành', data: 'xong:NV-1' }]]);
    expect((await outboxRows(o.db))[0].status).toBe('sent');
  });

  it('with two processes on one database, one ticks; stopping it hands the tick lease over at once', async () => {
    const o = await office();
    const pnv = await o.unit('PNV', 'Phòng Nội vụ');
    await o.group('telegram', '-100', pnv);
    await o.task('NV-1', pnv, endOf('2024-06-14'));
    await putMeta(o.db, 'scheduler.lastTick', String(at('2024-06-11 07:59')));
    const clock = fakeClock(at('2024-06-11 08:00'));
    const a = startScheduler({ db: o.db, config: o.config, log: quietLog, senders: [], now: clock.now, holder: 'A' });
    // A's first tick writes the reminder and the unit group's weekly summary.
    for (let i = 0; i < 300 && (await outboxRows(o.db)).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const b = startScheduler({ db: o.db, config: o.config, log: quietLog, senders: [], now: clock.now, holder: 'B' });
    await new Promise((r) => setTimeout(r, 100));
    expect((await leaseHolder(o.db, TICK_LEASE, clock.now()))?.holder).toBe('A');
    expect(await outboxRows(o.db)).toHaveLength(2);
    await a.stop();
    expect(await leaseHolder(o.db, TICK_LEASE, clock.now())).toBeUndefined();
    await b.stop();
  });

  it('wake() sends what was just queued (a command\'s notices) at once, not at the drain\'s next look', async () => {
    const o = await office();
    const clock = fakeClock(at('2024-06-11 08:00'));
    const tg = fakeChannel('telegram', clock);
    // The drain would not look at the outbox again for an hour by itself.
    const s = startScheduler({ db: o.db, config: o.config, log: quietLog, senders: [tg], now: clock.now, drainPollMs: 3_600_000 });
    for (let i = 0; i < 300 && (await leaseHolder(o.db, 'drain:telegram', clock.now())) === undefined; i++) await new Promise((r) => setTimeout(r, 10));
    await o.db.tx((tx) => queueNotices(tx, [{ to: { channel: 'telegram', chatId: '-200' }, text: 'Có đề nghị gia hạn NV-1' }], { channel: 'telegram', id: '77' }, clock.now()));
    s.wake();
    for (let i = 0; i < 300 && tg.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(tg.sent.map((m) => [m.chatId, m.text])).toEqual([['-200', 'Có đề nghị gia hạn NV-1']]);
    await s.stop();
  });
});
