import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BotCore, IncomingMessage } from '../../src/bot/types.ts';
import type { ChannelSender, OutgoingMessage } from '../../src/channels/types.ts';
import { createWebhookServer, secretMatches, type WebhookRoute, type WebhookServer } from '../../src/channels/webhook-server.ts';
import { createZaloAdapter } from '../../src/channels/zalo/adapter.ts';
import { ZaloClient } from '../../src/channels/zalo/client.ts';
import { createZaloSender } from '../../src/channels/zalo/sender.ts';
import { capturedLogger, fakeCore } from './helpers/fakes.ts';
import { startFakeZalo, zaloText, type FakeZalo } from './helpers/fake-zalo.ts';

const TG_SECRET = 'telegram-webhook-secret-42';
const ZALO_SECRET = 'zalo-webhook-secret-0042';

let server: WebhookServer;
let base: string;
let zalo: FakeZalo;
let telegramBodies: unknown[];
let captured: ReturnType<typeof capturedLogger>;
let core: ReturnType<typeof fakeCore>;

beforeEach(async () => {
  zalo = await startFakeZalo();
  captured = capturedLogger();
  core = fakeCore();
  telegramBodies = [];
  const client = new ZaloClient({ token: zalo.token, apiRoot: zalo.url });
  const adapter = createZaloAdapter({ client, core, senders: { zalo: createZaloSender(client) }, log: captured.log });
  server = createWebhookServer({
    log: captured.log,
    maxBodyBytes: 64 * 1024,
    routes: [
      {
        name: 'telegram',
        path: '/tg/hook',
        secretHeader: 'x-telegram-bot-api-secret-token',
        secret: TG_SECRET,
        handle: async (b, ack) => {
          telegramBodies.push(b);
          ack();
        },
      },
      {
        name: 'zalo',
        path: '/zalo',
        secretHeader: 'x-bot-api-secret-token',
        secret: ZALO_SECRET,
        handle: (b, ack) => adapter.handleUpdate((b as { result: never }).result, ack),
      },
    ],
  });
  base = `http://127.0.0.1:${await server.listen(0, '127.0.0.1')}`;
});
afterEach(async () => {
  await server.close();
  await zalo.close();
});

