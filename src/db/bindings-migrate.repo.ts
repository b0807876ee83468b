// A Telegram group that becomes a supergroup changes its chat id: the binding follows it.
import { and, eq } from 'drizzle-orm';
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';

/** Moves a group binding to the new chat id. Returns true when a binding moved. Idempotent. */
export async function moveBinding(db: Db, channel: Channel, fromChatId: string, toChatId: string): Promise<boolean> {
  const { groupBindings: b } = db.t;
  return db.tx(async (tx) => {
    // If the new id is already bound (the migration was seen twice, or bound by hand), keep that one.
    const taken = await tx.orm
      .select({ id: b.id })
      .from(b)
      .where(and(eq(b.channel, channel), eq(b.chatId, toChatId)))
      .limit(1);
    if (taken.length) return false;
    const moved = await tx.orm
      .update(b)
      .set({ chatId: toChatId, status: 'ok' })
      .where(and(eq(b.channel, channel), eq(b.chatId, fromChatId)))
      .returning({ id: b.id });
    return moved.length === 1;
  });
}
