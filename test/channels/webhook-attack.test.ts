// The webhook server under attack, both routes, the real core on an SQLite file:
// spoofed secrets, junk bodies, oversized bodies and replays are rejected or
// de-duplicated, nothing is written, and no secret reaches the logs.
import crypto from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { secretMatches } from '../../src/channels/webhook-server.ts';
import {
  HEADER,
  SECRET,
  spoofs,
  startWebhookTarget,
  telegramText,
  TG_TOKEN,
  TG_USER,
  ZALO_USER,
  zaloWebhookText,
  type Route,
  type WebhookTarget,
} from './helpers/webhook-target.ts';

let t: WebhookTarget;
beforeAll(async () => {
  t = await startWebhookTarget();
}, 30_000);
afterAll(async () => {
  await t?.stop();
});

const ROUTES: Route[] = ['telegram', 'zalo'];

/** Every row of every table: "nothing written" means this string did not change. */
function dbDump(): string {
  const c = t.sqlite();
  const tables = (c.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  return JSON.stringify(tables.map((name) => [name, c.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all()]));
}
const totalChanges = () => (t.sqlite().prepare('SELECT total_changes() AS n').get() as { n: number }).n;
const repliesSent = () => t.telegramReplies(TG_USER).length + t.zalo.sent.filter((s) => s.chat_id === ZALO_USER).length;

/** A command that would write (complete a task) if it got through. */
function validBody(route: Route, key: number): string {
  return route === 'telegram' ? telegramText(key, '/xong NV-10 Đã nộp') : zaloWebhookText(`attack-${key}`, '/xong NV-13');
}

describe.each(ROUTES)('%s webhook', (route) => {
  // (Spaces around a header value are not a variant: HTTP strips them before anyone sees the value.)
  it.each(spoofs(route))('secret %s → 401, nothing handled, nothing written, the secret not logged', async (_name, headers) => {
    const dump = dbDump();
    const changes = totalChanges();
    const replies = repliesSent();
    const res = await t.post(route, headers, validBody(route, 1));
    expect(res.status).toBe(401);
    expect(await res.text()).toBe('unauthorized');
    await t.idle();
    expect(repliesSent()).toBe(replies);
    expect(totalChanges()).toBe(changes);
    expect(dbDump()).toBe(dump);
    const logs = t.logs();
    expect(logs).toContain('webhook refused: wrong secret');
    expect(logs).not.toContain(SECRET[route]);
    for (const v of Object.values(headers)) if (v.length >= 8) expect(logs).not.toContain(v.trim());
  });

  it.each([
    ['text', 'xong NV-10'],
    ['truncated JSON', '{"update_id": 5, "message": {"text": "/xong NV-10"'],
    ['empty body', ''],
    ['binary', '\u0000\u0001\u00ff\ufffd'],
    ['JSON with a trailing comma', '{"update_id": 5,}'],
    ['a form', 'update_id=5&text=%2Fxong'],
  ])('%s with the right secret → 400, nothing written', async (_name, body) => {
    const dump = dbDump();
    const res = await t.post(route, { [HEADER[route]]: SECRET[route] }, body);
    expect(res.status).toBe(400);
    await t.idle();
    expect(dbDump()).toBe(dump);
    expect(t.logs()).toContain('webhook refused: not JSON');
  });

  it.each([['null'], ['[]'], ['42'], ['"text"'], ['{}'], ['{"ok":true}'], ['{"update_id":"x"}'], ['{"ok":true,"result":{"event_name":"message.text.received"}}']])(
    'well-formed JSON that is no update (%s) → accepted, ignored, nothing written, the server keeps serving',
    async (body) => {
      const dump = dbDump();
      const replies = repliesSent();
      const res = await t.post(route, { [HEADER[route]]: SECRET[route] }, body);
      expect(res.status).toBe(200);
      await t.idle();
      expect(dbDump()).toBe(dump);
      expect(repliesSent()).toBe(replies);
    },
  );

  it('an oversized body → 413, declared by Content-Length or not, answered before the body has even ended; nothing written', async () => {
    const dump = dbDump();
    const big = validBody(route, 2).replace('"text":', `"pad":"${'x'.repeat(1024 * 1024)}","text":`);
    const res = await t.post(route, { [HEADER[route]]: SECRET[route] }, big);
    expect(res.status).toBe(413);

    // Chunked, never ended: the server must count while streaming and answer without waiting for the end.
    const early = await new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
      const req = http.request(t.url(route), { method: 'POST', headers: { [HEADER[route]]: SECRET[route], 'transfer-encoding': 'chunked' } });
      let sentBytes = 0;
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const timer = setInterval(() => {
        if (sentBytes < 8 * 1024 * 1024) {
          req.write(chunk);
          sentBytes += chunk.length;
        }
      }, 2);
      req.on('response', (r) => {
        clearInterval(timer);
        r.resume();
        req.destroy();
        resolve({ status: r.statusCode ?? 0, sentBytes });
      });
      req.on('error', (e) => {
        clearInterval(timer);
        reject(e);
      });
    });
    expect(early.status).toBe(413);
    expect(early.sentBytes).toBeLessThan(8 * 1024 * 1024);
    await t.idle();
    expect(dbDump()).toBe(dump);
    expect(t.logs()).toContain('webhook refused: body too large');
  });
});

