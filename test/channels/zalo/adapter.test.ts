import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createZaloAdapter } from '../../../src/channels/zalo/adapter.ts';
import { ZaloClient } from '../../../src/channels/zalo/client.ts';
import { createZaloSender } from '../../../src/channels/zalo/sender.ts';
import { zaloUpdateToMessage } from '../../../src/channels/zalo/translate.ts';
import { capturedLogger, fakeCore } from '../helpers/fakes.ts';
import { startFakeZalo, zaloText, type FakeZalo } from '../helpers/fake-zalo.ts';

let zalo: FakeZalo;
let client: ZaloClient;
const NOW = Date.UTC(2026, 10, 23, 2, 0);

beforeEach(async () => {
  zalo = await startFakeZalo();
  client = new ZaloClient({ token: zalo.token, apiRoot: zalo.url, requestTimeoutMs: 3000 });
});
afterEach(() => zalo.close());

function setup(respond?: Parameters<typeof fakeCore>[0]) {
  const core = fakeCore(respond);
  const { log, output } = capturedLogger();
  const adapter = createZaloAdapter({ client, core, senders: { zalo: createZaloSender(client) }, log, now: () => NOW });
  adapter.setBotName('Nhắc việc');
  return { core, adapter, output };
}

describe('Zalo update translation', () => {
  it('a private text message becomes an IncomingMessage keyed by message_id', () => {
    expect(zaloUpdateToMessage(zaloText(' /viec ', { messageId: 'm1', userId: 'u9', name: 'Hà' }))).toEqual({
      channel: 'zalo',
      chatId: 'u9',
      chatType: 'private',
      userId: 'u9',
      displayName: 'Hà',
      text: '/viec',
      updateKey: 'm1',
    });
  });

  it('in a group the bot\'s @mention is removed, whatever its case', () => {
    const m = zaloUpdateToMessage(zaloText('@nhắc việc /xong NV-12', { group: true, chatId: 'g1' }), 'Nhắc việc');
    expect(m).toMatchObject({ chatType: 'group', chatId: 'g1', text: '/xong NV-12' });
  });

  it('a reply keeps the quoted text so "xong" can find the task code', () => {
    const u = zaloText('xong', { group: true });
    (u.message as Record<string, unknown>).quote = { text: 'Nhắc hạn NV-07: còn 1 ngày' };
    expect(zaloUpdateToMessage(u)?.replyToText).toBe('Nhắc hạn NV-07: còn 1 ngày');
  });

  it('images without an address, stickers, withheld content and malformed updates are ignored, never thrown', () => {
    for (const event_name of ['message.image.received', 'message.sticker.received', 'message.unsupported.received'])
      expect(zaloUpdateToMessage({ event_name, message: { message_id: 'x', from: { id: 'u' }, chat: { id: 'c', chat_type: 'PRIVATE' } } })).toBeNull();
    expect(zaloUpdateToMessage({ event_name: 'message.text.received' })).toBeNull();
    expect(zaloUpdateToMessage(null as never)).toBeNull();
    expect(zaloUpdateToMessage({ event_name: 'message.text.received', message: { message_id: 'x', text: 'hi' } as never })).toBeNull();
  });
});

