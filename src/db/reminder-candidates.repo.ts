// The queries the tick needs: open tasks that may have a reminder in a window
// (picked by effective_deadline through the open-task index, never a full scan),
// and who is responsible for a unit.
import { and, asc, eq, gte, inArray, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import type { Db } from './open.ts';
import { byChunks, idIn } from './routes.repo.ts';
import { countedSql, countWhere, doneLateSql, doneOnTimeSql, inProgressSql, overdueSql } from './status.sql.ts';

export interface CandidateTask {
  id: number;
  code: string;
  title: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  effectiveDeadline: number;
  createdAt: number;
}

async function candidates(db: Db, cond: SQL | undefined): Promise<CandidateTask[]> {
  const { tasks, units } = db.t;
  // A task without a deadline never matches a deadline window; a suspended one gets no reminder,
  // nor one reported and awaiting confirmation (the chairs are nudged instead; sent back, it has reminders again).
  // Sorted by id here, not in SQL: with ORDER BY id SQLite may walk the whole table in id
  // order (no sort needed) rather than the open-deadline index and sort the few rows it finds.
  const rows = await db.orm
    .select({
      id: tasks.id,
      code: tasks.code,
      title: tasks.title,
      unitId: tasks.unitId,
      unitCode: units.code,
      unitName: units.name,
      effectiveDeadline: tasks.effectiveDeadline,
      createdAt: tasks.createdAt,
    })
    .from(tasks)
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(and(cond, isNull(tasks.suspendedAt), isNull(tasks.reportedAt)));
  const out: CandidateTask[] = [];
  for (const r of rows) if (r.effectiveDeadline !== null) out.push({ ...r, effectiveDeadline: r.effectiveDeadline });
  return out.sort((a, b) => a.id - b.id);
}

/** Open tasks whose effective deadline lies in [lo, hi]. */
export async function openTasksByDeadline(db: Db, lo: number, hi: number): Promise<CandidateTask[]> {
  const { tasks } = db.t;
  return candidates(db, and(isNull(tasks.completedAt), gte(tasks.effectiveDeadline, lo), lte(tasks.effectiveDeadline, hi)));
}

/**
 * Open tasks overdue before `before` whose deadline's local day number (days
 * since 1970 with `offsetMs` added) falls on one of the given weekdays (day
 * number mod 7): the only ones a weekly overdue notice can fall on.
 */
export async function overdueTasksOnWeekdays(db: Db, before: number, offsetMs: number, residues: number[]): Promise<CandidateTask[]> {
  if (residues.length === 0) return [];
  if (residues.length >= 7) return openTasksByDeadline(db, Number.MIN_SAFE_INTEGER, before - 1);
  const { tasks } = db.t;
  const offset = Math.trunc(offsetMs);
  // Both operands are integers on both engines (bigint column + integer), so `/` divides as integers.
  const weekday = sql`((${tasks.effectiveDeadline} + ${offset}) / 86400000) % 7`;
  return candidates(
    db,
    and(
      isNull(tasks.completedAt),
      lt(tasks.effectiveDeadline, before),
      inArray(
        weekday,
        residues.map((r) => Number(r) | 0),
      ),
    ),
  );
}

export interface ResponsibleOfficer {
  unitId: number;
  fullName: string;
  role: string;
  title: string | null;
}

/** The unit's head(s) first, then its other active officers. */
export async function responsibleOfUnit(db: Db, unitId: number, limit = 3): Promise<ResponsibleOfficer[]> {
  const { officers } = db.t;
  return db.orm
    .select({ unitId: officers.unitId, fullName: officers.fullName, role: officers.role, title: officers.title })
    .from(officers)
    .where(and(eq(officers.unitId, unitId), eq(officers.active, true), inArray(officers.role, ['head', 'officer'])))
    .orderBy(sql`CASE ${officers.role} WHEN 'head' THEN 0 ELSE 1 END`, asc(officers.code))
    .limit(limit);
}

/** responsibleOfUnit() of many units in a query (per ten thousand units): every unit given has an entry. */
export async function responsibleOfUnits(db: Db, unitIds: Iterable<number>, limit = 3): Promise<Map<number, ResponsibleOfficer[]>> {
  const { officers } = db.t;
  const out = new Map<number, ResponsibleOfficer[]>();
  for (const id of unitIds) out.set(id, []);
  // Every head and officer of the units, each unit's in responsibleOfUnit's order; the first `limit` are kept.
  const rows = await byChunks([...out.keys()], (part) =>
    db.orm
      .select({ unitId: officers.unitId, fullName: officers.fullName, role: officers.role, title: officers.title })
      .from(officers)
      .where(and(idIn(officers.unitId, part), eq(officers.active, true), inArray(officers.role, ['head', 'officer'])))
      .orderBy(asc(officers.unitId), sql`CASE ${officers.role} WHEN 'head' THEN 0 ELSE 1 END`, asc(officers.code)),
  );
  for (const r of rows) {
    const list = out.get(r.unitId);
    if (list && list.length < limit) list.push(r);
  }
  return out;
}

/** Counts over the tasks whose effective deadline fell in [from, to), as of `to`. */
export async function countsDueBetween(db: Db, from: number, to: number, unitId?: number) {
  const { tasks } = db.t;
  const rows = await db.orm
    .select({
      total: countWhere(countedSql(tasks, to)),
      doneOnTime: countWhere(doneOnTimeSql(tasks, to)),
      doneLate: countWhere(doneLateSql(tasks, to)),
      overdue: countWhere(overdueSql(tasks, to)),
      inProgress: countWhere(inProgressSql(tasks, to)),
    })
    .from(tasks)
    .where(
      and(gte(tasks.effectiveDeadline, from), lt(tasks.effectiveDeadline, to), unitId === undefined ? undefined : eq(tasks.unitId, unitId)),
    );
  return rows[0] ?? { total: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0 };
}

export interface PendingExtension {
  id: number;
  taskCode: string;
  unitName: string;
  newDeadline: number;
}

export async function pendingExtensions(db: Db, limit: number): Promise<PendingExtension[]> {
  const { extensions, tasks, units } = db.t;
  return db.orm
    .select({ id: extensions.id, taskCode: tasks.code, unitName: units.name, newDeadline: extensions.newDeadline })
    .from(extensions)
    .innerJoin(tasks, eq(tasks.id, extensions.taskId))
    .innerJoin(units, eq(units.id, tasks.unitId))
    .where(eq(extensions.status, 'pending'))
    .orderBy(asc(extensions.requestedAt))
    .limit(limit);
}

/** Bound unit groups (status ok, not leadership) with their unit. */
export async function unitGroups(db: Db): Promise<{ channel: string; chatId: string; unitId: number; unitCode: string; unitName: string }[]> {
  const { groupBindings: b, units } = db.t;
  return db.orm
    .select({ channel: b.channel, chatId: b.chatId, unitId: units.id, unitCode: units.code, unitName: units.name })
    .from(b)
    .innerJoin(units, eq(units.id, b.unitId))
    .where(and(eq(b.status, 'ok'), eq(b.leadership, false)))
    .orderBy(asc(b.id));
}
