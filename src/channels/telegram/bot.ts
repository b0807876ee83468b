// The Telegram channel through telegraf: text messages and button presses become
// IncomingMessage, the core's replies go back as plain text (no parse mode, so
// what users typed is shown literally). One handleUpdate path for polling and webhook.
import { Telegraf, type Context } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { BotCore, IncomingMessage } from '../../bot/types.ts';
import { moveBinding } from '../../db/bindings-migrate.repo.ts';
import type { Db } from '../../db/open.ts';
import { redact, type Logger } from '../../log.ts';
import { deliverReplies, type SenderMap } from '../deliver.ts';
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
  now?: () => number;
}

export interface TelegramChannel {
  bot: Telegraf;
  senders: SenderMap;
  /** Asks the server who the bot is (checks the token); returns its username. */
  init(): Promise<string>;
  /** Long polling until stop(); resolves once polling has ended. */
  startPolling(): Promise<void>;
  /** Registers the webhook; updates then arrive through handleUpdate (see webhook-server.ts). */
  setWebhook(url: string, secret: string): Promise<void>;
  handleUpdate(update: Update): Promise<void>;
  stop(): void;
}

type Chat = { id: number; type: string };

function chatType(chat: Chat): 'private' | 'group' {
  return chat.type === 'private' ? 'private' : 'group';
}

function displayName(from: { first_name?: string; last_name?: string; username?: string }): string | undefined {
  const name = [from.first_name, from.last_name].filter(Boolean).join(' ');
  return name || from.username || undefined;
}

/** A text message → IncomingMessage; null for anything else (stickers, photos, service messages). */
export function telegramMessageToIncoming(ctx: Context): IncomingMessage | null {
  const m = ctx.message as
    | { text?: string; chat: Chat; from?: { id: number; first_name?: string; last_name?: string; username?: string }; reply_to_message?: { text?: string; caption?: string } }
    | undefined;
  if (!m || typeof m.text !== 'string' || !m.from) return null;
  const reply = m.reply_to_message?.text ?? m.reply_to_message?.caption;
  const name = displayName(m.from);
  return {
    channel: 'telegram',
    chatId: String(m.chat.id),
    chatType: chatType(m.chat),
    userId: String(m.from.id),
    ...(name ? { displayName: name } : {}),
    text: m.text,
    ...(reply !== undefined ? { replyToText: reply } : {}),
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
  const senders: SenderMap = { ...(deps.senders ?? {}), telegram: createTelegramSender(bot.telegram) };

  async function dispatch(msg: IncomingMessage): Promise<void> {
    const replies = await core.handle(msg, now());
    await deliverReplies(replies, { channel: 'telegram', chatId: msg.chatId }, senders, log.child({ channel: 'telegram', updateKey: msg.updateKey }));
  }

  bot.on('message', async (ctx) => {
    const m = ctx.message as { migrate_to_chat_id?: number; chat: Chat };
    if (m.migrate_to_chat_id !== undefined) {
      const moved = await moveBinding(db, 'telegram', String(m.chat.id), String(m.migrate_to_chat_id));
      log.info({ from: m.chat.id, to: m.migrate_to_chat_id, moved }, 'telegram group became a supergroup');
      return;
    }
    const msg = telegramMessageToIncoming(ctx);
    if (!msg) return;
    await dispatch(msg);
  });

  bot.on('callback_query', async (ctx) => {
    const msg = telegramCallbackToIncoming(ctx);
    // Stop the button's spinner first: the work may take a moment, and the answer comes as a message.
    await ctx.answerCbQuery().catch((e: Error) => log.debug({ err: redact(e.message) }, 'answerCbQuery failed'));
    if (msg) await dispatch(msg);
  });

  bot.catch((e, ctx) => {
    log.error({ updateId: ctx.update?.update_id, err: redact((e as Error)?.message ?? String(e)) }, 'telegram update failed');
  });

  let polling = false;
  return {
    bot,
    senders,
    async init() {
      bot.botInfo ??= await bot.telegram.getMe();
      return bot.botInfo.username;
    },
    async startPolling() {
      polling = true;
      await bot.launch({ allowedUpdates: ['message', 'callback_query'] });
    },
    async setWebhook(url, secret) {
      bot.botInfo ??= await bot.telegram.getMe();
      await bot.telegram.setWebhook(url, { secret_token: secret, allowed_updates: ['message', 'callback_query'] });
    },
    handleUpdate(update) {
      return bot.handleUpdate(update);
    },
    stop() {
      if (polling) {
        polling = false;
        try {
          bot.stop('stop');
        } catch {
          // Stopped before polling had begun (still at getMe): nothing is running yet.
        }
      }
    },
  };
}
