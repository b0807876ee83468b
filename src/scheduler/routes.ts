// Where a unit's scheduled messages go: its bound groups, else its officers' private chats.
import type { Db } from '../db/open.ts';
import { groupChatsOfUnits, privateChatsOfUnits } from '../db/routes.repo.ts';
import type { Channel } from '../db/schema.ts';

export interface Target {
  channel: Channel;
  chatId: string;
}

export async function unitTargets(db: Db, unitId: number): Promise<Target[]> {
  return (await unitTargetsMany(db, [unitId])).get(unitId) ?? [];
}

/** unitTargets() of many units, resolved once per unit in two queries (per ten thousand units): every unit given has an entry. */
export async function unitTargetsMany(db: Db, unitIds: Iterable<number>): Promise<Map<number, Target[]>> {
  const out = new Map<number, Target[]>();
  for (const id of unitIds) out.set(id, []);
  if (out.size === 0) return out;
  for (const g of await groupChatsOfUnits(db, [...out.keys()])) out.get(g.unitId)?.push({ channel: g.channel, chatId: g.chatId });
  const lonely = [...out].filter(([, t]) => t.length === 0).map(([id]) => id);
  for (const c of await privateChatsOfUnits(db, lonely)) out.get(c.unitId)?.push({ channel: c.channel, chatId: c.chatId });
  return out;
}
