// Task queries for the chat: open tasks of a unit, one task, completion, events.
import { and, asc, desc, eq, gte, inArray, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './open.ts';

export interface TaskRow {
  id: number;
  code: string;
  title: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number;
  effectiveDeadline: number;
  completedAt: number | null;
  completedBy: number | null;
  completedByName: string | null;
  lateReason: string | null;
  note: string | null;
}

export async function taskByCode(db: Db, code: string): Promise<TaskRow | undefined> {
  const { tasks: t, units: u, officers: o } = db.t;
  const rows = await db.orm
    .select({
      id: t.id,
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
      assignedBy: t.assignedBy,
      sourceDoc: t.sourceDoc,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.effectiveDeadline,
      completedAt: t.completedAt,
      completedBy: t.completedBy,
      completedByName: o.fullName,
      lateReason: t.lateReason,
      note: t.note,
    })
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .leftJoin(o, eq(o.id, t.completedBy))
    .where(eq(t.code, code))
    .limit(1);
  return rows[0];
}

export async function taskById(db: Db, id: number): Promise<{ id: number; code: string; completedAt: number | null; unitId: number } | undefined> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .select({ id: t.id, code: t.code, completedAt: t.completedAt, unitId: t.unitId })
    .from(t)
    .where(eq(t.id, id))
    .limit(1);
  return rows[0];
}

/** Which of these codes exist (for a "xong" reply to a reminder), in the order given. */
export async function existingCodes(db: Db, codes: string[]): Promise<string[]> {
  const asked = codes.slice(0, 50);
  if (asked.length === 0) return [];
  const { tasks: t } = db.t;
  const rows = await db.orm.select({ code: t.code }).from(t).where(inArray(t.code, asked));
  const found = new Set(rows.map((r) => r.code));
  return asked.filter((c) => found.has(c));
}

export interface OpenTaskRow {
  code: string;
  title: string;
  unitCode: string;
  effectiveDeadline: number;
  /** The recurring rule the task is an occurrence of, else null. */
  ruleId: number | null;
}

export interface OpenTaskFilter {
  /** One unit's tasks. */
  unitId?: number;
  /** Or a whole subtree (a chair's view). */
  pathPrefix?: string;
  /** Only tasks whose effective deadline is at or before this instant. */
  dueBefore?: number;
  /** Only tasks whose effective deadline is at or after this instant. */
  dueAfter?: number;
  limit: number;
}

/** Open tasks by effective deadline, soonest (most overdue) first. */
export async function openTasks(db: Db, f: OpenTaskFilter): Promise<OpenTaskRow[]> {
  const { tasks: t, units: u } = db.t;
  const cols = { code: t.code, title: t.title, unitCode: u.code, effectiveDeadline: t.effectiveDeadline, ruleId: t.ruleId };
  const due = and(
    isNull(t.completedAt),
    f.dueAfter !== undefined ? gte(t.effectiveDeadline, f.dueAfter) : undefined,
    f.dueBefore !== undefined ? lte(t.effectiveDeadline, f.dueBefore) : undefined,
  );
  if (f.unitId !== undefined) {
    return db.orm
      .select(cols)
      .from(t)
      .innerJoin(u, eq(u.id, t.unitId))
      .where(and(eq(t.unitId, f.unitId), due))
      .orderBy(asc(t.effectiveDeadline), asc(t.code))
      .limit(f.limit);
  }
  const where = and(due, sql`substr(${u.path}, 1, length(${f.pathPrefix ?? '/'})) = ${f.pathPrefix ?? '/'}`);
  if (db.engine === 'sqlite') {
    // SQLite's planner, given a subtree, may start from the units and sort a province's open
    // tasks; the hint makes it walk the partial index of open tasks' deadlines and stop after
    // `limit` rows. INDEXED BY is SQLite-only and the builder cannot say it, hence raw SQL here;
    // PostgreSQL's planner finds that index from its statistics.
    return db.all<OpenTaskRow>(sql`SELECT ${t.code} AS "code", ${t.title} AS "title", ${u.code} AS "unitCode",
        ${t.effectiveDeadline} AS "effectiveDeadline", ${t.ruleId} AS "ruleId"
      FROM ${t} INDEXED BY tasks_open_deadline_idx JOIN ${u} ON ${u.id} = ${t.unitId}
      WHERE ${where} ORDER BY ${t.effectiveDeadline}, ${t.code} LIMIT ${f.limit}`);
  }
  return db.orm
    .select(cols)
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .where(where)
    .orderBy(asc(t.effectiveDeadline), asc(t.code))
    .limit(f.limit);
}

export async function markCompleted(db: Db, taskId: number, officerId: number, now: number, lateReason: string | null): Promise<boolean> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .update(t)
    .set({ completedAt: now, completedBy: officerId, lateReason, updatedAt: now })
    .where(and(eq(t.id, taskId), isNull(t.completedAt)))
    .returning({ id: t.id });
  return rows.length === 1;
}

export async function setLateReason(db: Db, taskId: number, reason: string, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ lateReason: reason, updatedAt: now }).where(eq(t.id, taskId));
}

export async function setEffectiveDeadline(db: Db, taskId: number, deadline: number, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ effectiveDeadline: deadline, updatedAt: now }).where(eq(t.id, taskId));
}

export async function addEvent(db: Db, e: { taskId: number; at: number; officerId: number | null; kind: string; detail?: string | null }): Promise<void> {
  await db.orm.insert(db.t.taskEvents).values({ taskId: e.taskId, at: e.at, officerId: e.officerId, kind: e.kind, detail: e.detail ?? null });
}

export interface EventRow {
  at: number;
  kind: string;
  detail: string | null;
  officerName: string | null;
}

export async function eventsOf(db: Db, taskId: number, limit = 20): Promise<EventRow[]> {
  const { taskEvents: e, officers: o } = db.t;
  return db.orm
    .select({ at: e.at, kind: e.kind, detail: e.detail, officerName: o.fullName })
    .from(e)
    .leftJoin(o, eq(o.id, e.officerId))
    .where(eq(e.taskId, taskId))
    .orderBy(desc(e.at), desc(e.id))
    .limit(limit);
}

export interface NewTask {
  code: string;
  title: string;
  unitId: number;
  assignedBy: string;
  assignedByKey: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number;
}

export async function insertTask(db: Db, t: NewTask): Promise<number> {
  const { tasks } = db.t;
  const rows = await db.orm
    .insert(tasks)
    .values({
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      assignedBy: t.assignedBy,
      assignedByKey: t.assignedByKey,
      sourceDoc: t.sourceDoc,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.deadline,
      createdAt: t.assignedAt,
      updatedAt: t.assignedAt,
    })
    .returning({ id: tasks.id });
  return rows[0]!.id;
}

/**
 * The highest sequence number among codes "PREFIX0001", for generating the next code.
 * Only codes whose rest after the prefix is all digits count (read in JS: casting
 * other text to a number fails on PostgreSQL). "max + 1" races with another writer:
 * insert with onConflictDoNothing and try the next number when the code was taken.
 */
export async function maxCodeSeq(db: Db, prefix: string): Promise<number> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .select({ code: t.code })
    .from(t)
    .where(sql`substr(${t.code}, 1, length(${prefix})) = ${prefix}`);
  let max = 0;
  for (const { code } of rows) {
    const rest = code.slice(prefix.length);
    if (/^\d+$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return max;
}
