// The webhooks mounted on the dashboard's app: their own checks still hold, the pages'
// session and CSRF rules do not get in their way, and a signed-in cookie opens nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebhookSet } from '../../src/channels/webhook-server.ts';
import { createLogger } from '../../src/log.ts';
import { startWeb, type WebTarget } from './helpers.ts';

const SECRET = 'web-and-hooks-secret-1';
let w: WebTarget;
let bodies: unknown[];

beforeEach(async () => {
  bodies = [];
  const webhooks = createWebhookSet({
    log: createLogger('silent'),
    maxBodyBytes: 16 * 1024,
    routes: [
      {
        name: 'telegram',
        path: '/hooks/telegram',
        secretHeader: 'x-telegram-bot-api-secret-token',
        secret: SECRET,
        handle: async (b, ack) => {
          bodies.push(b);
          ack();
        },
      },
    ],
  });
  w = await startWeb({ extra: { webhooks } });
});
afterEach(async () => {
  await w.stop();
});

const hook = (headers: Record<string, string>, body: string | ReadableStream, extra: RequestInit = {}) =>
  fetch(`${w.base}/hooks/telegram`, { method: 'POST', headers, body, ...extra, ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit);

describe('webhooks on the dashboard app', () => {
  it('the right secret: 200 without any session or CSRF token', async () => {
    const res = await hook({ 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, '{"update_id":1}');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(bodies).toEqual([{ update_id: 1 }]);
  });

  it('a signed-in cookie and a valid CSRF token do not replace the secret (401)', async () => {
    const b = await w.signIn('QT-AN');
    const res = await b.get('/hooks/telegram', { method: 'POST', headers: { 'x-csrf-token': await b.csrf() }, body: '{"update_id":2}' });
    expect(res.status).toBe(401);
    expect(bodies).toEqual([]);
  });

  it('non-JSON → 400; too large, declared or streamed → 413; GET → 405', async () => {
    const h = { 'x-telegram-bot-api-secret-token': SECRET };
    expect((await hook(h, 'update_id=1')).status).toBe(400);
    expect((await hook(h, JSON.stringify({ pad: 'x'.repeat(20 * 1024) }))).status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 4; i++) c.enqueue(new TextEncoder().encode('x'.repeat(8 * 1024)));
        c.close();
      },
    });
    expect((await hook(h, stream)).status).toBe(413);
    expect((await fetch(`${w.base}/hooks/telegram`)).status).toBe(405);
    expect(bodies).toEqual([]);
  });

  it('the pages go on working beside them', async () => {
    const b = await w.signIn('QT-AN');
    expect((await b.get('/hangdoi')).status).toBe(200);
    expect((await w.browser().get('/')).status).toBe(401);
  });
});
