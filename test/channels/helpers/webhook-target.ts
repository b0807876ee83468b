// The bot as it runs in webhook mode, on loopback: a demo province in an SQLite
// file, the real command core, both channels started by startChannels against
// the Telegram emulator and the fake Zalo server, logs captured at debug level.
// Shared by test/channels/webhook-attack.test.ts and proof/suites/webhooks.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';
import { startChannels, type RunningChannels } from '../../../src/channels/run-channels.ts';
import { loadConfig, type Config } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { openDb, type Db } from '../../../src/db/open.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { createLogger, registerSecret } from '../../../src/log.ts';
import { startFakeZalo, type FakeZalo } from './fake-zalo.ts';
import { freePort } from '../../helpers/net.ts';

const TelegramServer = telegramTestApi as unknown as typeof Emulator;

/** 23/11/2026 08:00 in Hà Nội, a Monday: the demo's "now". */
export const NOW = Date.UTC(2026, 10, 23, 1, 0, 0);
export const ZONE = 'Asia/Ho_Chi_Minh';
export const TG_TOKEN = '555666777:AAH-webhook-attack-bot-token';
export const TG_SECRET = 'Tg-Webhook-Secret-7f3a9c1e';
export const ZALO_SECRET = 'Zalo-Webhook-Secret-4b8d2e6a';
/** Telegram user 7001 is CB-XA-AN (Đặng Thị Hoa); Zalo user zu-1 is CB-XA-SON (Mai Thị Thu). */
export const TG_USER = 7001;
export const ZALO_USER = 'zu-1';

export type Route = 'telegram' | 'zalo';

export const HEADER: Record<Route, string> = { telegram: 'x-telegram-bot-api-secret-token', zalo: 'x-bot-api-secret-token' };
export const SECRET: Record<Route, string> = { telegram: TG_SECRET, zalo: ZALO_SECRET };
const OTHER: Record<Route, Route> = { telegram: 'zalo', zalo: 'telegram' };
const PATH: Record<Route, string> = { telegram: '/hooks/telegram', zalo: '/hooks/zalo' };

