import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookServer, secretMatches, type WebhookServer } from '../../src/channels/webhook-server.ts';
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
        handle: async (b) => {
          telegramBodies.push(b);
        },
      },
      {
        name: 'zalo',
        path: '/zalo',
        secretHeader: 'x-bot-api-secret-token',
        secret: ZALO_SECRET,
        handle: (b) => adapter.handleUpdate((b as { result: never }).result),
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
