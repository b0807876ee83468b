// Messages a command sends to other chats (the chairs, the requester, the unit's group) go
// through the outbox, written in the command's own transaction: they survive a failed send,
// the sender retries them, and a repeated update queues nothing a second time.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../../src/bot/core.ts';
import { UNEXPECTED } from '../../../src/bot/texts.ts';
import type { Notice } from '../../../src/bot/types.ts';
import { TransientSendError } from '../../../src/channels/types.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { backoffMs, createOutboxSender } from '../../../src/scheduler/sender.ts';
import { fakeChannel, fakeClock, quietLog } from '../../scheduler/fakes.ts';
import { bindGroup, harness, NOW, queuedNotices, rowCount, task } from './helpers.ts';

const GIAO = '/giao XA-AN 31/12/2026 Rà soát hộ nghèo';

async function withGroups() {
  const h = await harness();
  const chair = await h.link('CT-TINH');
  const officer = await h.link('CB-XA-AN');
  await bindGroup(h.db, { channel: 'telegram', chatId: 'g-an', unitCode: 'XA-AN' });
  await bindGroup(h.db, { channel: 'telegram', chatId: 'lead', leadership: true });
  return { h, chair, officer };
}

describe('notices to other chats', () => {
  it('are queued under a key of the update, with their buttons, and not returned as replies', async () => {
    const { h, chair, officer } = await withGroups();
    const r = await h.send(chair, GIAO, { updateKey: '7001' });
    expect(r).toHaveLength(1);
    expect(r[0].text).toMatch(/Đã giao nhiệm vụ NV-2026-0001 .*Đã báo cho đơn vị/);
    expect(await queuedNotices(h.db)).toEqual([
      {
        key: 'notice:telegram:7001:1',
        channel: 'telegram',
        chatId: 'g-an',
        text: expect.stringMatching(/^📌 Nhiệm vụ mới NV-2026-0001 giao cho UBND xã An Bình: Rà soát hộ nghèo/),
        status: 'pending',
        payload: { buttons: [[{ text: '✅ Đã hoàn thành', data: 'xong:NV-2026-0001' }]] },
      },
    ]);

    // The request to the leadership, then the decision back to the requester's private chat.
    expect(await h.say(officer, '/giahan NV-10 15/12/2026 chờ số liệu', { updateKey: '7002' })).toMatch(/Đã gửi đề nghị gia hạn số 2/);
    expect(await h.say(chair, '/duyet 2', { updateKey: '7003' })).toMatch(/^Đã duyệt/);
    const [, ask, decision] = await queuedNotices(h.db);
    expect(ask).toMatchObject({ key: 'notice:telegram:7002:1', chatId: 'lead', payload: { buttons: [[{ data: 'duyet:2' }, { data: 'tuchoi:2' }]] } });
    expect(decision).toMatchObject({ key: 'notice:telegram:7003:1', chatId: `p-${officer}`, payload: null, text: expect.stringMatching(/đã được duyệt/) });
  });

  it('are written in the same transaction as the effect: no notice without the task, no task without the notice', async () => {
    const { h, chair } = await withGroups();
    // A refused command writes neither.
    expect(await h.say(chair, '/giao XA-AN 01/01/2020 Việc cũ', { updateKey: '1' })).toMatch(/đã qua/);
    expect(await queuedNotices(h.db)).toEqual([]);

    // The outbox cannot be written: the task is not created either, and the update is not marked handled.
    await h.db.run(sql`ALTER TABLE outbox RENAME TO outbox_away`);
    try {
      expect(await h.say(chair, GIAO, { updateKey: '2' })).toBe(UNEXPECTED);
    } finally {
      await h.db.run(sql`ALTER TABLE outbox_away RENAME TO outbox`);
    }
    expect(await rowCount(h.db, 'tasks', sql`code = 'NV-2026-0001'`)).toBe(0);
    expect(await queuedNotices(h.db)).toEqual([]);

    // The same update sent again goes through, task and notice together.
    expect(await h.say(chair, GIAO, { updateKey: '2' })).toMatch(/Đã giao nhiệm vụ NV-2026-0001/);
    expect((await task(h.db, 'NV-2026-0001')).id).toBeGreaterThan(0);
    expect((await queuedNotices(h.db)).map((n) => n.key)).toEqual(['notice:telegram:2:1']);
  });

  it('a repeated update queues no second notice, also when both copies arrive at once', async () => {
    const { h, chair } = await withGroups();
    expect(await h.send(chair, GIAO, { updateKey: '42' })).toHaveLength(1);
    expect(await h.send(chair, GIAO, { updateKey: '42' })).toEqual([]);
    expect(await queuedNotices(h.db)).toHaveLength(1);

    const other = createBotCore({ db: h.db, config: loadConfig({}), log: createLogger('silent') });
    const msg = { channel: 'telegram' as const, chatId: `p-${chair}`, chatType: 'private' as const, userId: chair, text: '/giao XA-AN 31/12/2026 Việc thứ hai', updateKey: '43' };
    const [a, b] = await Promise.all([h.send(chair, msg.text, { updateKey: '43' }), other.handle(msg, NOW)]);
    expect([a, b].filter((x) => x.length > 0)).toHaveLength(1);
    expect((await queuedNotices(h.db)).map((n) => n.key)).toEqual(['notice:telegram:42:1', 'notice:telegram:43:1']);
    expect(await rowCount(h.db, 'tasks', sql`code LIKE 'NV-2026-%'`)).toBe(2);

    // An update without a key (the console) is never repeated: each gets keys of its own.
    await h.send(chair, '/giao XA-AN 31/12/2026 Việc thứ ba');
    await h.send(chair, '/giao XA-AN 31/12/2026 Việc thứ tư');
    const keys = (await queuedNotices(h.db)).map((n) => n.key);
    expect(new Set(keys).size).toBe(4);
    expect(keys.slice(2).every((k) => /^notice:telegram:[0-9a-f-]{36}:1$/.test(k))).toBe(true);
  });

  it('survive a failing send: the sender retries them after the backoff and sends them once', async () => {
    const { h, chair } = await withGroups();
    await h.send(chair, GIAO, { updateKey: '9' });
    const clock = fakeClock(NOW);
    const tg = fakeChannel('telegram', clock);
    tg.failures.set('g-an', [new TransientSendError('ECONNRESET')]);
    const sender = createOutboxSender({ db: h.db, config: loadConfig({}), log: quietLog, senders: [tg], clock });

    expect(await sender.drainOnce()).toMatchObject({ sent: 0, retried: 1 });
    expect(await queuedNotices(h.db)).toMatchObject([{ status: 'pending' }]);
    expect(tg.sent).toEqual([]);

    clock.t += backoffMs(1);
    expect((await sender.drain(60_000)).sent).toBe(1);
    expect(tg.sent).toHaveLength(1);
    expect(tg.sent[0]).toMatchObject({ chatId: 'g-an', text: expect.stringMatching(/Nhiệm vụ mới NV-2026-0001/), buttons: [[{ text: '✅ Đã hoàn thành', data: 'xong:NV-2026-0001' }]] });
    expect(await queuedNotices(h.db)).toMatchObject([{ status: 'sent' }]);
    expect((await sender.drain(60_000)).sent).toBe(0);
    expect(tg.sent).toHaveLength(1);
  });
});