function post(path: string, headers: Record<string, string>, body: string) {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

describe('webhook server', () => {
  it('Telegram: the right secret is accepted (200) and the update handled', async () => {
    const res = await post('/tg/hook', { 'x-telegram-bot-api-secret-token': TG_SECRET }, JSON.stringify({ update_id: 7 }));
    expect(res.status).toBe(200);
    await server.idle();
    expect(telegramBodies).toEqual([{ update_id: 7 }]);
  });

  it('Zalo: the right secret → the update goes through the same adapter path and is answered', async () => {
    const body = JSON.stringify({ ok: true, result: zaloText('/viec', { userId: 'u5', messageId: 'w1' }) });
    const res = await post('/zalo', { 'x-bot-api-secret-token': ZALO_SECRET }, body);
    expect(res.status).toBe(200);
    await server.idle();
    expect(core.seen[0]).toMatchObject({ channel: 'zalo', updateKey: 'w1', text: '/viec' });
    expect(zalo.sent).toEqual([{ chat_id: 'u5', text: 'Bạn gõ: /viec' }]);
    // The same message delivered again (Zalo retries) is handled once.
    await post('/zalo', { 'x-bot-api-secret-token': ZALO_SECRET }, body);
    await server.idle();
    expect(zalo.sent.length).toBe(1);
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-telegram-bot-api-secret-token': 'nope' }],
    ['almost right', { 'x-telegram-bot-api-secret-token': TG_SECRET.slice(0, -1) + 'X' }],
    ['longer', { 'x-telegram-bot-api-secret-token': TG_SECRET + 'x' }],
    ['the other channel\'s', { 'x-telegram-bot-api-secret-token': ZALO_SECRET }],
    ['right value in the wrong header', { 'x-bot-api-secret-token': TG_SECRET }],
  ])('Telegram: a %s secret → 401, nothing handled, logged without the secret', async (_name, headers) => {
    const res = await post('/tg/hook', headers as Record<string, string>, JSON.stringify({ update_id: 1 }));
    expect(res.status).toBe(401);
    await server.idle();
    expect(telegramBodies).toEqual([]);
    expect(captured.output()).toContain('wrong secret');
    expect(captured.output()).not.toContain(TG_SECRET);
    expect(captured.output()).not.toContain(TG_SECRET.slice(0, -1));
  });

  it.each([
    ['missing', {}],
    ['wrong', { 'x-bot-api-secret-token': 'zalo-webhook-secret-0043' }],
    ['Telegram-style header', { 'x-telegram-bot-api-secret-token': ZALO_SECRET }],
  ])('Zalo: a %s secret → 401 and no reply sent', async (_name, headers) => {
    const res = await post('/zalo', headers as Record<string, string>, JSON.stringify({ ok: true, result: zaloText('/viec') }));
    expect(res.status).toBe(401);
    await server.idle();
    expect(core.seen).toEqual([]);
    expect(captured.output()).not.toContain(ZALO_SECRET);
  });

  it('a body that is not JSON → 400', async () => {
    const res = await post('/zalo', { 'x-bot-api-secret-token': ZALO_SECRET }, '{"ok": true, result:');
    expect(res.status).toBe(400);
    expect(core.seen).toEqual([]);
  });

  it('an oversized body → 413 before any parsing, whether or not Content-Length says so', async () => {
    const big = JSON.stringify({ update_id: 1, pad: 'x'.repeat(100 * 1024) });
    const res = await post('/tg/hook', { 'x-telegram-bot-api-secret-token': TG_SECRET }, big);
    expect(res.status).toBe(413);
    // Chunked (no Content-Length): the limit is counted while reading.
    const chunked = await fetch(`${base}/tg/hook`, {
      method: 'POST',
      headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(10 * 1024)));
          c.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(telegramBodies).toEqual([]);
  });

  it('unknown paths → 404, other methods → 405', async () => {
    expect((await post('/other', {}, '{}')).status).toBe(404);
    expect((await fetch(`${base}/tg/hook`)).status).toBe(405);
  });

  it('secretMatches compares by digest: equal only for the exact string', () => {
    expect(secretMatches(TG_SECRET, TG_SECRET)).toBe(true);
    expect(secretMatches(TG_SECRET.toUpperCase(), TG_SECRET)).toBe(false);
    expect(secretMatches('', TG_SECRET)).toBe(false);
    expect(secretMatches(undefined, TG_SECRET)).toBe(false);
    expect(secretMatches([TG_SECRET, TG_SECRET], TG_SECRET)).toBe(false);
  });
});

/** A promise the test resolves when it chooses. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

/** Has the promise settled by the time pending I/O and timers of this turn have run? */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 50));
  return done;
}

