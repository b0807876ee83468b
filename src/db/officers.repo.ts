// Officers, with the unit they belong to.
import { and, asc, count, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import { prepared } from './prepared.ts';
import { CHANNELS, type Channel, type Role } from './schema.ts';

const isChannel = (c: string): c is Channel => (CHANNELS as readonly string[]).includes(c);

export interface OfficerRow {
  id: number;
  code: string;
  fullName: string;
  role: Role;
  title: string | null;
  /** 1 when active, else 0. */
  active: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
}

function columns(db: Db) {
  const { officers: o, units: u } = db.t;
  return {
    id: o.id,
    code: o.code,
    fullName: o.fullName,
    role: o.role,
    title: o.title,
    active: o.active,
    unitId: u.id,
    unitCode: u.code,
    unitName: u.name,
    unitPath: u.path,
  };
}

function select(db: Db) {
  const { officers: o, units: u } = db.t;
  return db.orm.select(columns(db)).from(o).innerJoin(u, eq(u.id, o.unitId));
}

const toRow = <R extends { active: boolean }>(r: R): Omit<R, 'active'> & { active: number } => ({ ...r, active: r.active ? 1 : 0 });

export async function officerByCode(db: Db, code: string): Promise<OfficerRow | undefined> {
  const rows = await select(db).where(eq(db.t.officers.code, code)).limit(1);
  return rows.map(toRow)[0];
}

export async function officerById(db: Db, id: number): Promise<OfficerRow | undefined> {
  const rows = await select(db).where(eq(db.t.officers.id, id)).limit(1);
  return rows.map(toRow)[0];
}

/** Active officers with a given role (e.g. the chairs to tell about an extension request). */
export async function activeOfficersByRole(db: Db, role: Role): Promise<OfficerRow[]> {
  const { officers: o } = db.t;
  const rows = await select(db)
    .where(and(eq(o.role, role), eq(o.active, true)))
    .orderBy(asc(o.code));
  return rows.map(toRow);
}

export async function countOfficers(db: Db): Promise<number> {
  const rows = await db.orm.select({ n: count() }).from(db.t.officers);
  return rows[0]?.n ?? 0;
}

export interface SenderRow extends OfficerRow {
  accountId: number;
  privateChatId: string | null;
}

/** The officer linked to a chat account, whether active or not. */
export async function officerByAccount(db: Db, channel: string, externalId: string): Promise<SenderRow | undefined> {
  const r = await senderByAccount(db, channel, externalId);
  if (!r) return undefined;
  const { promptKind: _kind, promptTaskId: _taskId, promptExpiresAt: _expiresAt, ...row } = r;
  return row;
}

/** A chat account's officer, with the question the bot is waiting for this account to answer (all null when none). */
export interface SenderWithPromptRow extends SenderRow {
  promptKind: string | null;
  promptTaskId: number | null;
  promptExpiresAt: number | null;
}

// Every update resolves its sender: prepared once per connection, and the pending question
// comes in the same query, so the command need not look it up again.
const senderQuery = prepared('nv_sender_by_account', (orm, t, name) => {
  const { officers: o, units: u, chatAccounts: a, pendingPrompts: p } = t;
  return orm
    .select({
      id: o.id,
      code: o.code,
      fullName: o.fullName,
      role: o.role,
      title: o.title,
      active: o.active,
      unitId: u.id,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
      accountId: a.id,
      privateChatId: a.privateChatId,
      promptKind: p.kind,
      promptTaskId: p.taskId,
      promptExpiresAt: p.expiresAt,
    })
    .from(a)
    .innerJoin(o, eq(o.id, a.officerId))
    .innerJoin(u, eq(u.id, o.unitId))
    .leftJoin(p, and(eq(p.channel, a.channel), eq(p.externalId, a.externalId)))
    // At most one row (one account per channel and id, one question per account). No LIMIT: on
    // SQLite a LIMIT bound as a parameter recompiles the statement at every run.
    .where(and(eq(a.channel, sql.placeholder('channel')), eq(a.externalId, sql.placeholder('externalId'))))
    .prepare(name);
});

/** officerByAccount and the account's pending question, in one query. */
export async function senderByAccount(db: Db, channel: string, externalId: string): Promise<SenderWithPromptRow | undefined> {
  // No account is on a channel this program does not know.
  if (!isChannel(channel)) return undefined;
  const rows = await senderQuery(db).execute({ channel, externalId });
  return rows.map(toRow)[0];
}

/** Active officers of a unit who can be reached in a private chat. */
export async function privateChatsOfUnit(db: Db, unitId: number): Promise<{ channel: string; chatId: string }[]> {
  const { officers: o, chatAccounts: a } = db.t;
  const rows = await db.orm
    .select({ channel: a.channel, chatId: a.privateChatId })
    .from(a)
    .innerJoin(o, eq(o.id, a.officerId))
    .where(and(eq(o.unitId, unitId), eq(o.active, true), isNotNull(a.privateChatId)))
    .orderBy(asc(o.code));
  const out: { channel: string; chatId: string }[] = [];
  for (const r of rows) if (r.chatId !== null) out.push({ channel: r.channel, chatId: r.chatId });
  return out;
}