/** Secrets that are wrong in every way that matters to a careless comparison. */
export function spoofs(route: Route): [string, Record<string, string>][] {
  const s = SECRET[route];
  const h = HEADER[route];
  const flip = (i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
  return [
    ['missing', {}],
    ['empty', { [h]: '' }],
    ['wrong', { [h]: 'not-the-secret-at-all' }],
    ['last character off', { [h]: flip(s.length - 1) }],
    ['first character off', { [h]: flip(0) }],
    ['middle character off', { [h]: flip(s.length >> 1) }],
    ['one character short', { [h]: s.slice(0, -1) }],
    ['one character long', { [h]: `${s}x` }],
    ['doubled', { [h]: s + s }],
    ['lower case', { [h]: s.toLowerCase() }],
    ['upper case', { [h]: s.toUpperCase() }],
    ['the other channel\'s', { [h]: SECRET[OTHER[route]] }],
    ['right, in the other channel\'s header', { [HEADER[OTHER[route]]]: s }],
  ];
}

export interface WebhookTarget {
  dir: string;
  dbFile: string;
  db(): Db;
  /** The SQLite file's own connection (the target always runs on a SQLite file), for checks below the data layer. */
  sqlite(): SqliteDatabase;
  /** The bot's clock: NOW when started, then running. */
  now(): number;
  /** Everything logged so far (JSON lines), across restarts. */
  logs(): string;
  zalo: FakeZalo;
  /** Replies the bot sent to Telegram chat `chatId` through the emulator. */
  telegramReplies(chatId?: number): string[];
  /** POSTs a raw body to a route's path with the given headers. */
  post(route: Route, headers: Record<string, string>, body: string): Promise<Response>;
  /** http://127.0.0.1:<port><path> of a route (changes on restart). */
  url(route: Route): string;
  /** Waits until every update accepted so far has been handled (replies sent). */
  idle(): Promise<void>;
  /** Stops everything and starts it again on the same database file (a redeploy). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A Telegram text update as the Bot API POSTs it. */
export function telegramText(updateId: number, text: string, userId = TG_USER): string {
  return JSON.stringify({
    update_id: updateId,
    message: { message_id: updateId, date: Math.floor(NOW / 1000), text, chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'Hoa' } },
  });
}

/** A Zalo webhook body: {ok: true, result: update}; Zalo updates carry no id, message_id is the key. */
export function zaloWebhookText(messageId: string, text: string, userId = ZALO_USER): string {
  return JSON.stringify({
    ok: true,
    result: {
      event_name: 'message.text.received',
      message: { message_id: messageId, date: NOW, text, from: { id: userId, display_name: 'Thu' }, chat: { id: userId, chat_type: 'PRIVATE' } },
    },
  });
}

export interface TargetOptions {
  /** pino level of the captured log (default debug: the most that could leak). */
  logLevel?: string;
  /** Run the real scheduler too (default off). */
  scheduler?: boolean;
  /** More data after the demo seed, before anything starts (e.g. group bindings). */
  seed?: (db: Db) => Promise<void> | void;
  /** Webhook URLs (default https://bot.example.gov.vn/hooks/telegram and …/zalo); their paths are served. */
  telegramWebhookUrl?: string;
  zaloWebhookUrl?: string;
}

export async function startWebhookTarget(opts: TargetOptions = {}): Promise<WebhookTarget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-webhook-'));
  const dbFile = path.join(dir, 'nv.db');
  let logged = '';
  const log = createLogger(opts.logLevel ?? 'debug', {
    write(line: string) {
      logged += line;
    },
  });
  registerSecret(TG_TOKEN);
  registerSecret(TG_SECRET);
  registerSecret(ZALO_SECRET);

  const seeded = await openDb(dbFile);
  await seedDemo(seeded, NOW, ZONE);
  for (const [channel, externalId, code] of [
    ['telegram', String(TG_USER), 'CB-XA-AN'],
    ['zalo', ZALO_USER, 'CB-XA-SON'],
  ] as const) {
    const officer = await officerByCode(seeded, code);
    await seeded.tx((tx) => upsertAccount(tx, { channel, externalId, officerId: officer!.id, privateChatId: externalId, now: NOW }));
  }
  await opts.seed?.(seeded);
  await seeded.close();

  const tg = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 3600 });
  await tg.start();
  const zalo = await startFakeZalo();

  const base = loadConfig({
    NHACVIEC_DB: dbFile,
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_API_ROOT: tg.config.apiURL,
    TELEGRAM_WEBHOOK_URL: opts.telegramWebhookUrl ?? `https://bot.example.gov.vn${PATH.telegram}`,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.url,
    ZALO_WEBHOOK_URL: opts.zaloWebhookUrl ?? `https://bot.example.gov.vn${PATH.zalo}`,
    ZALO_WEBHOOK_SECRET: ZALO_SECRET,
  });
  const config: Config = { ...base, env: { ...base.env, PORT: 0 } };
  const paths: Record<Route, string> = { telegram: new URL(config.env.TELEGRAM_WEBHOOK_URL!).pathname, zalo: new URL(config.env.ZALO_WEBHOOK_URL!).pathname };

  // The demo's "now", moving on with real time: rate limits and backoff need a clock that runs.
  const started = Date.now();
  const clock = () => NOW + (Date.now() - started);
  let db: Db;
  let running: RunningChannels;
  let url: string;
  async function up(): Promise<void> {
    db = await openDb(dbFile);
    running = await startChannels({ db, config, log, now: clock, scheduler: opts.scheduler ?? false, host: '127.0.0.1' });
    url = `http://127.0.0.1:${running.port}`;
  }
  async function down(): Promise<void> {
    await running.stop();
    await db.close();
  }
  await up();

  return {
    dir,
    dbFile,
    db: () => db,
    sqlite() {
      if (db.native.engine !== 'sqlite') throw new Error('the webhook target runs on a SQLite file');
      return db.native.sqlite;
    },
    now: clock,
    logs: () => logged,
    zalo,
    telegramReplies(chatId = TG_USER) {
      return tg.storage.botMessages
        .filter((m) => m.botToken === TG_TOKEN && String(m.message.chat_id) === String(chatId))
        .map((m) => String(m.message.text));
    },
    url: (route) => `${url}${paths[route]}`,
    post(route, headers, body) {
      return fetch(`${url}${paths[route]}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    },
    idle: () => running.idle(),
    async restart() {
      await down();
      await up();
    },
    async stop() {
      await down();
      await tg.stop();
      await zalo.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
