import { describe, expect, it } from 'vitest';
import { startScheduler } from '../../src/scheduler/run.ts';
import { at, endOf, office, outboxRows } from './fixture.ts';
import { fakeChannel, fakeClock, quietLog } from './fakes.ts';

describe('startScheduler', () => {
  it('ticks at once, drains what the tick wrote, and stop() waits for the work in hand', async () => {
    const o = office();
    const pnv = o.unit('PNV', 'Phòng Nội vụ');
    o.group('telegram', '-100', pnv);
    o.task('NV-1', pnv, endOf('2024-06-14'));
    o.db.$client.prepare("INSERT INTO meta (key, value) VALUES ('scheduler.lastTick', ?)").run(String(at('2024-06-11 07:59')));
    const clock = fakeClock(at('2024-06-11 08:00'));
    const tg = fakeChannel('telegram', clock);
    const s = startScheduler({ db: o.db, config: o.config, log: quietLog, senders: [tg], now: clock.now });
    for (let i = 0; i < 100 && tg.sent.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await s.stop();
    expect(tg.sent).toHaveLength(1);
    expect(tg.sent[0].text).toContain('NV-1');
    expect(tg.sent[0].buttons).toEqual([[{ text: '✅ Đã hoàn thành', data: 'xong:NV-1' }]]);
    expect(outboxRows(o.db)[0].status).toBe('sent');
  });
});