describe('replayed updates are handled once, even concurrently and across a restart', () => {
  const CASES: { route: Route; key: number; body: () => string }[] = [
    { route: 'telegram', key: 9001, body: () => telegramText(9001, '/xong NV-10 Đã nộp báo cáo số 15/BC-UBND') },
    { route: 'telegram', key: 9002, body: () => telegramText(9002, '/giahan NV-09 30/12/2026 chờ số liệu của các thôn') },
    { route: 'zalo', key: 9003, body: () => zaloWebhookText('zm-9003', '/xong NV-12 lý do: chờ ý kiến của Sở Tư pháp') },
    { route: 'zalo', key: 9004, body: () => zaloWebhookText('zm-9004', '/giahan NV-13 30/12/2026 chờ kinh phí') },
  ];
  const effects = () => {
    const c = t.sqlite();
    const n = (sql: string) => (c.prepare(sql).get() as { n: number }).n;
    return {
      completed: n("SELECT count(*) AS n FROM tasks WHERE code IN ('NV-10', 'NV-12') AND completed_at IS NOT NULL"),
      events: n('SELECT count(*) AS n FROM task_events'),
      extensions: n("SELECT count(*) AS n FROM extensions WHERE task_id IN (SELECT id FROM tasks WHERE code IN ('NV-09', 'NV-13'))"),
      processed: n('SELECT count(*) AS n FROM processed_updates'),
      replies: repliesSent(),
    };
  };
  const send = async (c: (typeof CASES)[number]) => {
    const res = await t.post(c.route, { [HEADER[c.route]]: SECRET[c.route] }, c.body());
    expect(res.status).toBe(200);
  };

  it('first delivery: each update has its effect and one answer', async () => {
    const before = effects();
    for (const c of CASES) await send(c);
    await t.idle();
    const after = effects();
    expect(after.completed - before.completed).toBe(2);
    expect(after.extensions - before.extensions).toBe(2);
    expect(after.processed - before.processed).toBe(4);
    expect(after.replies - before.replies).toBe(4);
    expect(t.telegramReplies().slice(-2).join('\n')).toMatch(/NV-10[\s\S]*NV-09/);
  });

  it('the same updates again, three times in a row and five at once: no effect, no answer, nothing written', async () => {
    const before = effects();
    const dump = dbDump();
    const changes = totalChanges();
    for (let i = 0; i < 3; i++) for (const c of CASES) await send(c);
    await Promise.all(CASES.flatMap((c) => Array.from({ length: 5 }, () => send(c))));
    await t.idle();
    expect(effects()).toEqual(before);
    expect(totalChanges()).toBe(changes);
    expect(dbDump()).toBe(dump);
  });

  it('after a restart on the same database (a redeploy, or Telegram retrying after a crash) they are still recognised', async () => {
    const before = effects();
    await t.restart();
    const dump = dbDump();
    for (const c of CASES) await send(c);
    await t.idle();
    expect(effects()).toEqual(before);
    expect(dbDump()).toBe(dump);
  });

  it('a new update from the same person is still handled', async () => {
    const before = effects();
    const res = await t.post('telegram', { [HEADER.telegram]: SECRET.telegram }, telegramText(9005, '/viec'));
    expect(res.status).toBe(200);
    await t.idle();
    expect(effects().processed).toBe(before.processed + 1);
    expect(effects().replies).toBe(before.replies + 1);
  });
});

describe('the secret comparison', () => {
  it('goes through crypto.timingSafeEqual on equal-length buffers whatever the length of what was sent', () => {
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    try {
      for (const given of ['x', SECRET.telegram.slice(0, -1), SECRET.telegram, `${SECRET.telegram}${'y'.repeat(500)}`]) {
        secretMatches(given, SECRET.telegram);
      }
      expect(spy).toHaveBeenCalledTimes(4);
      for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
      expect(spy.mock.results.map((r) => r.value)).toEqual([false, false, true, false]);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the logs of the whole attack', () => {
  it('hold no token and no secret', () => {
    const logs = t.logs();
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [TG_TOKEN, TG_TOKEN.split(':')[1]!, t.zalo.token, SECRET.telegram, SECRET.zalo]) expect(logs).not.toContain(secret);
  });
});
