// Group bindings: which chat belongs to which unit, and which is the leadership group.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';

export interface BindingRow {
  id: number;
  channel: Channel;
  chatId: string;
  unitId: number | null;
  unitCode: string | null;
  unitName: string | null;
  /** 1 for the leadership group, else 0. */
  leadership: number;
  status: string;
}

function select(db: Db) {
  const { groupBindings: b, units: u } = db.t;
  return db.orm
    .select({ id: b.id, channel: b.channel, chatId: b.chatId, unitId: b.unitId, unitCode: u.code, unitName: u.name, leadership: b.leadership, status: b.status })
    .from(b)
    .leftJoin(u, eq(u.id, b.unitId));
}

type Selected = Awaited<ReturnType<typeof select>>[number];

const toRow = (r: Selected): BindingRow => ({ ...r, leadership: r.leadership ? 1 : 0 });

export async function upsertBinding(db: Db, b: { channel: Channel; chatId: string; unitId: number | null; leadership: boolean; now: number }): Promise<void> {
  const { groupBindings } = db.t;
  await db.orm
    .insert(groupBindings)
    .values({ channel: b.channel, chatId: b.chatId, unitId: b.unitId, leadership: b.leadership, status: 'ok', createdAt: b.now })
    .onConflictDoUpdate({
      target: [groupBindings.channel, groupBindings.chatId],
      set: { unitId: b.unitId, leadership: b.leadership, status: 'ok' },
    });
}

export async function allBindings(db: Db): Promise<BindingRow[]> {
  const { groupBindings: b, units: u } = db.t;
  // No unit sorts first on both engines (PostgreSQL puts NULL last by default).
  const rows = await select(db).orderBy(asc(b.channel), desc(b.leadership), sql`coalesce(${u.code}, '')`, asc(b.chatId));
  return rows.map(toRow);
}

export async function leadershipChats(db: Db): Promise<BindingRow[]> {
  const { groupBindings: b } = db.t;
  const rows = await select(db)
    .where(and(eq(b.leadership, true), eq(b.status, 'ok')))
    .orderBy(asc(b.id));
  return rows.map(toRow);
}

export async function unitChats(db: Db, unitId: number): Promise<BindingRow[]> {
  const { groupBindings: b } = db.t;
  const rows = await select(db)
    .where(and(eq(b.unitId, unitId), eq(b.status, 'ok')))
    .orderBy(asc(b.id));
  return rows.map(toRow);
}
