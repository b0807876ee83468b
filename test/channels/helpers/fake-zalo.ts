// A fake Zalo Bot Platform server on 127.0.0.1 following the documented contract:
// POST /bot{TOKEN}/{method}, answers {ok, result | error_code, description},
// getUpdates gives one queued update or 408 "Request timeout" after the wait.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeZalo {
  url: string;
  token: string;
  /** Every call the bot made, in order. */
  calls: { method: string; body: Record<string, unknown> }[];
  /** Texts the bot sent, with their chat. */
  sent: { chat_id: string; text: string }[];
  /** Pictures the bot sent (sendPhoto: a public https URL, an optional caption). */
  photos: { chat_id: string; photo: string; caption?: string }[];
  queue(update: unknown): void;
  /** Next answers for a method, consumed in order: [httpStatus, json]. */
  override(method: string, status: number, json: unknown): void;
  /** Like override, but the body is sent as is (e.g. a proxy's HTML page). */
  overrideRaw(method: string, status: number, text: string): void;
  /** Resolves when the bot has sent at least n messages. */
  waitSent(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeZalo(token = '1234567890:fake-secret-token-abc'): Promise<FakeZalo> {
  const updates: unknown[] = [];
  const waiters: (() => void)[] = [];
  const overrides = new Map<string, [number, unknown][]>();
  const calls: FakeZalo['calls'] = [];
  const sent: FakeZalo['sent'] = [];
  const photos: FakeZalo['photos'] = [];
  const sentWaiters: (() => void)[] = [];
  let msgId = 1000;

  class Raw {
    constructor(readonly text: string) {}
  }

  function reply(res: http.ServerResponse, status: number, json: unknown) {
    res.writeHead(status, { 'content-type': json instanceof Raw ? 'text/html' : 'application/json' });
    res.end(json instanceof Raw ? json.text : JSON.stringify(json));
  }

  function addOverride(method: string, status: number, json: unknown) {
    const list = overrides.get(method) ?? [];
    list.push([status, json]);
    overrides.set(method, list);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const m = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      if (!m || m[1] !== token) return reply(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      const method = m[2];
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
      } catch {
        return reply(res, 400, { ok: false, error_code: 400, description: 'Bad JSON' });
      }
      calls.push({ method, body });
      const o = overrides.get(method)?.shift();
      if (o) return reply(res, o[0], o[1]);
      switch (method) {
        case 'getMe':
          return reply(res, 200, { ok: true, result: { id: 'bot1', account_name: 'Nhắc việc', account_type: 'BASIC', can_join_groups: true } });
        case 'getUpdates': {
          if (!updates.length) {
            const waitMs = Math.min(Number(body.timeout ?? 0) * 1000, 2000);
            await new Promise<void>((resolve) => {
              const t = setTimeout(resolve, waitMs);
              waiters.push(() => {
                clearTimeout(t);
                resolve();
              });
            });
          }
          const u = updates.shift();
          if (!u) return reply(res, 200, { ok: false, error_code: 408, description: 'Request timeout' });
          return reply(res, 200, { ok: true, result: u });
        }
        case 'sendMessage': {
          const text = body.text;
          if (typeof text !== 'string' || text.length < 1 || text.length > 2000)
            return reply(res, 400, { ok: false, error_code: 400, description: 'Text must be between 1 and 2000 characters' });
          sent.push({ chat_id: String(body.chat_id), text });
          while (sentWaiters.length) sentWaiters.shift()!();
          return reply(res, 200, { ok: true, result: { message_id: String(msgId++), date: Date.now() } });
        }
        case 'sendPhoto': {
          // The platform fetches the picture itself: only a public HTTPS address will do.
          const { photo, caption } = body;
          if (typeof photo !== 'string' || !/^https:\/\/[^\s/]+/.test(photo))
            return reply(res, 400, { ok: false, error_code: 400, description: 'photo must be a public https URL' });
          if (caption !== undefined && (typeof caption !== 'string' || caption.length > 2000))
            return reply(res, 400, { ok: false, error_code: 400, description: 'Caption must be at most 2000 characters' });
          photos.push({ chat_id: String(body.chat_id), photo, ...(typeof caption === 'string' ? { caption } : {}) });
          return reply(res, 200, { ok: true, result: { message_id: String(msgId++), date: Date.now() } });
        }
        case 'sendChatAction':
          return reply(res, 200, { ok: true, result: { message_id: String(msgId++), date: Date.now() } });
        case 'setWebhook':
        case 'deleteWebhook':
          return reply(res, 200, { ok: true, result: { url: String(body.url ?? ''), updated_at: Date.now() } });
        case 'getWebhookInfo':
          return reply(res, 200, { ok: true, result: { url: '', updated_at: 0 } });
        default:
          return reply(res, 404, { ok: false, error_code: 404, description: 'Method not found' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    calls,
    sent,
    photos,
    queue(u) {
      updates.push(u);
      waiters.shift()?.();
    },
    override: addOverride,
    overrideRaw(method, status, text) {
      addOverride(method, status, new Raw(text));
    },
    async waitSent(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${sent.length} of ${n} messages sent`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 200);
          sentWaiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    async close() {
      while (waiters.length) waiters.shift()!();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A Zalo text update as the platform sends it. */
export function zaloText(text: string, o: { messageId?: string; chatId?: string; userId?: string; group?: boolean; name?: string } = {}) {
  return {
    event_name: 'message.text.received',
    message: {
      message_id: o.messageId ?? `m-${Math.random().toString(36).slice(2)}`,
      date: 1_700_000_000_000,
      text,
      from: { id: o.userId ?? 'u-1', display_name: o.name ?? 'Lan', is_bot: false },
      chat: { id: o.chatId ?? o.userId ?? 'u-1', chat_type: o.group ? 'GROUP' : 'PRIVATE' },
    },
  };
}