describe('the answer waits for the commit, and only for it', () => {
  const SECRET = 'zalo-webhook-secret-commit';
  let hook: WebhookServer;
  let url: string;
  let log: ReturnType<typeof capturedLogger>;
  const sentOut: OutgoingMessage[] = [];

  /** A Zalo sender that holds every message until `sending` opens. */
  let sending: ReturnType<typeof gate>;
  const sender: ChannelSender = {
    channel: 'zalo',
    maxTextLength: 2000,
    async send(m) {
      await sending.wait;
      sentOut.push(m);
    },
  };

  async function serve(core: BotCore, extra: WebhookRoute[] = []) {
    log = capturedLogger();
    const client = new ZaloClient({ token: 'unused-token-1234', apiRoot: 'http://127.0.0.1:1' });
    const adapter = createZaloAdapter({ client, core, senders: { zalo: sender }, log: log.log });
    hook = createWebhookServer({
      log: log.log,
      routes: [{ name: 'zalo', path: '/zalo', secretHeader: 'x-bot-api-secret-token', secret: SECRET, handle: (b, ack) => adapter.handleUpdate((b as { result: never }).result, ack) }, ...extra],
    });
    url = `http://127.0.0.1:${await hook.listen(0, '127.0.0.1')}`;
  }
  const deliver = (messageId: string, path = '/zalo') =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'x-bot-api-secret-token': SECRET }, body: JSON.stringify({ ok: true, result: zaloText('/baocao', { userId: 'u7', messageId }) }) });

  beforeEach(() => {
    sentOut.length = 0;
    sending = gate();
  });
  afterEach(async () => {
    sending.open();
    await hook.close();
  });

  it('no 200 before the transaction commits; the 200 goes out at the commit, before the slow part (building, sending the replies)', async () => {
    const commit = gate();
    const core: BotCore = {
      async handle(_msg: IncomingMessage, _now: number, opts) {
        await commit.wait;
        opts?.committed?.();
        return [{ text: 'Báo cáo tháng' }];
      },
    };
    await serve(core);
    const res = deliver('slow-1');
    expect(await settled(res)).toBe(false);
    commit.open();
    // Answered although the reply is still held by the sender.
    expect((await res).status).toBe(200);
    expect(sentOut).toEqual([]);
    sending.open();
    await hook.idle();
    expect(sentOut.map((m) => [m.chatId, m.text])).toEqual([['u7', 'Báo cáo tháng']]);
  });

  it('nothing committed (the database busy): 503, no reply; the platform\'s next delivery is answered 200, with the one reply', async () => {
    let calls = 0;
    const core: BotCore = {
      async handle(_msg, _now, opts) {
        calls++;
        // The first time the transaction never commits: the core answers with its "busy" sentence and no hook.
        if (calls === 1) return [{ text: 'Hệ thống đang bận cập nhật dữ liệu. Vui lòng gửi lại lệnh sau ít phút.' }];
        opts?.committed?.();
        return [{ text: 'Đã ghi nhận' }];
      },
    };
    await serve(core);
    sending.open();
    const first = await deliver('busy-1');
    expect(first.status).toBe(503);
    await hook.idle();
    expect(sentOut).toEqual([]);
    expect(log.output()).toContain('answered 503');
    const again = await deliver('busy-1');
    expect(again.status).toBe(200);
    await hook.idle();
    expect(sentOut.map((m) => m.text)).toEqual(['Đã ghi nhận']);
  });

  it('a core that throws, or a route that fails before its ack: 503, and the server goes on serving', async () => {
    const core: BotCore = {
      async handle() {
        throw new Error('boom');
      },
    };
    const failing: WebhookRoute = {
      name: 'other',
      path: '/other',
      secretHeader: 'x-bot-api-secret-token',
      secret: SECRET,
      async handle() {
        throw new Error('no connection');
      },
    };
    await serve(core, [failing]);
    expect((await deliver('boom-1')).status).toBe(503);
    expect((await deliver('boom-2', '/other')).status).toBe(503);
    await hook.idle();
    expect(log.output()).toContain('webhook update failed');
    expect(sentOut).toEqual([]);
  });

  it('an update with nothing to do (an image, withheld content) is answered 200 without reaching the core', async () => {
    const core = fakeCore();
    await serve(core);
    const body = JSON.stringify({ ok: true, result: { event_name: 'message.unsupported.received', message: { message_id: 'x', from: { id: 'u' }, chat: { id: 'c', chat_type: 'PRIVATE' } } } });
    const res = await fetch(`${url}/zalo`, { method: 'POST', headers: { 'x-bot-api-secret-token': SECRET }, body });
    expect(res.status).toBe(200);
    expect(core.seen).toEqual([]);
  });
});
