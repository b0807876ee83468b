// The webhook routes of both channels, mounted on the web app (src/web/app.ts), so one
// server on PORT answers the platforms and serves the dashboard. Each route checks its
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
import type http from 'node:http';
import { Hono } from 'hono';
import type { BotCore, IncomingMessage, Reply } from '../bot/types.ts';
import { redact, type Logger } from '../log.ts';
import { listenWeb, type WebEnv, type WebListener } from '../web/server.ts';

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

export interface WebhookSetOptions {
  routes: WebhookRoute[];
  log: Logger;
  /** Largest body accepted, in bytes (default 1 MB). */
  maxBodyBytes?: number;
}

/** The webhook routes, ready to mount on an app, and the updates they have in hand. */
export interface WebhookSet {
  /** Paths served, for the logs. */
  readonly paths: string[];
  /** Adds the routes to the app; mount them before any other middleware (they carry their own checks). */
  register(app: Hono<WebEnv>): void;
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

/** Reads the raw request, counting while it streams: past the limit it stops at once (413), ended or not. */
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

const TEXT = { 'content-type': 'text/plain; charset=utf-8', connection: 'close' };
const answer = (status: number, text: string) => new Response(text, { status, headers: TEXT });

export function createWebhookSet(opts: WebhookSetOptions): WebhookSet {
  const { log } = opts;
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  const inFlight = new Set<Promise<void>>();

  async function serve(route: WebhookRoute, req: http.IncomingMessage): Promise<Response> {
    if (req.method !== 'POST') return answer(405, 'method not allowed');
    if (!secretMatches(req.headers[route.secretHeader], route.secret)) {
      // Never log what was sent: an almost-right secret is still most of the secret.
      log.warn({ route: route.name, ip: req.socket.remoteAddress, hadHeader: req.headers[route.secretHeader] !== undefined }, 'webhook refused: wrong secret');
      return answer(401, 'unauthorized');
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (e) {
      if (e instanceof TooLarge) {
        log.warn({ route: route.name, limit }, 'webhook refused: body too large');
        return answer(413, 'payload too large');
      }
      return answer(400, 'bad request');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      log.warn({ route: route.name, bytes: raw.length }, 'webhook refused: not JSON');
      return answer(400, 'bad request');
    }
    return new Promise<Response>((respond) => {
      let answered = false;
      const ack = () => {
        if (answered) return;
        answered = true;
        respond(answer(200, 'ok'));
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
          respond(answer(503, 'try again later'));
        }
      })().finally(() => inFlight.delete(job));
      inFlight.add(job);
    });
  }

  return {
    paths: opts.routes.map((r) => r.path),
    register(app) {
      for (const route of opts.routes) app.all(route.path, (c) => serve(route, c.env.incoming));
    },
    async idle() {
      while (inFlight.size) await Promise.all([...inFlight]);
    },
  };
}

export type WebhookServerOptions = WebhookSetOptions;

export interface WebhookServer {
  /** Listens; resolves to the port actually bound (0 picks a free one). */
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting, then waits for the updates in hand. */
  close(): Promise<void>;
  /** Resolves when every accepted update has been handled (for tests and shutdown). */
  idle(): Promise<void>;
}

/** The webhook routes alone on a server of their own (tests, and tools that want no dashboard). */
export function createWebhookServer(opts: WebhookServerOptions): WebhookServer {
  const set = createWebhookSet(opts);
  const app = new Hono<WebEnv>();
  set.register(app);
  app.notFound(() => answer(404, 'not found'));
  let listener: WebListener | undefined;
  return {
    async listen(port, host) {
      listener = await listenWeb(app, port, host);
      return listener.port;
    },
    async close() {
      await listener?.close();
      await set.idle();
    },
    idle: () => set.idle(),
  };
}
