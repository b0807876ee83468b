// A small fake Bot API server on 127.0.0.1 for the long-polling rules, where the
// telegram-test-api emulator does not help (it answers getUpdates at once and
// ignores offsets). Like Telegram: getUpdates is a long poll from `offset`, and a
// second getUpdates while one is pending ends the older one with 409 Conflict.
// Each bot process is told its own API root, http://127.0.0.1:<port>/<who>/, so
// the fake knows who called.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeTelegramCall {
  who: string;
  method: string;
  body: Record<string, unknown>;
  /** HTTP status of the answer (0 while the call is pending). */
  status: number;
}

export interface FakeTelegram {
  /** The API root for one caller (give it as TELEGRAM_API_ROOT). */
  root(who: string): string;
  calls: FakeTelegramCall[];
  /** Texts sent, with who sent them. */
  sent: { who: string; chat_id: string; text: string }[];
  /** Queues a private text message from `userId`; returns its update_id. */
  message(userId: number, text: string): number;
  /** Who has a getUpdates pending right now. */
  pollers(): string[];
  /** Resolves when at least n messages have been sent. */
  waitSent(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Longest a getUpdates is held here, whatever timeout the bot asked (keeps stop() quick). */
const HOLD_MS = 1000;

export async function startFakeTelegram(): Promise<FakeTelegram> {
  const calls: FakeTelegramCall[] = [];
  const sent: FakeTelegram['sent'] = [];
  const updates: { update_id: number; message: unknown }[] = [];
  let nextUpdate = 1;
  let pending: { who: string; finish: (status: number, json: unknown) => void; wake: () => void } | null = null;
  const sentWaiters: (() => void)[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const m = /^\/([^/]+)\/bot[^/]+\/(\w+)$/.exec(req.url ?? '');
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : {};
      } catch {
        // Not JSON: answered as an empty call.
      }
      const call: FakeTelegramCall = { who: m?.[1] ?? '?', method: m?.[2] ?? '?', body, status: 0 };
      calls.push(call);
      let done = false;
      const finish = (status: number, json: unknown) => {
        if (done) return;
        done = true;
        call.status = status;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(json));
      };
      const ok = (result: unknown) => finish(200, { ok: true, result });
      switch (call.method) {
        case 'getMe':
          return ok({ id: 42, is_bot: true, first_name: 'Nhắc việc', username: 'nhacviec_bot' });
        case 'deleteWebhook':
        case 'setWebhook':
        case 'answerCallbackQuery':
          return ok(true);
        case 'sendMessage':
          sent.push({ who: call.who, chat_id: String(body.chat_id), text: String(body.text) });
          while (sentWaiters.length) sentWaiters.shift()!();
          return ok({ message_id: sent.length, date: 0, chat: { id: body.chat_id, type: 'private' }, text: body.text });
        case 'getUpdates': {
          // A newer getUpdates ends the pending one, as Telegram does.
          pending?.finish(409, { ok: false, error_code: 409, description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running' });
          const offset = Number(body.offset ?? 0);
          while (updates.length && updates[0].update_id < offset) updates.shift();
          const limit = Number(body.limit ?? 100);
          const waitMs = Math.min(Number(body.timeout ?? 0) * 1000, HOLD_MS);
          if (!updates.length && waitMs > 0) {
            await new Promise<void>((resolve) => {
              const t = setTimeout(wake, waitMs);
              function wake() {
                clearTimeout(t);
                resolve();
              }
              const mine = { who: call.who, finish, wake };
              pending = mine;
              req.socket.once('close', wake);
              res.once('finish', () => {
                if (pending === mine) pending = null;
                wake();
              });
            });
          }
          if (pending?.finish === finish) pending = null;
          return ok(updates.slice(0, limit));
        }
        default:
          return finish(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    root: (who) => `http://127.0.0.1:${port}/${who}/`,
    calls,
    sent,
    message(userId, text) {
      const update_id = nextUpdate++;
      updates.push({
        update_id,
        message: { message_id: update_id, date: 0, text, chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'Lan' } },
      });
      pending?.wake();
      return update_id;
    },
    pollers: () => (pending ? [pending.who] : []),
    async waitSent(n, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (sent.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${sent.length} of ${n} messages sent`);
        await new Promise<void>((r) => {
          const t = setTimeout(r, 100);
          sentWaiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
      }
    },
    async close() {
      pending?.wake();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
