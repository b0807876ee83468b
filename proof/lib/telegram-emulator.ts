// The telegram-test-api emulator on loopback, made fit for a bot that is killed
// and restarted: getUpdates long-polls (the package answers at once, which would
// make telegraf spin), an update is handed out only to a caller still connected
// (otherwise a bot killed mid-poll would swallow it), and every message the bot
// sends is recorded here, in order, whatever the emulator's own store keeps.
// With `offsets` (the cluster proof), getUpdates follows Telegram's own rule
// instead: an update handed out stays until a later getUpdates confirms it with
// a higher offset, so the updates a poller killed before confirming had fetched
// go again to the next poller; `redeliver` (a probability) also hands a
// confirmed update out once more, as a platform that delivers twice would.
import type http from 'node:http';
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import { freePort } from '../../test/helpers/net.ts';

// The package is CommonJS whose module.exports is the class; its typings describe an ES default export.
const Server = telegramTestApi as unknown as typeof TelegramServer;

/** How long a getUpdates call waits for an update before answering empty. */
const LONG_POLL_MS = 1_000;
/** Keep every update for the whole proof (the emulator drops unread ones older than this). */
const STORE_SECONDS = 24 * 3600;

export interface BotMessage {
  chatId: string;
  text: string;
  /** When the emulator received it (ms since the epoch). */
  at: number;
}

export interface EmulatorOptions {
  /** getUpdates as Telegram does it: an update is handed out until confirmed by a higher offset. */
  offsets?: boolean;
  /** With `offsets`: the chance that a confirmed update is handed out once more (a repeat delivery). */
  redeliver?: number;
  /** Random source for `redeliver` (default Math.random). */
  random?: () => number;
}

export interface Emulator {
  apiRoot: string;
  /** Every message the bot sent, in arrival order. */
  botMessages: BotMessage[];
  /** Calls `fn` on each message the bot sends, as the emulator takes it (before it answers); returns the unsubscriber. */
  onBotMessage(fn: (m: BotMessage) => void): () => void;
  /** A user types `text` in a private chat with the bot (chat id = user id). */
  sendPrivate(userId: number, firstName: string, text: string): Promise<void>;
  /** Updates waiting for the bot to fetch. */
  unread(): number;
  /** getUpdates calls so far (a bot that polls has finished starting). */
  polls(): number;
  /** When each getUpdates call arrived (ms since the epoch), in order. */
  pollTimes: number[];
  /** getUpdates calls that arrived while another caller's long poll was still open (two pollers at once). */
  pollOverlaps(): number;
  /** With `offsets`: update id → how many times it was handed out. */
  deliveries: Map<number, number>;
  stop(): Promise<void>;
}

/** How long a second open poll must last to count as two pollers at once. */
const OVERLAP_GRACE_MS = 250;

type Handler = ((req: http.IncomingMessage, res: http.ServerResponse) => void) & { settings?: unknown };

