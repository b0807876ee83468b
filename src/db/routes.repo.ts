// Where many units' scheduled messages can go, in a few queries (the tick resolves the
// routes of every unit with a reminder at once): their bound groups, and the private
// chats of their active officers. Same rules and order as unitChats / privateChatsOfUnit.
import { and, asc, eq, isNotNull, sql, type Column, type SQL } from 'drizzle-orm';
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';

/** Ids per IN (…) list: bounds a statement's length. */
const IDS_PER_QUERY = 10_000;

/**
 * `column IN (1, 2, …)` with the ids written as integer literals, not bound parameters: the
 * tick asks about thousands of units at once, and drizzle takes longer to build thousands of
 * parameters than either engine takes to run the query. Only safe integers are accepted.
 */
export function idIn(column: Column, ids: readonly number[]): SQL {
  if (ids.length === 0) return sql`false`;
  for (const id of ids) if (!Number.isSafeInteger(id)) throw new TypeError(`not an id: ${id}`);
  return sql`${column} IN (${sql.raw(ids.join(', '))})`;
}

export interface UnitChat {
  unitId: number;
  channel: Channel;
  chatId: string;
}

/** Runs q over the distinct ids, IDS_PER_QUERY at a time, and concatenates the rows. */
export async function byChunks<T>(ids: readonly number[], q: (part: number[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) out.push(...(await q(unique.slice(i, i + IDS_PER_QUERY))));
  return out;
}

/** The units' bound groups (status ok), each unit's in binding order. */
export async function groupChatsOfUnits(db: Db, unitIds: readonly number[]): Promise<UnitChat[]> {
  const { groupBindings: b } = db.t;
  const rows = await byChunks(unitIds, (part) =>
    db.orm
      .select({ unitId: b.unitId, channel: b.channel, chatId: b.chatId })
      .from(b)
      .where(and(idIn(b.unitId, part), eq(b.status, 'ok')))
      .orderBy(asc(b.unitId), asc(b.id)),
  );
  const out: UnitChat[] = [];
  for (const r of rows) if (r.unitId !== null) out.push({ unitId: r.unitId, channel: r.channel, chatId: r.chatId });
  return out;
}

/** Private chats of the units' active officers, each unit's by officer code. */
export async function privateChatsOfUnits(db: Db, unitIds: readonly number[]): Promise<UnitChat[]> {
  const { officers: o, chatAccounts: a } = db.t;
  const rows = await byChunks(unitIds, (part) =>
    db.orm
      .select({ unitId: o.unitId, channel: a.channel, chatId: a.privateChatId })
      .from(a)
      .innerJoin(o, eq(o.id, a.officerId))
      .where(and(idIn(o.unitId, part), eq(o.active, true), isNotNull(a.privateChatId)))
      .orderBy(asc(o.unitId), asc(o.code), asc(a.id)),
  );
  const out: UnitChat[] = [];
  for (const r of rows) if (r.chatId !== null) out.push({ unitId: r.unitId, channel: r.channel, chatId: r.chatId });
  return out;
}
