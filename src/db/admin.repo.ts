// Queries of the office's web pages: officers with their linked chat accounts and open
// invites, deactivation, and the group bindings with the day they were made.
import { and, asc, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from './open.ts';
import type { Channel, Role } from './schema.ts';

export interface AdminOfficerRow {
  id: number;
  code: string;
  fullName: string;
  role: Role;
  title: string | null;
  active: boolean;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
}

function officerSelect(db: Db) {
  const { officers: o, units: u } = db.t;
  return db.orm
    .select({ id: o.id, code: o.code, fullName: o.fullName, role: o.role, title: o.title, active: o.active, unitId: u.id, unitCode: u.code, unitName: u.name, unitPath: u.path })
    .from(o)
    .innerJoin(u, eq(u.id, o.unitId));
}

/** Every officer, by unit code then officer code. */
export async function allOfficersWithUnits(db: Db): Promise<AdminOfficerRow[]> {
  const { officers: o, units: u } = db.t;
  return officerSelect(db).orderBy(asc(u.code), asc(o.code));
}

/** The channels each officer has a linked chat account on (officer id → channels). */
export async function linkedChannelsByOfficer(db: Db): Promise<Map<number, Channel[]>> {
  const { chatAccounts: a } = db.t;
  const rows = await db.orm.selectDistinct({ officerId: a.officerId, channel: a.channel }).from(a).orderBy(asc(a.officerId), asc(a.channel));
  const out = new Map<number, Channel[]>();
  for (const r of rows) {
    const list = out.get(r.officerId) ?? [];
    list.push(r.channel);
    out.set(r.officerId, list);
  }
  return out;
}

export interface LinkedAccountRow {
  channel: Channel;
  displayName: string | null;
  linkedAt: number;
}

export async function linkedAccountsOfOfficer(db: Db, officerId: number): Promise<LinkedAccountRow[]> {
  const { chatAccounts: a } = db.t;
  return db.orm
    .select({ channel: a.channel, displayName: a.displayName, linkedAt: a.linkedAt })
    .from(a)
    .where(eq(a.officerId, officerId))
    .orderBy(desc(a.linkedAt));
}

export interface OpenInviteRow {
  code: string;
  createdAt: number;
  expiresAt: number;
}

/** An officer's invites not used and not expired, newest first. */
export async function openInvitesOfOfficer(db: Db, officerId: number, now: number): Promise<OpenInviteRow[]> {
  const { invites: i } = db.t;
  return db.orm
    .select({ code: i.code, createdAt: i.createdAt, expiresAt: i.expiresAt })
    .from(i)
    .where(and(eq(i.officerId, officerId), isNull(i.usedAt), gt(i.expiresAt, now)))
    .orderBy(desc(i.createdAt), asc(i.code));
}

/** Sets an officer active or not; false when nothing changed (already so). */
export async function setOfficerActive(db: Db, officerId: number, active: boolean): Promise<boolean> {
  const { officers: o } = db.t;
  const rows = await db.orm
    .update(o)
    .set({ active })
    .where(and(eq(o.id, officerId), eq(o.active, !active)))
    .returning({ id: o.id });
  return rows.length === 1;
}

/** Ends every open web session of an officer (a deactivated officer is signed out for good). */
export async function endSessionsOfOfficer(db: Db, officerId: number, now: number): Promise<number> {
  const { webSessions: s } = db.t;
  const rows = await db.orm
    .update(s)
    .set({ endedAt: now })
    .where(and(eq(s.officerId, officerId), isNull(s.endedAt)))
    .returning({ id: s.idHash });
  return rows.length;
}

export interface AdminBindingRow {
  id: number;
  channel: Channel;
  chatId: string;
  leadership: boolean;
  status: string;
  createdAt: number;
  unitId: number | null;
  unitCode: string | null;
  unitName: string | null;
  unitPath: string | null;
}

function bindingSelect(db: Db) {
  const { groupBindings: b, units: u } = db.t;
  return db.orm
    .select({
      id: b.id,
      channel: b.channel,
      chatId: b.chatId,
      leadership: b.leadership,
      status: b.status,
      createdAt: b.createdAt,
      unitId: b.unitId,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
    })
    .from(b)
    .leftJoin(u, eq(u.id, b.unitId));
}

/** Every binding: the leadership groups first, then by unit code, channel and chat. */
export async function allBindingsWithSince(db: Db): Promise<AdminBindingRow[]> {
  const { groupBindings: b, units: u } = db.t;
  return bindingSelect(db).orderBy(desc(b.leadership), asc(u.code), asc(b.channel), asc(b.chatId));
}

export async function bindingById(db: Db, id: number): Promise<AdminBindingRow | undefined> {
  const rows = await bindingSelect(db).where(eq(db.t.groupBindings.id, id)).limit(1);
  return rows[0];
}

/** Removes a binding; false when it was already gone. */
export async function deleteBinding(db: Db, id: number): Promise<boolean> {
  const { groupBindings: b } = db.t;
  const rows = await db.orm.delete(b).where(eq(b.id, id)).returning({ id: b.id });
  return rows.length === 1;
}
