// A Zalo update → the channel-neutral IncomingMessage (or null for what the bot ignores).
import type { IncomingMessage } from '../../bot/types.ts';
import type { ZaloUpdate } from './client.ts';

const TEXT_EVENT = 'message.text.received';

/** Events the bot cannot read (images, stickers, content withheld by Zalo). */
export function isIgnoredEvent(eventName: string): boolean {
  return eventName !== TEXT_EVENT;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** In groups Zalo only delivers messages that @mention the bot: drop that mention so "@Nhắc việc /viec" reads "/viec". */
export function stripMention(text: string, botName: string | undefined): string {
  if (!botName) return text.trim();
  return text
    .replace(new RegExp(`@${escapeRegExp(botName)}`, 'giu'), ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

/** The quoted text when the message replies to another one; Zalo's field name is not documented, so look in the likely places. */
function quotedText(m: Record<string, unknown>): string | undefined {
  for (const key of ['reply_to_message', 'quote', 'quoted_message']) {
    const q = m[key] as { text?: unknown; msg?: unknown } | undefined;
    if (q && typeof q.text === 'string') return q.text;
    if (q && typeof q.msg === 'string') return q.msg;
  }
  return undefined;
}

export function zaloUpdateToMessage(update: ZaloUpdate, botName?: string): IncomingMessage | null {
  if (!update || typeof update !== 'object' || typeof update.event_name !== 'string') return null;
  if (isIgnoredEvent(update.event_name)) return null;
  const m = update.message;
  if (!m || typeof m.text !== 'string' || !m.chat?.id || !m.from?.id) return null;
  const group = String(m.chat.chat_type).toUpperCase() === 'GROUP';
  const replyToText = quotedText(m);
  return {
    channel: 'zalo',
    chatId: String(m.chat.id),
    chatType: group ? 'group' : 'private',
    userId: String(m.from.id),
    ...(m.from.display_name ? { displayName: String(m.from.display_name) } : {}),
    text: group ? stripMention(m.text, botName) : m.text.trim(),
    ...(replyToText !== undefined ? { replyToText } : {}),
    ...(m.message_id !== undefined ? { updateKey: String(m.message_id) } : {}),
  };
}
