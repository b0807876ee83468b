// A Telegram group that becomes a supergroup changes its chat id: the binding follows it.
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';
import { stmt } from './statements.ts';

/** Moves a group binding to the new chat id. Returns true when a binding moved. Idempotent. */
export function moveBinding(db: Db, channel: Channel, fromChatId: string, toChatId: string): boolean {
  // If the new id is already bound (the migration was seen twice, or bound by hand), keep that one.
  const taken = stmt(db, 'SELECT 1 FROM group_bindings WHERE channel = ? AND chat_id = ?').get(channel, toChatId);
  if (taken) return false;
  return stmt(db, 'UPDATE group_bindings SET chat_id = ?, status = ? WHERE channel = ? AND chat_id = ?').run(toChatId, 'ok', channel, fromChatId).changes === 1;
}
