// Starts every channel whose token is set (Telegram, Zalo, or both), the web server on
// PORT (the dashboard, and the webhooks when a webhook URL is set), and the scheduler;
// stop() undoes it all in order.
// With several processes on one database, every process serves the webhooks, but only
// the holder of a bot's poll lease (poll:telegram, poll:zalo) long polls it: Telegram
// answers 409 to a second poller, and Zalo would hand each update to one of them at random.
// All the leases of a process (poll, tick, drain) carry the one holder name it is given.
import { createBotCore } from '../bot/core.ts';
import type { BotCore } from '../bot/types.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import { redact, type Logger } from '../log.ts';
import { startScheduler } from '../scheduler/run.ts';
import { dbPauses } from './bot-pause.ts';
import { defaultHolder } from '../scheduler/sender.ts';
import type { SenderMap } from './deliver.ts';
import { pollLeaseName, runExclusive, type Exclusive, type LeaseClock } from './exclusive.ts';
import { fileStoreFromConfig } from '../files/store.ts';
import { createTelegramChannel, type TelegramChannel } from './telegram/bot.ts';
import type { ChannelSender } from './types.ts';
import { createWebhookSet, type WebhookRoute, type WebhookSet } from './webhook-server.ts';
import { listenFailure, serveWeb, type ServedWeb } from '../web/serve.ts';
import { createZaloAdapter } from './zalo/adapter.ts';
import { ZaloClient, type ZaloUpdate } from './zalo/client.ts';
import { createZaloSender } from './zalo/sender.ts';

export interface ChannelsDeps {
  db: Db;
  config: Config;
  log: Logger;
  now?: () => number;
  /** Defaults to the real core; tests may pass a fake. */
  core?: BotCore;
  /** Defaults to the real scheduler; false leaves it out (tests of the channels alone). */
  scheduler?: boolean;
  /** Host for the web server (default all interfaces). */
  host?: string;
  /** This process's name in every lease it takes (default: host, pid and a random part). */
  holder?: string;
  /** The poll leases' clock and timings (tests). */
  pollLease?: { clock?: LeaseClock; ttlMs?: number; renewMs?: number };
  /** The address users reach (PUBLIC_URL), for the scheduler's shared pictures. */
  publicUrl?: string;
}

export interface RunningChannels {
  senders: ChannelSender[];
  /** Port of the web server (dashboard and webhooks). */
  port: number;
  /** The dashboard's address (PUBLIC_URL, or http://localhost:<port>). */
  publicUrl: string;
  /** Resolves when every webhook update received so far has been handled (tests, proof). */
  idle(): Promise<void>;
  /** The channels this process long polls right now (it holds their poll lease). */
  polling(): ('telegram' | 'zalo')[];
  stop(): Promise<void>;
}

export function hasAnyToken(config: Config): boolean {
  return Boolean(config.env.TELEGRAM_BOT_TOKEN || config.env.ZALO_BOT_TOKEN);
}

function pathOf(url: string): string {
  return new URL(url).pathname || '/';
}

