// Building "tell someone else" replies: to bound groups, or to people's private chats.
import type { Reply } from '../bot/types.ts';
import type { Channel } from '../db/schema.ts';
import type { ChatCtx } from './chat-context.ts';

/** One reply per distinct target chat, skipping the chat the message came from (it gets the direct answer). */
export function repliesTo(ctx: ChatCtx, targets: { channel: string; chatId: string }[], reply: Omit<Reply, 'to'>): Reply[] {
  const seen = new Set<string>([`${ctx.channel}|${ctx.chatId}`]);
  const out: Reply[] = [];
  for (const t of targets) {
    const key = `${t.channel}|${t.chatId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ...reply, to: { channel: t.channel as Channel, chatId: t.chatId } });
  }
  return out;
}
