// Telling someone else: notices to bound groups or to people's private chats, and writing
// them to the outbox in the transaction of the command that caused them.
import type { Notice } from '../bot/types.ts';
import type { Db } from '../db/db.ts';
import { enqueue } from '../db/outbox.repo.ts';
import type { Channel } from '../db/schema.ts';
import type { OutboxPayload } from '../scheduler/sender.ts';
import type { ChatCtx } from './chat-context.ts';

/** One notice per distinct target chat, skipping the chat the message came from (it gets the direct answer). */
export function repliesTo(ctx: ChatCtx, targets: { channel: string; chatId: string }[], notice: Omit<Notice, 'to'>): Notice[] {
  const seen = new Set<string>([`${ctx.channel}|${ctx.chatId}`]);
  const out: Notice[] = [];
  for (const t of targets) {
    const key = `${t.channel}|${t.chatId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...notice, to: { channel: t.channel as Channel, chatId: t.chatId } });
  }
  return out;
}

/** The outbox kind of a notice. */
export const NOTICE_KIND = 'notice';

/**
 * Writes an update's notices to the outbox, on the update's transaction, keyed
 * `notice:<channel>:<updateId>:<n>` so that the same update never queues a notice twice.
 * The notices that were new (a key already there keeps the first message).
 */
export async function queueNotices(tx: Db, notices: Notice[], update: { channel: Channel; id: string }, now: number): Promise<Notice[]> {
  const queued: Notice[] = [];
  for (const [i, n] of notices.entries()) {
    const payload: OutboxPayload = {};
    if (n.buttons?.length) payload.buttons = n.buttons;
    if (n.photo) payload.photo = { filename: n.photo.filename, base64: n.photo.content.toString('base64') };
    if (n.file) payload.file = n.file;
    const fresh = await enqueue(tx, {
      key: `notice:${update.channel}:${update.id}:${i + 1}`,
      channel: n.to.channel,
      chatId: n.to.chatId,
      kind: NOTICE_KIND,
      text: n.text,
      payload: Object.keys(payload).length > 0 ? JSON.stringify(payload) : null,
      createdAt: now,
      notBefore: now,
    });
    if (fresh) queued.push(n);
  }
  return queued;
}
