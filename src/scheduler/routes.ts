// Where a unit's scheduled messages go: its bound groups, else its officers' private chats.
import { unitChats } from '../db/bindings.repo.ts';
import { privateChatsOfUnit } from '../db/officers.repo.ts';
import type { Db } from '../db/open.ts';
import type { Channel } from '../db/schema.ts';

export interface Target {
  channel: Channel;
  chatId: string;
}

export async function unitTargets(db: Db, unitId: number): Promise<Target[]> {
  const groups = (await unitChats(db, unitId)).map((b) => ({ channel: b.channel, chatId: b.chatId }));
  return groups.length > 0 ? groups : (await privateChatsOfUnit(db, unitId)).map((c) => ({ channel: c.channel as Channel, chatId: c.chatId }));
}