describe('Zalo polling loop', () => {
  it('receives an update, hands it to the core and sends the reply; a repeated message_id is handled once', async () => {
    const { core, adapter } = setup();
    const stop = new AbortController();
    zalo.queue(zaloText('/viec', { messageId: 'dup-1', userId: 'u1' }));
    zalo.queue(zaloText('/viec', { messageId: 'dup-1', userId: 'u1' }));
    zalo.queue(zaloText('/trogiup', { messageId: 'm-2', userId: 'u1' }));
    const loop = adapter.poll(stop.signal, { timeoutSec: 1 });
    await zalo.waitSent(2);
    stop.abort();
    await loop;
    expect(core.seen.map((m) => m.updateKey)).toEqual(['dup-1', 'm-2']);
    expect(zalo.sent).toEqual([
      { chat_id: 'u1', text: 'Bạn gõ: /viec' },
      { chat_id: 'u1', text: 'Bạn gõ: /trogiup' },
    ]);
  });

  it('an empty long poll (408) is not an error: the loop keeps polling and logs no warning', async () => {
    const { adapter, output } = setup();
    const stop = new AbortController();
    const loop = adapter.poll(stop.signal, { timeoutSec: 0 });
    while (zalo.calls.filter((c) => c.method === 'getUpdates').length < 3) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    await loop;
    expect(output()).not.toContain('getUpdates failed');
  });

  it('a reply longer than 2000 characters goes out in pieces split at line breaks', async () => {
    const line = 'NV-01 — Báo cáo tình hình thực hiện nhiệm vụ (hạn 30/11/2026)';
    const long = Array.from({ length: 80 }, (_, i) => `${i + 1}. ${line}`).join('\n');
    const { adapter } = setup(() => [{ text: long, buttons: [[{ text: '✅', data: 'xong:NV-01' }]] }]);
    await adapter.handleUpdate(zaloText('/viec', { userId: 'u2' }));
    expect(zalo.sent.length).toBeGreaterThan(1);
    for (const s of zalo.sent) expect(s.text.length).toBeLessThanOrEqual(2000);
    expect(zalo.sent.map((s) => s.text).join('\n')).toBe(long);
  });

  it('the replies go back to the chat the message came from, in order (notices to other chats go through the outbox)', async () => {
    const { adapter } = setup(() => [{ text: 'Đã gửi' }, { text: 'Đề nghị đã chuyển tới lãnh đạo' }]);
    await adapter.handleUpdate(zaloText('/giahan NV-1 30/12 chờ số liệu', { userId: 'u3' }));
    expect(zalo.sent).toEqual([
      { chat_id: 'u3', text: 'Đã gửi' },
      { chat_id: 'u3', text: 'Đề nghị đã chuyển tới lãnh đạo' },
    ]);
  });

  it('network errors back off (1 s doubling), a refusal by the API waits 30 s, and the token is never logged', async () => {
    const { log, output } = capturedLogger();
    const waits: number[] = [];
    const stop = new AbortController();
    // Nothing listens on port 1: connection refused every time.
    const dead = new ZaloClient({ token: zalo.token, apiRoot: 'http://127.0.0.1:1', requestTimeoutMs: 500 });
    const flaky = createZaloAdapter({ client: dead, core: fakeCore(), senders: {}, log });
    await flaky.poll(stop.signal, {
      timeoutSec: 0,
      sleep: async (ms) => {
        waits.push(ms);
        if (waits.length === 3) stop.abort();
      },
    });
    expect(waits).toEqual([1000, 2000, 4000]);

    zalo.override('getUpdates', 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const refused: number[] = [];
    const stop2 = new AbortController();
    const { adapter } = setup();
    await adapter.poll(stop2.signal, {
      timeoutSec: 0,
      sleep: async (ms) => {
        refused.push(ms);
        stop2.abort();
      },
    });
    expect(refused).toEqual([30_000]);
    expect(output()).toContain('getUpdates failed');
    expect(output()).not.toContain(zalo.token);
  });

  it('a core that throws is logged and the loop goes on', async () => {
    const { log, output } = capturedLogger();
    const adapter = createZaloAdapter({
      client,
      core: {
        async handle() {
          throw new Error('boom');
        },
      },
      senders: { zalo: createZaloSender(client) },
      log,
    });
    await expect(adapter.handleUpdate(zaloText('/viec'))).resolves.toBeUndefined();
    expect(output()).toContain('zalo update failed');
  });
});

describe('Zalo webhook deliveries: when the update counts as safe (ack)', () => {
  it('acked at the commit, before the reply goes out; an ignored event at once; nothing committed: no ack, no reply', async () => {
    const { adapter } = setup();
    const order: string[] = [];
    const sentBefore = () => zalo.sent.length;
    await adapter.handleUpdate(zaloText('/viec', { messageId: 'a-1', userId: 'u4' }), () => order.push(`ack:${sentBefore()}`));
    expect(order).toEqual(['ack:0']);
    expect(zalo.sent).toEqual([{ chat_id: 'u4', text: 'Bạn gõ: /viec' }]);
    // The same message again (Zalo retrying): already handled, so acked, and no second reply.
    await adapter.handleUpdate(zaloText('/viec', { messageId: 'a-1', userId: 'u4' }), () => order.push('ack:again'));
    expect(order).toEqual(['ack:0', 'ack:again']);
    expect(zalo.sent.length).toBe(1);
    await adapter.handleUpdate({ event_name: 'message.image.received' }, () => order.push('ack:image'));
    expect(order.at(-1)).toBe('ack:image');

    const { log, output } = capturedLogger();
    const busy = createZaloAdapter({ client, core: { handle: async () => [{ text: 'Hệ thống đang bận' }] }, senders: { zalo: createZaloSender(client) }, log });
    let acked = 0;
    await busy.handleUpdate(zaloText('/viec', { messageId: 'a-2' }), () => acked++);
    expect(acked).toBe(0);
    expect(zalo.sent.length).toBe(1);
    expect(output()).toContain('answered 503');
  });
});
