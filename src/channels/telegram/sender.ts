// The Telegram ChannelSender used by the outbox and by replies: plain text
// (no parse mode, so what users typed is shown literally), inline buttons,
// documents and photos as uploads.
import type { Telegram } from 'telegraf';
import type { Button } from '../../bot/types.ts';
import type { ChannelSender, OutgoingMessage } from '../types.ts';
import { toSendError } from './errors.ts';

export const TELEGRAM_TEXT_MAX = 4096;
const CAPTION_MAX = 1024;

function keyboard(buttons: Button[][] | undefined) {
  if (!buttons?.length) return {};
  return { reply_markup: { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) } };
}

export function createTelegramSender(telegram: Telegram): ChannelSender {
  return {
    channel: 'telegram',
    maxTextLength: TELEGRAM_TEXT_MAX,
    async send(msg: OutgoingMessage): Promise<void> {
      const extra = keyboard(msg.buttons);
      const file = msg.document ?? msg.photo ?? msg.photoUrl;
      // A caption longer than Telegram allows goes as its own message first.
      const caption = file && msg.text && msg.text.length <= CAPTION_MAX ? msg.text : undefined;
      try {
        if (msg.text && (!file || caption === undefined)) await telegram.sendMessage(msg.chatId, msg.text, file ? {} : extra);
        if (msg.document)
          await telegram.sendDocument(msg.chatId, { source: msg.document.content, filename: msg.document.filename }, { ...(caption ? { caption } : {}), ...extra });
        else if (msg.photo)
          await telegram.sendPhoto(msg.chatId, { source: msg.photo.content, filename: msg.photo.filename }, { ...(caption ? { caption } : {}), ...extra });
        else if (msg.photoUrl) await telegram.sendPhoto(msg.chatId, msg.photoUrl, { ...(caption ? { caption } : {}), ...extra });
      } catch (e) {
        throw toSendError(e);
      }
    },
  };
}
