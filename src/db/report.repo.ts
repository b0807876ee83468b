// Report queries: the status rule of domain/status.ts (as the fragments of
// status.sql.ts) in SQL aggregates, so a province's million tasks are counted
// inside the database.
//
// Every query walks units and, for each, seeks tasks_unit_cover_idx
// (unit_id, assigned_at, effective_deadline, completed_at, assigned_by_key, reported_at,
// suspended_at): the
// tasks come out already grouped by unit and, on SQLite, the table itself is never
// read for the counts.
import { and, asc, eq, gte, inArray, lte, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { Db } from './open.ts';
import {
  awaitingConfirmationSql,
  countedSql,
  countWhere,
  doneLateSql,
  doneOnTimeSql,
  dueSoonSql,
  noDeadlineSql,
  overdueSql,
  suspendedSql,
} from './status.sql.ts';

export interface ReportFilter {
  asOf: number;
  /** dueSoon: in progress with the effective deadline at or before this instant (asOf + nearDeadlineDays). */
  dueSoonUntil?: number;
  from?: number;
  to?: number;
  /** Units path prefix ("/1/5/") for a subtree. */
  pathPrefix?: string;
  /** Folded text that assigned_by_key must contain. */
  assignedByKey?: string;
}

export interface UnitCountsRow {
  unitId: number;
  code: string;
  name: string;
  /** The tasks in the four buckets (a deadline, not suspended). */
  total: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  dueSoon: number;
  awaitingConfirmation: number;
  noDeadline: number;
  suspended: number;
  /** The earliest effective deadline among the unit's overdue tasks (null when none). */
  firstOverdueDeadline: number | null;
}

/** `text` as a LIKE pattern matching it literally anywhere (user text: % and _ escaped). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** The units path is `prefix`… (the prefix's length computed here: PostgreSQL cannot type length() of a parameter). */
export function pathStartsWith(path: SQLWrapper, prefix: string): SQL {
  return sql`substr(${path}, 1, ${prefix.length}) = ${prefix}`;
}

/** The selection over `units JOIN tasks`, as conditions. */
function where(db: Db, f: ReportFilter): SQL[] {
  const { tasks, units } = db.t;
  const parts: SQL[] = [];
  if (f.from !== undefined) parts.push(gte(tasks.assignedAt, f.from));
  if (f.to !== undefined) parts.push(lte(tasks.assignedAt, f.to));
  if (f.pathPrefix !== undefined) parts.push(pathStartsWith(units.path, f.pathPrefix));
  // LIKE, not instr (SQLite only); both sides are folded to lower case, so case rules do not matter.
  if (f.assignedByKey) parts.push(sql`${tasks.assignedByKey} LIKE ${containsPattern(f.assignedByKey)} ESCAPE '\\'`);
  return parts;
}

/** Counts per unit (only units with tasks in the selection). inProgress = total − the four others. */
export async function countsByUnit(db: Db, f: ReportFilter): Promise<UnitCountsRow[]> {
  const { tasks, units } = db.t;
  return db.orm
    .select({
      unitId: units.id,
      code: units.code,
      name: units.name,
      total: countWhere(countedSql(tasks, f.asOf)),
      doneOnTime: countWhere(doneOnTimeSql(tasks, f.asOf)),
      doneLate: countWhere(doneLateSql(tasks, f.asOf)),
      overdue: countWhere(overdueSql(tasks, f.asOf)),
      dueSoon: countWhere(dueSoonSql(tasks, f.asOf, f.dueSoonUntil ?? f.asOf)),
      awaitingConfirmation: countWhere(awaitingConfirmationSql(tasks, f.asOf)),
      noDeadline: countWhere(noDeadlineSql(tasks, f.asOf)),
      suspended: countWhere(suspendedSql(tasks, f.asOf)),
      firstOverdueDeadline: sql<number | null>`min(${tasks.effectiveDeadline}) FILTER (WHERE ${overdueSql(tasks, f.asOf)})`.mapWith(Number),
    })
    .from(units)
    .innerJoin(tasks, eq(tasks.unitId, units.id))
    .where(and(...where(db, f)))
    .groupBy(units.id);
}

/**
 * The units that can hold the `limit` most overdue tasks. If a unit's earliest
 * overdue deadline comes after the limit-th smallest of those earliest
 * deadlines, at least `limit` tasks of other units are strictly more overdue
 * than any of its tasks, so it cannot appear in the list. (Pure: no query.)
 */
export function unitsHoldingFirstOverdue(rows: UnitCountsRow[], limit: number): number[] {
  const late = rows.filter((r) => r.firstOverdueDeadline !== null);
  if (late.length <= limit) return late.map((r) => r.unitId);
  const firsts = late.map((r) => r.firstOverdueDeadline as number).sort((a, b) => a - b);
  const cutoff = firsts[Math.max(0, limit - 1)];
  return late.filter((r) => (r.firstOverdueDeadline as number) <= cutoff).map((r) => r.unitId);
}

export interface OverdueRow {
  code: string;
  title: string;
  unitCode: string;
  unitName: string;
  effectiveDeadline: number;
}

/**
 * Tasks not done by asOf whose effective deadline is before it, most overdue
 * first (equal deadlines: in the order they were recorded). `unitIds` narrows
 * the search to the units that can hold them (see unitsHoldingFirstOverdue).
 * The inner query picks ids from the covering index; only the rows shown are
 * read from the table.
 */
export async function overdueTasks(db: Db, f: ReportFilter, limit: number, unitIds?: number[]): Promise<OverdueRow[]> {
  if (limit <= 0 || unitIds?.length === 0) return [];
  const { tasks, units } = db.t;
  const conds = [...where(db, f), overdueSql(tasks, f.asOf)];
  if (unitIds) conds.push(inArray(units.id, unitIds));
  const o = db.orm.$with('o').as(
    db.orm
      .select({ id: tasks.id })
      .from(units)
      .innerJoin(tasks, eq(tasks.unitId, units.id))
      .where(and(...conds))
      .orderBy(asc(tasks.effectiveDeadline), asc(tasks.id))
      .limit(limit),
  );
  const rows = await db.orm
    .with(o)
    .select({ code: tasks.code, title: tasks.title, unitCode: units.code, unitName: units.name, effectiveDeadline: tasks.effectiveDeadline })
    .from(o)
    .innerJoin(tasks, eq(tasks.id, o.id))
    .innerJoin(units, eq(units.id, tasks.unitId))
    .orderBy(asc(tasks.effectiveDeadline), asc(tasks.id));
  // An overdue task has a deadline (overdueSql).
  return rows.flatMap(({ effectiveDeadline, ...r }) => (effectiveDeadline === null ? [] : [{ ...r, effectiveDeadline }]));
}

export interface TaskSheetRow {
  id: number;
  code: string;
  title: string;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  /** Null: no deadline. */
  deadline: number | null;
  effectiveDeadline: number | null;
  completedAt: number | null;
  lateReason: string | null;
  suspendedAt: number | null;
  reportedAt: number | null;
}

/** One unit's tasks of the selection (not its sub-units'), for the spreadsheet export. */
export async function unitTaskRows(db: Db, f: ReportFilter, unitId: number): Promise<TaskSheetRow[]> {
  const { tasks, units } = db.t;
  return db.orm
    .select({
      id: tasks.id,
      code: tasks.code,
      title: tasks.title,
      assignedBy: tasks.assignedBy,
      sourceDoc: tasks.sourceDoc,
      assignedAt: tasks.assignedAt,
      deadline: tasks.deadline,
      effectiveDeadline: tasks.effectiveDeadline,
      completedAt: tasks.completedAt,
      lateReason: tasks.lateReason,
      suspendedAt: tasks.suspendedAt,
      reportedAt: tasks.reportedAt,
    })
    .from(units)
    .innerJoin(tasks, eq(tasks.unitId, units.id))
    .where(and(...where(db, f), eq(units.id, unitId)))
    .orderBy(asc(tasks.effectiveDeadline), asc(tasks.code));
}

export async function findUnitByCode(db: Db, code: string): Promise<{ id: number; code: string; name: string; path: string } | undefined> {
  const { units } = db.t;
  const rows = await db.orm.select({ id: units.id, code: units.code, name: units.name, path: units.path }).from(units).where(eq(units.code, code)).limit(1);
  return rows[0];
}