export async function startChannels(deps: ChannelsDeps): Promise<RunningChannels> {
  const { db, config, log } = deps;
  const env = config.env;
  // A command's notices to other chats are in the outbox once it commits: the drain sends them at once.
  const drain: { wake?: () => void } = {};
  const core = deps.core ?? createBotCore({ db, config, log, onEnqueued: () => drain.wake?.() });
  const senders: SenderMap = {};
  const routes: WebhookRoute[] = [];
  const holder = deps.holder ?? defaultHolder();
  // One view of the bot-wide 429 pause for the drain and the replies of this process.
  const pauses = dbPauses(db, { by: holder });
  const pollers = new Map<'telegram' | 'zalo', Exclusive>();
  const leased = (channel: 'telegram' | 'zalo', work: (signal: AbortSignal) => Promise<void>) =>
    pollers.set(channel, runExclusive({ db, log, name: pollLeaseName(channel), holder, ...deps.pollLease }, work));
  let telegram: TelegramChannel | undefined;

  let server: ServedWeb | undefined;
  let webhooks: WebhookSet | undefined;
  const halt = async () => {
    // Polling ends (and its leases are released) while the webhook server finishes the updates in hand.
    await Promise.all([...[...pollers.values()].map((p) => p.stop()), server?.close()]);
  };

  try {
    if (env.ZALO_BOT_TOKEN) {
      const client = new ZaloClient({ token: env.ZALO_BOT_TOKEN, apiRoot: env.ZALO_API_ROOT });
      senders.zalo = createZaloSender(client);
      const zalo = createZaloAdapter({ client, core, senders, log, pauses, ...(deps.now ? { now: deps.now } : {}) });
      const me = await client.getMe();
      zalo.setBotName(me.account_name);
      if (env.ZALO_WEBHOOK_URL && env.ZALO_WEBHOOK_SECRET) {
        await client.setWebhook({ url: env.ZALO_WEBHOOK_URL, secret_token: env.ZALO_WEBHOOK_SECRET });
        routes.push({
          name: 'zalo',
          path: pathOf(env.ZALO_WEBHOOK_URL),
          secretHeader: 'x-bot-api-secret-token',
          secret: env.ZALO_WEBHOOK_SECRET,
          // A webhook body is {ok: true, result: update}.
          handle: (body, ack) => zalo.handleUpdate(((body as { result?: unknown })?.result ?? body) as ZaloUpdate, ack),
        });
        log.info({ url: env.ZALO_WEBHOOK_URL }, 'Zalo: nhận tin qua webhook');
      } else {
        // Polling and webhook are exclusive on Zalo's side.
        await client.deleteWebhook().catch((e: Error) => log.debug({ err: e.message }, 'zalo deleteWebhook'));
        leased('zalo', (signal) => zalo.poll(signal));
        log.info({ bot: me.account_name }, 'Zalo: nhận tin bằng long polling (mỗi lúc một tiến trình, theo lease poll:zalo)');
      }
    }

    if (env.TELEGRAM_BOT_TOKEN) {
      telegram = createTelegramChannel({
        token: env.TELEGRAM_BOT_TOKEN,
        apiRoot: env.TELEGRAM_API_ROOT,
        core,
        db,
        log,
        senders,
        pauses,
        files: fileStoreFromConfig(config),
        repliesPerSec: config.rateLimits.telegram.replyReservePerSec,
        ...(deps.now ? { now: deps.now } : {}),
      });
      senders.telegram = telegram.senders.telegram;
      // Fails fast on a wrong token or an unreachable server, before anything else starts.
      await telegram.init();
      if (env.TELEGRAM_WEBHOOK_URL && env.TELEGRAM_WEBHOOK_SECRET) {
        await telegram.setWebhook(env.TELEGRAM_WEBHOOK_URL, env.TELEGRAM_WEBHOOK_SECRET);
        const tg = telegram;
        routes.push({
          name: 'telegram',
          path: pathOf(env.TELEGRAM_WEBHOOK_URL),
          secretHeader: 'x-telegram-bot-api-secret-token',
          secret: env.TELEGRAM_WEBHOOK_SECRET,
          handle: (body, ack) => tg.handleUpdate(body as Parameters<TelegramChannel['handleUpdate']>[0], ack),
        });
        log.info({ url: env.TELEGRAM_WEBHOOK_URL }, 'Telegram: nhận tin qua webhook');
      } else {
        const tg = telegram;
        leased('telegram', (signal) =>
          tg.poll(signal).catch((e: Error) => {
            throw new Error(redact(e.message));
          }),
        );
        log.info('Telegram: nhận tin bằng long polling (mỗi lúc một tiến trình, theo lease poll:telegram)');
      }
    }

    if (routes.length) webhooks = createWebhookSet({ routes, log });
    server = await serveWeb({ db, config, log, port: env.PORT, ...(deps.host ? { host: deps.host } : {}), ...(deps.now ? { now: deps.now } : {}), ...(webhooks ? { webhooks } : {}) }).catch((e: unknown) => {
      throw new Error(listenFailure(env.PORT, e));
    });
    log.info({ port: server.port, url: server.publicUrl, webhooks: webhooks?.paths ?? [] }, 'web server listening');
  } catch (e) {
    // A wrong token or an unreachable server: undo what had started, then report.
    await halt();
    throw e;
  }

  const list = Object.values(senders).filter((s): s is ChannelSender => Boolean(s));
  const scheduler = deps.scheduler === false ? undefined : startScheduler({ db, config, log, senders: list, holder, pauses, publicUrl: deps.publicUrl ?? env.PUBLIC_URL, ...(deps.now ? { now: deps.now } : {}) });
  drain.wake = scheduler?.wake;

  const web = server;
  return {
    senders: list,
    port: web.port,
    publicUrl: web.publicUrl,
    idle: async () => webhooks?.idle(),
    polling: () => [...pollers].filter(([, p]) => p.working()).map(([channel]) => channel),
    async stop() {
      await halt();
      await scheduler?.stop();
    },
  };
}
