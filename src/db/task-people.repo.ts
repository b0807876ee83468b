// Who works on a task besides its lead unit: the co-ordinating units (phối hợp) and the
// officer named to carry it out (người thực hiện); and a task's suspension.
import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import { byChunks, idIn } from './routes.repo.ts';
import type { Channel } from './schema.ts';
import type { OpenTaskRow } from './tasks.repo.ts';

export async function addCooperators(db: Db, taskId: number, unitIds: readonly number[]): Promise<void> {
  if (unitIds.length === 0) return;
  await db.orm.insert(db.t.taskCooperators).values(unitIds.map((unitId) => ({ taskId, unitId })));
}

/** The co-ordinating units of a task, by code. */
export async function cooperatorsOf(db: Db, taskId: number): Promise<{ code: string; name: string }[]> {
  const { taskCooperators: c, units: u } = db.t;
  return db.orm.select({ code: u.code, name: u.name }).from(c).innerJoin(u, eq(u.id, c.unitId)).where(eq(c.taskId, taskId)).orderBy(asc(u.code));
}

/** The co-ordinating units of many tasks: task id → unit ids (tasks without any are absent). */
export async function cooperatorsOfTasks(db: Db, taskIds: readonly number[]): Promise<Map<number, number[]>> {
  const { taskCooperators: c } = db.t;
  const rows = await byChunks(taskIds, (part) => db.orm.select({ taskId: c.taskId, unitId: c.unitId }).from(c).where(idIn(c.taskId, part)));
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.taskId, [...(out.get(r.taskId) ?? []), r.unitId]);
  return out;
}

export interface OfficerBrief {
  id: number;
  code: string;
  fullName: string;
  title: string | null;
  role: string;
  unitId: number;
  active: boolean;
}

export async function officerBriefByCode(db: Db, code: string): Promise<OfficerBrief | undefined> {
  const { officers: o } = db.t;
  const rows = await db.orm
    .select({ id: o.id, code: o.code, fullName: o.fullName, title: o.title, role: o.role, unitId: o.unitId, active: o.active })
    .from(o)
    .where(eq(o.code, code))
    .limit(1);
  return rows[0];
}

export async function setAssignee(db: Db, taskId: number, officerId: number, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ assigneeId: officerId, updatedAt: now }).where(eq(t.id, taskId));
}

/** The officer named on a task, if any. */
export async function assigneeOf(db: Db, taskId: number): Promise<OfficerBrief | undefined> {
  const { tasks: t, officers: o } = db.t;
  const rows = await db.orm
    .select({ id: o.id, code: o.code, fullName: o.fullName, title: o.title, role: o.role, unitId: o.unitId, active: o.active })
    .from(t)
    .innerJoin(o, eq(o.id, t.assigneeId))
    .where(eq(t.id, taskId))
    .limit(1);
  return rows[0];
}

/** The active officers named on many tasks: task id → officer (tasks without one are absent). */
export async function assigneesOfTasks(db: Db, taskIds: readonly number[]): Promise<Map<number, { officerId: number; fullName: string; title: string | null; role: string }>> {
  const { tasks: t, officers: o } = db.t;
  const rows = await byChunks(taskIds, (part) =>
    db.orm
      .select({ taskId: t.id, officerId: o.id, fullName: o.fullName, title: o.title, role: o.role })
      .from(t)
      .innerJoin(o, eq(o.id, t.assigneeId))
      .where(and(idIn(t.id, part), eq(o.active, true))),
  );
  return new Map(rows.map(({ taskId, ...officer }) => [taskId, officer]));
}

/** The linked private chats of many officers (each officer's, newest link first). */
export async function privateChatsOfOfficers(db: Db, officerIds: readonly number[]): Promise<Map<number, { channel: Channel; chatId: string }[]>> {
  const { chatAccounts: a } = db.t;
  const rows = await byChunks(officerIds, (part) =>
    db.orm
      .select({ officerId: a.officerId, channel: a.channel, chatId: a.privateChatId })
      .from(a)
      .where(and(idIn(a.officerId, part), isNotNull(a.privateChatId)))
      .orderBy(asc(a.officerId), sql`${a.linkedAt} DESC`),
  );
  const out = new Map<number, { channel: Channel; chatId: string }[]>();
  for (const r of rows) if (r.chatId !== null) out.set(r.officerId, [...(out.get(r.officerId) ?? []), { channel: r.channel, chatId: r.chatId }]);
  return out;
}

/** Suspends a task (at, reason) or resumes it (null). */
export async function setSuspension(db: Db, taskId: number, at: number | null, reason: string | null, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ suspendedAt: at, suspendReason: reason, updatedAt: now }).where(eq(t.id, taskId));
}

const openCols = (db: Db) => {
  const { tasks: t, units: u } = db.t;
  return { code: t.code, title: t.title, unitCode: u.code, effectiveDeadline: t.effectiveDeadline, suspendedAt: t.suspendedAt, ruleId: t.ruleId };
};

/** Deadline first (the undated last), then code. */
const byDeadline = (db: Db) => [sql`CASE WHEN ${db.t.tasks.effectiveDeadline} IS NULL THEN 1 ELSE 0 END`, asc(db.t.tasks.effectiveDeadline), asc(db.t.tasks.code)];

/** The open tasks an officer is named on. */
export async function openTasksOfAssignee(db: Db, officerId: number, limit: number): Promise<OpenTaskRow[]> {
  const { tasks: t, units: u } = db.t;
  return db.orm
    .select(openCols(db))
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .where(and(eq(t.assigneeId, officerId), isNull(t.completedAt)))
    .orderBy(...byDeadline(db))
    .limit(limit);
}

/** The open tasks a unit co-ordinates (another unit leads them). */
export async function openCooperatingTasks(db: Db, unitId: number, limit: number): Promise<OpenTaskRow[]> {
  const { tasks: t, units: u, taskCooperators: c } = db.t;
  return db.orm
    .select(openCols(db))
    .from(c)
    .innerJoin(t, eq(t.id, c.taskId))
    .innerJoin(u, eq(u.id, t.unitId))
    .where(and(eq(c.unitId, unitId), isNull(t.completedAt)))
    .orderBy(...byDeadline(db))
    .limit(limit);
}
