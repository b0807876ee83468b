// A Zalo update → the channel-neutral IncomingMessage (or null for what the bot ignores).
// An image arrives as a URL to fetch, with its caption as the text; Zalo delivers no other files.
import type { IncomingAttachment, IncomingMessage } from '../../bot/types.ts';
import { downloadLimited } from '../../files/download.ts';
import type { ZaloUpdate } from './client.ts';

const TEXT_EVENT = 'message.text.received';
const IMAGE_EVENT = 'message.image.received';

/** Events the bot cannot read (stickers, voice, content withheld by Zalo). */
export function isIgnoredEvent(eventName: string): boolean {
  return eventName !== TEXT_EVENT && eventName !== IMAGE_EVENT;
}

/** The image's address: `photo` as documented (a URL), or the likely variants; only http(s). */
function photoUrl(m: Record<string, unknown>): string | undefined {
  for (const v of [m.photo, m.photo_url, m.url, (m.photo as { url?: unknown } | undefined)?.url]) {
    if (typeof v === 'string' && /^https?:\/\//i.test(v)) return v;
  }
  return undefined;
}

function imageAttachment(url: string, fetchImpl?: typeof fetch): IncomingAttachment {
  // Zalo states no size: the download itself stops at the limit.
  return { kind: 'photo', fetch: (maxBytes) => downloadLimited(url, maxBytes, fetchImpl ? { fetch: fetchImpl } : {}) };
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

export function zaloUpdateToMessage(update: ZaloUpdate, botName?: string, opts: { fetch?: typeof fetch } = {}): IncomingMessage | null {
  if (!update || typeof update !== 'object' || typeof update.event_name !== 'string') return null;
  if (isIgnoredEvent(update.event_name)) return null;
  const m = update.message;
  if (!m || !m.chat?.id || !m.from?.id) return null;
  let text: string;
  let attachment: IncomingAttachment | undefined;
  if (update.event_name === IMAGE_EVENT) {
    const url = photoUrl(m);
    if (!url) return null;
    attachment = imageAttachment(url, opts.fetch);
    text = typeof m.caption === 'string' ? m.caption : typeof m.text === 'string' ? m.text : '';
  } else {
    if (typeof m.text !== 'string') return null;
    text = m.text;
  }
  const group = String(m.chat.chat_type).toUpperCase() === 'GROUP';
  const replyToText = quotedText(m);
  return {
    channel: 'zalo',
    chatId: String(m.chat.id),
    chatType: group ? 'group' : 'private',
    userId: String(m.from.id),
    ...(m.from.display_name ? { displayName: String(m.from.display_name) } : {}),
    text: group ? stripMention(text, botName) : text.trim(),
    ...(replyToText !== undefined ? { replyToText } : {}),
    ...(attachment ? { attachment } : {}),
    ...(m.message_id !== undefined ? { updateKey: String(m.message_id) } : {}),
  };
}
