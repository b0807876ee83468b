import { count, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { ChatForbidden, ChatMigrated, PermanentSendError, RateLimited, TransientSendError } from '../../src/channels/types.ts';
import { enqueue } from '../../src/db/outbox.repo.ts';
import { botPausedUntil } from '../../src/db/pause.repo.ts';
import { CLAIM_MS, createOutboxSender, MAX_ATTEMPTS } from '../../src/scheduler/sender.ts';
import { at, office, outboxRows } from './fixture.ts';
import { fakeChannel, fakeClock, quietLog } from './fakes.ts';

const T0 = at('2024-06-11 08:00');

async function setup() {
  const o = await office();
  const pnv = await o.unit('PNV', 'Phòng Nội vụ');
  const admin = await o.officer('AD-1', 'Võ Thị Hà', pnv, 'admin', 'Chuyên viên Phòng Nội vụ');
  await o.account('telegram', 'u-admin', admin, 'p-admin');
  await o.group('telegram', '-100', pnv);
  await o.group('telegram', '-200', null, true);
  const clock = fakeClock(T0);
  const tg = fakeChannel('telegram', clock);
  const sender = createOutboxSender({ db: o.db, config: o.config, log: quietLog, senders: [tg], clock });
  let n = 0;
  const put = (chatId: string, text = `tin ${++n}`, extra: { payload?: string; channel?: 'telegram' | 'zalo' } = {}) =>
    enqueue(o.db, { key: `k${++n}`, channel: extra.channel ?? 'telegram', chatId, kind: 'reminder', text, payload: extra.payload, createdAt: T0, notBefore: T0 });
  return { ...o, clock, tg, sender, put };
}

describe('outbox sender', () => {
  it('sends every pending message once, with buttons, and marks it sent', async () => {
    const s = await setup();
    await s.put('-100', 'Nhắc việc NV-1', { payload: JSON.stringify({ buttons: [[{ text: '✅ Đã hoàn thành', data: 'xong:NV-1' }]] }) });
    await s.put('-200');
    const r = await s.sender.drain(60_000);
    expect(r).toMatchObject({ sent: 2, failed: 0 });
    expect(s.tg.sent[0].buttons).toEqual([[{ text: '✅ Đã hoàn thành', data: 'xong:NV-1' }]]);
    expect((await outboxRows(s.db)).map((x) => x.status)).toEqual(['sent', 'sent']);
    expect((await s.sender.drain(60_000)).sent).toBe(0);
  });

  it('keeps to about one message a second per chat and 20 a minute per group', async () => {
    const s = await setup();
    for (let i = 0; i < 25; i++) await s.put('-100');
    await s.sender.drain(10 * 60_000);
    const times = s.tg.sent.map((m) => m.at);
    expect(times).toHaveLength(25);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(1000);
    for (let i = 20; i < times.length; i++) expect(times[i] - times[i - 20]).toBeGreaterThanOrEqual(60_000);
  });

  it('leaves replyReservePerSec of the overall rate to direct replies', async () => {
    const s = await setup();
    for (let i = 0; i < 60; i++) await s.put(`p-${i}`);
    await s.sender.drain(60_000);
    const times = s.tg.sent.map((m) => m.at);
    expect(times).toHaveLength(60);
    const { globalPerSec, replyReservePerSec } = s.config.rateLimits.telegram;
    let most = 0;
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[i] - times[j] >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(most).toBe(globalPerSec - replyReservePerSec);
  });

  it('waits retry_after on a 429 without counting it as an attempt', async () => {
    const s = await setup();
    await s.put('-100');
    s.tg.failures.set('-100', [new RateLimited(7)]);
    await s.sender.drain(60_000);
    expect(s.tg.sent).toHaveLength(1);
    expect(s.tg.sent[0].at).toBeGreaterThanOrEqual(T0 + 7000);
    expect((await outboxRows(s.db))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    // …and holds every other process back for as long (the pause is in the database).
    expect(await botPausedUntil(s.db, 'telegram', T0)).toBe(T0 + 7000);
  });

  it('retries transient errors with growing backoff, then fails with the reason', async () => {
    const s = await setup();
    await s.put('-100');
    s.tg.failures.set('-100', [new TransientSendError('502 Bad Gateway'), new TransientSendError('ECONNRESET')]);
    await s.sender.drain(10 * 60_000);
    expect(s.tg.sent).toHaveLength(1);
    expect(s.tg.sent[0].at - T0).toBe(5000 + 10_000);
    await s.put('-200');
    s.tg.failures.set('-200', Array.from({ length: MAX_ATTEMPTS }, () => new TransientSendError('503')));
    await s.sender.drain(24 * 3600_000);
    const last = (await outboxRows(s.db))[1];
    expect(last.status).toBe('failed');
    expect(last.lastError).toContain('503');
    expect(last.attempts).toBe(MAX_ATTEMPTS);
  });

  it('on 403 marks the binding broken, fails the chat, tells the admins once, and stops retrying', async () => {
    const s = await setup();
    await s.put('-100');
    await s.put('-100');
    s.tg.failures.set('-100', [new ChatForbidden('Forbidden: bot was kicked from the group chat')]);
    await s.sender.drain(60_000);
    const rows = (await outboxRows(s.db));
    expect(rows.slice(0, 2).map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(rows[0].lastError).toContain('kicked');
    const { groupBindings } = s.db.t;
    const [status] = await s.db.orm.select({ status: groupBindings.status }).from(groupBindings).where(eq(groupBindings.chatId, '-100'));
    expect(status.status).toBe('broken');
    const alerts = s.tg.sent.filter((m) => m.chatId === 'p-admin');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].text).toContain('Phòng Nội vụ');
    await s.put('-100');
    s.tg.failures.set('-100', [new ChatForbidden('Forbidden')]);
    await s.sender.drain(60_000);
    expect(s.tg.sent.filter((m) => m.chatId === 'p-admin')).toHaveLength(1);
  });

  it('on a migrated chat moves the binding and resends to the new id', async () => {
    const s = await setup();
    await s.put('-100');
    s.tg.failures.set('-100', [new ChatMigrated('-1009')]);
    await s.sender.drain(60_000);
    expect(s.tg.sent.map((m) => m.chatId)).toEqual(['-1009']);
    const { groupBindings } = s.db.t;
    expect(await s.db.orm.select({ n: count() }).from(groupBindings).where(eq(groupBindings.chatId, '-1009'))).toEqual([{ n: 1 }]);
    expect((await outboxRows(s.db))[0].status).toBe('sent');
  });

  it('fails a message the server refuses for good, with the reason', async () => {
    const s = await setup();
    await s.put('-100');
    s.tg.failures.set('-100', [new PermanentSendError('Bad Request: message text is empty')]);
    await s.sender.drain(60_000);
    expect((await outboxRows(s.db))[0]).toMatchObject({ status: 'failed', lastError: expect.stringContaining('text is empty') });
  });

  it('splits a long message to the channel limit', async () => {
    const s = await setup();
    const zalo = fakeChannel('zalo', s.clock, 2000);
    const sender = createOutboxSender({ db: s.db, config: s.config, log: quietLog, senders: [zalo], clock: s.clock });
    await s.put('z-1', Array.from({ length: 100 }, (_, i) => `${i}. Nhiệm vụ cần hoàn thành trước hạn`).join('\n'), { channel: 'zalo' });
    await sender.drain(60_000);
    expect(zalo.sent.length).toBeGreaterThan(1);
    for (const m of zalo.sent) expect(m.text.length).toBeLessThanOrEqual(2000);
  });

  it('holds messages during quiet hours', async () => {
    const s = await setup();
    s.clock.t = at('2024-06-11 22:00');
    await s.put('-100');
    const r = await s.sender.drainOnce();
    expect(r.sent).toBe(0);
    expect(r.nextAt).toBe(at('2024-06-12 07:00'));
  });

  it('after a crash mid-drain, a restart sends the rest and repeats at most the one in flight', async () => {
    const s = await setup();
    for (let i = 0; i < 5; i++) await s.put(`-10${i}`);
    // The process dies during the third send: the channel got the message, the outbox never heard back.
    let calls = 0;
    const dying = {
      ...s.tg,
      send: async (m: Parameters<typeof s.tg.send>[0]) => {
        calls++;
        await s.tg.send(m);
        if (calls === 3) await new Promise<never>(() => {});
      },
    };
    void createOutboxSender({ db: s.db, config: s.config, log: quietLog, senders: [dying], clock: s.clock }).drainOnce();
    // On a server each query is a round trip: wait for the third send however long the first two take.
    await vi.waitFor(() => expect(calls).toBe(3));
    expect((await outboxRows(s.db)).map((r) => r.status)).toEqual(['sent', 'sent', 'pending', 'pending', 'pending']);
    // The dead drain's lease and its claim on the message in flight run out; then a restart takes over.
    const restarted = createOutboxSender({ db: s.db, config: s.config, log: quietLog, senders: [s.tg], clock: s.clock });
    expect((await restarted.drainOnce()).elsewhere).toEqual(['telegram']);
    s.clock.t += CLAIM_MS;
    await restarted.drain(60_000);
    expect(s.tg.sent.map((m) => m.chatId).sort()).toEqual(['-100', '-101', '-102', '-102', '-103', '-104']);
    expect((await outboxRows(s.db)).every((r) => r.status === 'sent')).toBe(true);
  });
});