export async function startEmulator(token: string, opts: EmulatorOptions = {}): Promise<Emulator> {
  const server = new Server({ port: await freePort(), host: '127.0.0.1', storeTimeout: STORE_SECONDS });
  const inner = server as unknown as { webServer: Handler };
  const app = inner.webServer;
  const unread = () => server.storage.userMessages.filter((u) => u.botToken === token && !u.isRead).length;

  let polls = 0;
  const pollTimes: number[] = [];
  let overlaps = 0;
  const open = new Set<http.ServerResponse>();
  const deliveries = new Map<number, number>();
  const withOffsets = offsetGetUpdates(server, token, opts, deliveries);
  const longPoll: Handler = (req, res) => {
    if (!/^\/bot[^/]+\/getUpdates\b/.test(req.url ?? '')) return app(req, res);
    polls++;
    pollTimes.push(Date.now());
    // Another poll still open is an overlap only if it stays open a while: a killed
    // poller's connection closes within milliseconds, but its close event may come
    // after the next process's first poll when the take-over is that fast.
    const others = [...open].filter((r) => !r.socket?.destroyed);
    if (others.length > 0) {
      setTimeout(() => {
        if (others.some((r) => open.has(r) && !r.socket?.destroyed)) overlaps++;
      }, OVERLAP_GRACE_MS).unref();
    }
    open.add(res);
    res.on('close', () => open.delete(res));
    if (withOffsets) return void withOffsets(req, res);
    if (unread() > 0) return app(req, res);
    let done = false;
    const go = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      server.off('AddedUserMessage', go);
      // The caller hung up (killed): leave the updates unread for the next bot.
      if (req.socket.destroyed || res.writableEnded) return res.destroy();
      app(req, res);
    };
    const timer = setTimeout(go, LONG_POLL_MS);
    server.on('AddedUserMessage', go);
    res.on('close', go);
  };
  longPoll.settings = app.settings;
  inner.webServer = longPoll;
  server.setMaxListeners(0);

  const botMessages: BotMessage[] = [];
  const listeners = new Set<(m: BotMessage) => void>();
  const add = server.addBotMessage.bind(server);
  server.addBotMessage = (raw, tok) => {
    const msg = add(raw, tok);
    const m: BotMessage = { chatId: String((raw as { chat_id: unknown }).chat_id), text: String((raw as { text?: unknown }).text ?? ''), at: Date.now() };
    botMessages.push(m);
    for (const fn of listeners) fn(m);
    return msg;
  };

  await server.start();
  return {
    apiRoot: server.config.apiURL,
    botMessages,
    onBotMessage(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async sendPrivate(userId, firstName, text) {
      const client = server.getClient(token, { userId, chatId: userId, firstName, type: 'private' });
      await server.addUserMessage(client.makeMessage(text));
    },
    unread,
    polls: () => polls,
    pollTimes,
    pollOverlaps: () => overlaps,
    deliveries,
    async stop() {
      await server.stop();
    },
  };
}

type StoredUpdate = TelegramServer['storage']['userMessages'][number];

/**
 * getUpdates with Telegram's offset rule (see the head of this file): the handler, or
 * undefined without `opts.offsets`. Long polls like the package-based one above.
 */
function offsetGetUpdates(server: TelegramServer, token: string, opts: EmulatorOptions, deliveries: Map<number, number>) {
  if (!opts.offsets) return undefined;
  const random = opts.random ?? Math.random;
  const format = (Server as unknown as { formatUpdate(u: StoredUpdate): unknown }).formatUpdate;
  const confirmed = new Set<number>();
  /** Confirmed updates to hand out once more, by update id. */
  const again = new Set<number>();
  const pending = (offset: number) =>
    server.storage.userMessages.filter((u) => u.botToken === token && ((u.updateId >= offset && !confirmed.has(u.updateId)) || again.has(u.updateId)));
  return async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const params = await requestParams(req).catch(() => ({}) as Record<string, unknown>);
    const offset = Number(params.offset ?? 0) || 0;
    const limit = Math.min(100, Number(params.limit ?? 100) || 100);
    const timeoutSec = Number(params.timeout ?? 0) || 0;
    if (offset > 0) {
      for (const u of server.storage.userMessages) {
        if (u.botToken !== token || u.updateId >= offset || confirmed.has(u.updateId)) continue;
        confirmed.add(u.updateId);
        if (random() < (opts.redeliver ?? 0)) again.add(u.updateId);
      }
    }
    if (pending(offset).length === 0 && timeoutSec > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          server.off('AddedUserMessage', done);
          res.off('close', done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(LONG_POLL_MS, timeoutSec * 1000));
        server.on('AddedUserMessage', done);
        res.on('close', done);
      });
    }
    // The caller hung up (killed): it got nothing, so nothing counts as handed out.
    if (req.socket.destroyed || res.writableEnded) return void res.destroy();
    const out = pending(offset).slice(0, limit);
    for (const u of out) {
      again.delete(u.updateId);
      deliveries.set(u.updateId, (deliveries.get(u.updateId) ?? 0) + 1);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, result: out.map((u) => format(u)) }));
  };
}

/** The query string and a JSON or form body of a Bot API call, merged. */
async function requestParams(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const url = new URL(req.url ?? '/', 'http://x');
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  if (!body) return params;
  if ((req.headers['content-type'] ?? '').includes('json')) return { ...params, ...(JSON.parse(body) as Record<string, unknown>) };
  return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
}
