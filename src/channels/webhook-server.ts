// One small HTTP server for the webhooks of both channels. Each route checks its
// secret header in constant time (401 otherwise), limits the body size before
// parsing (413), refuses non-JSON (400), and hands the update to the channel's
// handleUpdate (the same path polling uses).
//
// It answers 200 only once the update is safe: its transaction has committed, or it
// was nothing to act on (ignored, or already handled: a replay). The answer goes out
// right after the commit, before the replies are built and sent, so a slow command
// does not hold it past the platform's timeout. When nothing was committed (the
// database busy, a failure), it answers 503 and sends no reply: the platform sends
// the update again later, and the user gets the one real answer then. A crash
// before the commit therefore loses nothing either: no 200 went out.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotCore, IncomingMessage, Reply } from '../bot/types.ts';
import { redact, type Logger } from '../log.ts';

export interface WebhookRoute {
  /** 'telegram' or 'zalo', for the logs. */
  name: string;
  /** URL path, e.g. /telegram (the path of TELEGRAM_WEBHOOK_URL). */
  path: string;
  /** Header carrying the secret, lower-case (x-telegram-bot-api-secret-token, x-bot-api-secret-token). */
  secretHeader: string;
  secret: string;
  /**
   * Receives the parsed JSON body. Calls `ack()` as soon as the update is safe (committed,
   * ignored, or a replay): the server answers 200 then, and what handle does afterwards
   * (sending the replies) happens after the answer. If it ends or throws without ack,
   * nothing was committed: the server answers 503 and the platform sends it again.
   */
  handle(body: unknown, ack: () => void): Promise<void>;
}

/**
 * The core's handle() as a webhook needs it: `ack` is called right after the update's
 * transaction has committed (a replay commits too: the core calls `committed` for it).
 * Resolves to the replies to send, or null when nothing was committed (busy, a failure):
 * then the replies (the "busy" sentence) are dropped, since the platform will send the
 * update again. Without `ack` (long polling: no second delivery) the replies are always sent.
 */
export async function handleAcked(core: BotCore, msg: IncomingMessage, now: number, ack: (() => void) | undefined, log: Logger): Promise<Reply[] | null> {
  if (!ack) return core.handle(msg, now);
  let committed = false;
  const replies = await core.handle(msg, now, {
    committed: () => {
      committed = true;
      ack();
    },
  });
  if (committed) return replies;
  log.warn({ channel: msg.channel, updateKey: msg.updateKey }, 'update not committed: answered 503, the platform will send it again');
  return null;
}

export interface WebhookServerOptions {
  routes: WebhookRoute[];
  log: Logger;
  /** Largest body accepted, in bytes (default 1 MB). */
  maxBodyBytes?: number;
}

export interface WebhookServer {
  /** Listens; resolves to the port actually bound (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, then waits for the updates in hand. */
  close(): Promise<void>;
  /** Resolves when every accepted update has been handled (for tests and shutdown). */
  idle(): Promise<void>;
}

function digest(s: string): Buffer {
  return crypto.createHash('sha256').update(s, 'utf8').digest();
}

/** Constant-time comparison: both sides hashed to equal-length digests first. */
export function secretMatches(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

class TooLarge extends Error {}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return reject(new TooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new TooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createWebhookServer(opts: WebhookServerOptions): WebhookServer {
  const { log } = opts;
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const byPath = new Map(opts.routes.map((r) => [r.path, r]));
  const inFlight = new Set<Promise<void>>();

  function answer(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
    res.end(text);
  }

  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = byPath.get(path);
    if (!route) return answer(res, 404, 'not found');
    if (req.method !== 'POST') return answer(res, 405, 'method not allowed');
    if (!secretMatches(req.headers[route.secretHeader], route.secret)) {
      // Never log what was sent: an almost-right secret is still most of the secret.
      log.warn({ route: route.name, ip: req.socket.remoteAddress, hadHeader: req.headers[route.secretHeader] !== undefined }, 'webhook refused: wrong secret');
      req.resume();
      return answer(res, 401, 'unauthorized');
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (e) {
      if (e instanceof TooLarge) {
        log.warn({ route: route.name, limit }, 'webhook refused: body too large');
        return answer(res, 413, 'payload too large');
      }
      return answer(res, 400, 'bad request');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ route: route.name, bytes: raw.length }, 'webhook refused: not JSON');
      return answer(res, 400, 'bad request');
    }
    let answered = false;
    const ack = () => {
      if (answered) return;
      answered = true;
      answer(res, 200, 'ok');
    };
    const job = (async () => {
      try {
        await route.handle(body, ack);
      } catch (e) {
        log.error({ route: route.name, err: redact(String((e as Error)?.message)) }, 'webhook update failed');
      }
      if (!answered) {
        answered = true;
        // Nothing committed: not 200, so that the platform delivers the update again.
        answer(res, 503, 'try again later');
      }
    })().finally(() => inFlight.delete(job));
    inFlight.add(job);
  });

  async function idle(): Promise<void> {
    while (inFlight.size) await Promise.all([...inFlight]);
  }

  return {
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await idle();
    },
    idle,
  };
}
