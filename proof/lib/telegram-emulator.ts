// The telegram-test-api emulator on loopback, made fit for a bot that is killed
// and restarted: getUpdates long-polls (the package answers at once, which would
// make telegraf spin), an update is handed out only to a caller still connected
// (otherwise a bot killed mid-poll would swallow it), and every message the bot
// sends is recorded here, in order, whatever the emulator's own store keeps.
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
  stop(): Promise<void>;
}

type Handler = ((req: http.IncomingMessage, res: http.ServerResponse) => void) & { settings?: unknown };

export async function startEmulator(token: string): Promise<Emulator> {
  const server = new Server({ port: await freePort(), host: '127.0.0.1', storeTimeout: STORE_SECONDS });
  const inner = server as unknown as { webServer: Handler };
  const app = inner.webServer;
  const unread = () => server.storage.userMessages.filter((u) => u.botToken === token && !u.isRead).length;

  let polls = 0;
  const longPoll: Handler = (req, res) => {
    if (!/^\/bot[^/]+\/getUpdates\b/.test(req.url ?? '')) return app(req, res);
    polls++;
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
    async stop() {
      await server.stop();
    },
  };
}
