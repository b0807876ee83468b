// The Telegram channel through telegraf: text messages and button presses become
// IncomingMessage (a photo or file with its caption as the text, fetched only when a command
// takes it), the core's replies go back as plain text (no parse mode, so
// what users typed is shown literally). One handleUpdate path for polling and webhook.
// Long polling is our own small loop over getUpdates (not telegraf's launch()), so that
// the lease that allows this process to poll can stop it at any point, and a 409 (another
// poller) waits instead of ending the bot.
import { Telegraf, TelegramError, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';
import fs from 'node:fs';
import type { BotCore, IncomingAttachment, IncomingMessage } from '../../bot/types.ts';
import { moveBinding } from '../../db/bindings-migrate.repo.ts';
import type { Db } from '../../db/open.ts';
import { DownloadFailed, downloadLimited } from '../../files/download.ts';
import { DownloadTooLarge } from '../../files/errors.ts';
import type { FileStore } from '../../files/store.ts';
import { redact, type Logger } from '../../log.ts';
import { deliverReplies, type SenderMap } from '../deliver.ts';
import { abortableSleep, LeaseLost } from '../exclusive.ts';
import type { BotPauses } from '../bot-pause.ts';
import { handleAcked } from '../webhook-server.ts';
import { setCommandMenu } from './menu.ts';
import { createTelegramSender } from './sender.ts';

export interface TelegramBotDeps {
  token: string;
  /** Another Bot API server (self-hosted, or an emulator in tests). */
  apiRoot?: string;
  core: BotCore;
  db: Db;
  log: Logger;
  /** Senders of the other channels, for replies addressed there; the telegram one is added here. */
  senders?: SenderMap;
  /** The bot-wide 429 pauses shared with this process's drain (see src/channels/bot-pause.ts). */
  pauses?: BotPauses;
  /** The evidence store, so that replies can send stored files. */
  files?: FileStore;
  now?: () => number;
  /**
   * Most updates a poller starts to handle per second (config rateLimits.telegram.replyReservePerSec,
   * the share of Telegram's 30 messages a second the drain leaves to direct replies). Updates
   * that waited (an outage, a poller's take-over) are then answered at that pace, not all in
   * one second. Default: no limit.
   */
  repliesPerSec?: number;
}

export interface TelegramPollOptions {
  /** Seconds the server may hold one getUpdates open (default 50). */
  timeoutSec?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface TelegramChannel {
  bot: Telegraf;
  senders: SenderMap;
  /** Asks the server who the bot is (checks the token), sets the command menu; returns its username. */
  init(): Promise<string>;
  /**
   * Long polls until the signal aborts, then confirms the updates it handled to the server
   * (unless the signal's reason is a LeaseLost: another process polls by then, and a
   * getUpdates of ours would cut its long poll short). Resolves once polling has ended;
   * rejects when the server refuses the token.
   */
  poll(signal: AbortSignal, opts?: TelegramPollOptions): Promise<void>;
  /** poll() until stop(). */
  startPolling(): Promise<void>;
  /** Registers the webhook; updates then arrive through handleUpdate (see webhook-server.ts). */
  setWebhook(url: string, secret: string): Promise<void>;
  /**
   * One update, from polling or a webhook. With `ack` (a webhook): calls it once the update is
   * safe (committed, or nothing to do), before any reply is sent; not when nothing was committed.
   */
  handleUpdate(update: Update, ack?: () => void): Promise<void>;
  /** Ends startPolling(). */
  stop(): void;
}

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
/** Longest wait between two failed getUpdates. */
const POLL_BACKOFF_MAX_MS = 30_000;
/** After a 409 (another getUpdates, or a webhook set by another process): the first wait. */
const POLL_CONFLICT_MS = 5_000;

/** How long to wait after a failed getUpdates; throws what no wait will cure (the token refused). */
function pollRetryMs(e: unknown, backoff: number): number {
  if (e instanceof TelegramError) {
    if (e.code === 401 || e.code === 404) throw e;
    if (e.code === 429) return (e.parameters?.retry_after ?? 5) * 1000;
    if (e.code === 409) return Math.max(backoff, POLL_CONFLICT_MS);
  }
  return backoff;
}

/** What a webhook delivery of one update needs from the handlers: its ack, and whether a handler took it on. */
interface WebhookDelivery {
  ack: () => void;
  claimed: boolean;
}

/** telegraf types its abort signal as the abort-controller package's; Node's own works the same at run time. */
type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegraf['telegram']['callApi']>[2]>['signal']>;

function isUpdate(body: unknown): body is Update {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && typeof (body as { update_id?: unknown }).update_id === 'number';
}

type Chat = { id: number; type: string };

function chatType(chat: Chat): 'private' | 'group' {
  return chat.type === 'private' ? 'private' : 'group';
}

function displayName(from: { first_name?: string; last_name?: string; username?: string }): string | undefined {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return name || from.username || undefined;
}

type PhotoSize = { file_id: string; width?: number; height?: number; file_size?: number };
type TgDocument = { file_id: string; file_name?: string; mime_type?: string; file_size?: number };

/** Downloads a file the bot received, from the configured API root, within the limit. */
async function downloadTelegramFile(telegram: Context['telegram'], fileId: string, maxBytes: number): Promise<Buffer> {
  let link: URL;
  try {
    link = await telegram.getFileLink(fileId);
  } catch (e) {
    // getFile refuses files over the cloud server's 20 MB with a 400 "file is too big".
    if (e instanceof TelegramError && /too big/i.test(e.description)) throw new DownloadTooLarge(maxBytes + 1, false);
    throw new DownloadFailed(`getFile failed: ${e instanceof TelegramError ? e.code : (e as Error)?.name}`);
  }
  // A self-hosted Bot API server in --local mode answers with a path on its own disk.
  if (link.protocol === 'file:') {
    const st = await fs.promises.stat(link).catch(() => undefined);
    if (!st?.isFile()) throw new DownloadFailed('local file not found');
    if (st.size > maxBytes) throw new DownloadTooLarge(st.size, true);
    return fs.promises.readFile(link);
  }
  return downloadLimited(link, maxBytes);
}

/** The photo (its largest size) or document of a message, as an attachment to fetch on demand. */
function attachmentOf(ctx: Context, m: { photo?: PhotoSize[]; document?: TgDocument }): IncomingAttachment | undefined {
  const telegram = ctx.telegram;
  if (Array.isArray(m.photo) && m.photo.length > 0) {
    const area = (p: PhotoSize) => (p.width ?? 0) * (p.height ?? 0) || (p.file_size ?? 0);
    const best = m.photo.reduce((a, b) => (area(b) >= area(a) ? b : a));
    return {
      kind: 'photo',
      mime: 'image/jpeg',
      ...(best.file_size !== undefined ? { size: best.file_size } : {}),
      fetch: (maxBytes) => downloadTelegramFile(telegram, best.file_id, maxBytes),
    };
  }
  const d = m.document;
  if (d && typeof d.file_id === 'string') {
    return {
      kind: 'document',
      ...(d.file_name ? { fileName: d.file_name } : {}),
      ...(d.mime_type ? { mime: d.mime_type } : {}),
      ...(d.file_size !== undefined ? { size: d.file_size } : {}),
      fetch: (maxBytes) => downloadTelegramFile(telegram, d.file_id, maxBytes),
    };
  }
  return undefined;
}

/**
 * A text message, or a photo or file (its caption as the text) → IncomingMessage; null for
 * anything else (stickers, voice, service messages).
 */
export function telegramMessageToIncoming(ctx: Context): IncomingMessage | null {
  const m = ctx.message as
    | {
        text?: string;
        caption?: string;
        photo?: PhotoSize[];
        document?: TgDocument;
        chat: Chat;
        from?: { id: number; first_name?: string; last_name?: string; username?: string };
        reply_to_message?: { text?: string; caption?: string };
      }
    | undefined;
  if (!m || !m.from) return null;
  const attachment = typeof m.text === 'string' ? undefined : attachmentOf(ctx, m);
  if (typeof m.text !== 'string' && !attachment) return null;
  const reply = m.reply_to_message?.text ?? m.reply_to_message?.caption;
  // In a group, a picture with neither a caption nor a reply is people sharing photos, not a command.
  if (attachment && !m.caption?.trim() && reply === undefined && chatType(m.chat) === 'group') return null;
  const name = displayName(m.from);
  return {
    channel: 'telegram',
    chatId: String(m.chat.id),
    chatType: chatType(m.chat),
    userId: String(m.from.id),
    ...(name ? { displayName: name } : {}),
    text: m.text ?? m.caption ?? '',
    ...(reply !== undefined ? { replyToText: reply } : {}),
    ...(attachment ? { attachment } : {}),
    updateKey: String(ctx.update.update_id),
    ...(ctx.botInfo?.username ? { botUsername: ctx.botInfo.username } : {}),
  };
}

/** A button press → IncomingMessage carrying the payload untouched (the core re-checks it). */
export function telegramCallbackToIncoming(ctx: Context): IncomingMessage | null {
  const q = ctx.callbackQuery as { data?: string; from: { id: number; first_name?: string; last_name?: string; username?: string }; message?: { chat: Chat; text?: string } } | undefined;
  if (!q || typeof q.data !== 'string') return null;
  const chat = q.message?.chat ?? { id: q.from.id, type: 'private' };
  const name = displayName(q.from);
  return {
    channel: 'telegram',
    chatId: String(chat.id),
    chatType: chatType(chat),
    userId: String(q.from.id),
    ...(name ? { displayName: name } : {}),
    text: '',
    callbackData: q.data,
    ...(q.message?.text !== undefined ? { replyToText: q.message.text } : {}),
    updateKey: String(ctx.update.update_id),
    ...(ctx.botInfo?.username ? { botUsername: ctx.botInfo.username } : {}),
  };
}

export function createTelegramChannel(deps: TelegramBotDeps): TelegramChannel {
  const { core, db, log } = deps;
  const now = deps.now ?? (() => Date.now());
  const bot = new Telegraf(deps.token, { telegram: deps.apiRoot ? { apiRoot: deps.apiRoot } : {} });
  const senders: SenderMap = { ...(deps.senders ?? {}), telegram: createTelegramSender(bot.telegram, deps.files ? { files: deps.files } : {}) };
  /** Webhook deliveries in hand, by update object (telegraf's ctx.update is the object given to handleUpdate). */
  const deliveries = new WeakMap<object, WebhookDelivery>();

  /** This update's webhook ack, now that a handler takes it on (undefined when polling). */
  function claim(ctx: Context): (() => void) | undefined {
    const d = deliveries.get(ctx.update);
    if (!d) return undefined;
    d.claimed = true;
    return d.ack;
  }

  async function dispatch(ctx: Context, msg: IncomingMessage): Promise<void> {
    const replies = await handleAcked(core, msg, now(), claim(ctx), log);
    if (!replies) return;
    await deliverReplies(replies, { channel: 'telegram', chatId: msg.chatId }, senders, log.child({ channel: 'telegram', updateKey: msg.updateKey }), {
      ...(deps.pauses ? { pauses: deps.pauses } : {}),
    });
  }

  bot.on('message', async (ctx) => {
    const m = ctx.message as { migrate_to_chat_id?: number; chat: Chat };
    if (m.migrate_to_chat_id !== undefined) {
      const ack = claim(ctx);
      const moved = await moveBinding(db, 'telegram', String(m.chat.id), String(m.migrate_to_chat_id));
      ack?.();
      log.info({ from: m.chat.id, to: m.migrate_to_chat_id, moved }, 'telegram group became a supergroup');
      return;
    }
    const msg = telegramMessageToIncoming(ctx);
    if (!msg) return;
    await dispatch(ctx, msg);
  });

  bot.on('callback_query', async (ctx) => {
    const msg = telegramCallbackToIncoming(ctx);
    // Stop the button's spinner at once, but without holding the command (and a webhook's answer) for it.
    const spinner = ctx.answerCbQuery().catch((e: Error) => log.debug({ err: redact(e.message) }, 'answerCbQuery failed'));
    if (msg) await dispatch(ctx, msg);
    await spinner;
  });

  bot.catch((e, ctx) => {
    log.error({ updateId: ctx.update?.update_id, err: redact((e as Error)?.message ?? String(e)) }, 'telegram update failed');
  });

  async function poll(signal: AbortSignal, opts: TelegramPollOptions = {}): Promise<void> {
    const sleep = opts.sleep ?? abortableSleep;
    const timeout = opts.timeoutSec ?? 50;
    bot.botInfo ??= await bot.telegram.getMe();
    // Polling and a webhook are exclusive on Telegram's side.
    await bot.telegram.deleteWebhook();
    let offset = 0;
    let backoff = 1000;
    /** When the updates handled in the last second were started (the reply pace, see repliesPerSec). */
    const started: number[] = [];
    const paced = async (): Promise<void> => {
      const perSec = deps.repliesPerSec;
      if (!perSec) return;
      for (;;) {
        const t = now();
        while (started.length > 0 && t - started[0] >= 1000) started.shift();
        if (started.length < perSec) return void started.push(t);
        await sleep(started[0] + 1000 - t, signal);
        if (signal.aborted) return;
      }
    };
    while (!signal.aborted) {
      let updates: Update[];
      try {
        updates = await bot.telegram.callApi('getUpdates', { timeout, offset, allowed_updates: [...ALLOWED_UPDATES] }, { signal: signal as unknown as TelegrafSignal });
        backoff = 1000;
      } catch (e) {
        if (signal.aborted) break;
        const wait = pollRetryMs(e, backoff);
        log.warn({ err: redact((e as Error)?.message ?? String(e)), retryInMs: wait }, 'telegram getUpdates failed');
        await sleep(wait, signal);
        backoff = Math.min(Math.max(backoff, wait) * 2, POLL_BACKOFF_MAX_MS);
        continue;
      }
      // As telegraf's own polling does: the batch together (at the reply pace), the next getUpdates
      // (which confirms it) after. Updates not started when the polling stops are not confirmed:
      // the next poller gets them.
      const handling: Promise<void>[] = [];
      for (const u of updates) {
        await paced();
        if (signal.aborted) break;
        handling.push(bot.handleUpdate(u).catch((e: Error) => log.error({ updateId: u.update_id, err: redact(e?.message ?? String(e)) }, 'telegram update failed')));
        offset = u.update_id + 1;
      }
      await Promise.all(handling);
    }
    // Confirm the last batch, so that the next poller does not get it again (it would drop it as a repeat anyway).
    if (offset > 0 && !(signal.reason instanceof LeaseLost)) {
      await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch((e: Error) => log.debug({ err: redact(e.message) }, 'telegram offset not confirmed'));
    }
  }

  let polling: AbortController | null = null;
  return {
    bot,
    senders,
    async init() {
      bot.botInfo ??= await bot.telegram.getMe();
      await setCommandMenu(bot.telegram, log);
      return bot.botInfo.username;
    },
    poll,
    async startPolling() {
      polling?.abort();
      const ctrl = new AbortController();
      polling = ctrl;
      await poll(ctrl.signal);
    },
    async setWebhook(url, secret) {
      bot.botInfo ??= await bot.telegram.getMe();
      await bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] });
    },
    async handleUpdate(update, ack) {
      if (!ack) return bot.handleUpdate(update);
      // JSON that is no update: nothing to do, and nothing to send again.
      if (!isUpdate(update)) return ack();
      const d: WebhookDelivery = { ack, claimed: false };
      deliveries.set(update, d);
      try {
        await bot.handleUpdate(update);
      } finally {
        deliveries.delete(update);
      }
      // No handler took it on (a service message, a sticker, an update kind not asked for): nothing to do.
      if (!d.claimed) ack();
    },
    stop() {
      polling?.abort();
      polling = null;
    },
  };
}