describe('the core hooks', () => {
  it('committed runs once after the commit; onEnqueued gets the queued notices; neither runs when nothing committed', async () => {
    const { h, chair, officer } = await withGroups();
    const events: string[] = [];
    const seen: Notice[][] = [];
    const core = createBotCore({
      db: h.db,
      config: loadConfig({}),
      log: createLogger('silent'),
      onEnqueued: (n) => {
        events.push('enqueued');
        seen.push(n);
      },
    });
    const committed = () => events.push('committed');
    const say = (userId: string, text: string, updateKey: string) =>
      core.handle({ channel: 'telegram', chatId: `p-${userId}`, chatType: 'private', userId, text, updateKey }, NOW, { committed });

    expect((await say(chair, GIAO, 'h1'))[0].text).toMatch(/Đã giao/);
    expect(events).toEqual(['committed', 'enqueued']);
    expect(seen[0]).toMatchObject([{ to: { channel: 'telegram', chatId: 'g-an' }, text: expect.stringMatching(/NV-2026-0001/) }]);

    // No notice: committed only. A refusal commits too (the update is marked handled).
    events.length = 0;
    await say(officer, '/viec', 'h2');
    await say(officer, '/duyet 1', 'h3');
    expect(events).toEqual(['committed', 'committed']);

    // A repeated update: nothing to do, but the transaction that found it handled committed.
    events.length = 0;
    expect(await say(chair, GIAO, 'h1')).toEqual([]);
    expect(events).toEqual(['committed']);

    // Nothing committed (an error rolled everything back): no hook.
    events.length = 0;
    await h.db.run(sql`ALTER TABLE outbox RENAME TO outbox_away`);
    try {
      expect((await say(chair, GIAO, 'h4'))[0].text).toBe(UNEXPECTED);
    } finally {
      await h.db.run(sql`ALTER TABLE outbox_away RENAME TO outbox`);
    }
    expect(events).toEqual([]);

    // A hook that throws changes nothing for the user.
    const r = await core.handle({ channel: 'telegram', chatId: `p-${officer}`, chatType: 'private', userId: officer, text: '/viec', updateKey: 'h5' }, NOW, {
      committed: () => {
        throw new Error('boom');
      },
    });
    expect(r[0].text).toMatch(/NV-10/);
  });

  it('committed runs once for a report too, whose document is built after the commit', async () => {
    const { h, chair } = await withGroups();
    let calls = 0;
    const core = createBotCore({ db: h.db, config: loadConfig({}), log: createLogger('silent') });
    const r = await core.handle({ channel: 'telegram', chatId: `p-${chair}`, chatType: 'private', userId: chair, text: '/baocao 6 thang', updateKey: 'b1' }, NOW, {
      committed: () => calls++,
    });
    expect(r[0].document?.filename).toMatch(/\.xlsx$/);
    expect(calls).toBe(1);
  });
});
