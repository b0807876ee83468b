// Report queries: the status rule of domain/status.ts written as SQL aggregates,
// so a province's million tasks are counted inside SQLite.
//
// Every query walks units and, for each, seeks tasks_unit_cover_idx
// (unit_id, assigned_at, effective_deadline, completed_at): the tasks come out
// already grouped by unit and the table itself is never read for the counts.
import type { Db } from './open.ts';

export interface ReportFilter {
  asOf: number;
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
  total: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  /** The earliest effective deadline among the unit's overdue tasks (null when none). */
  firstOverdueDeadline: number | null;
}

const OVERDUE = '(t.completed_at IS NULL OR t.completed_at > @asOf) AND t.effective_deadline < @asOf';

/** The selection as SQL over `units u JOIN tasks t`. */
function where(f: ReportFilter): { sql: string; params: Record<string, unknown> } {
  const parts: string[] = [];
  const params: Record<string, unknown> = { asOf: f.asOf };
  if (f.from !== undefined) {
    parts.push('t.assigned_at >= @from');
    params.from = f.from;
  }
  if (f.to !== undefined) {
    parts.push('t.assigned_at <= @to');
    params.to = f.to;
  }
  if (f.pathPrefix !== undefined) {
    parts.push('substr(u.path, 1, length(@prefix)) = @prefix');
    params.prefix = f.pathPrefix;
  }
  if (f.assignedByKey) {
    parts.push('instr(t.assigned_by_key, @ab) > 0');
    params.ab = f.assignedByKey;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function and(w: { sql: string }, cond: string): string {
  return w.sql ? `${w.sql} AND ${cond}` : `WHERE ${cond}`;
}

/** Counts per unit (only units with tasks in the selection). inProgress = total − the rest. */
export function countsByUnit(db: Db, f: ReportFilter): UnitCountsRow[] {
  const w = where(f);
  return db.$client
    .prepare(
      `SELECT u.id AS unitId, u.code AS code, u.name AS name,
              count(*) AS total,
              count(*) FILTER (WHERE t.completed_at <= @asOf AND t.completed_at <= t.effective_deadline) AS doneOnTime,
              count(*) FILTER (WHERE t.completed_at <= @asOf AND t.completed_at > t.effective_deadline) AS doneLate,
              count(*) FILTER (WHERE ${OVERDUE}) AS overdue,
              min(t.effective_deadline) FILTER (WHERE ${OVERDUE}) AS firstOverdueDeadline
       FROM units u JOIN tasks t ON t.unit_id = u.id
       ${w.sql}
       GROUP BY u.id`,
    )
    .all(w.params) as UnitCountsRow[];
}

/**
 * The units that can hold the `limit` most overdue tasks. If a unit's earliest
 * overdue deadline comes after the limit-th smallest of those earliest
 * deadlines, at least `limit` tasks of other units are strictly more overdue
 * than any of its tasks, so it cannot appear in the list.
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
export function overdueTasks(db: Db, f: ReportFilter, limit: number, unitIds?: number[]): OverdueRow[] {
  if (limit <= 0 || unitIds?.length === 0) return [];
  const w = where(f);
  const params: Record<string, unknown> = { ...w.params, limit };
  let cond = OVERDUE;
  if (unitIds) {
    cond += ' AND u.id IN (SELECT value FROM json_each(@unitIds))';
    params.unitIds = JSON.stringify(unitIds);
  }
  return db.$client
    .prepare(
      `WITH o AS (SELECT t.id FROM units u JOIN tasks t ON t.unit_id = u.id ${and(w, cond)}
                  ORDER BY t.effective_deadline ASC, t.id ASC LIMIT @limit)
       SELECT t.code, t.title, u.code AS unitCode, u.name AS unitName, t.effective_deadline AS effectiveDeadline
       FROM o JOIN tasks t ON t.id = o.id JOIN units u ON u.id = t.unit_id
       ORDER BY t.effective_deadline ASC, t.id ASC`,
    )
    .all(params) as OverdueRow[];
}

export interface TaskSheetRow {
  code: string;
  title: string;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number;
  effectiveDeadline: number;
  completedAt: number | null;
  lateReason: string | null;
}

/** One unit's tasks of the selection (not its sub-units'), for the spreadsheet export. */
export function unitTaskRows(db: Db, f: ReportFilter, unitId: number): TaskSheetRow[] {
  const w = where(f);
  return db.$client
    .prepare(
      `SELECT t.code, t.title, t.assigned_by AS assignedBy, t.source_doc AS sourceDoc,
              t.assigned_at AS assignedAt, t.deadline, t.effective_deadline AS effectiveDeadline,
              t.completed_at AS completedAt, t.late_reason AS lateReason
       FROM units u JOIN tasks t ON t.unit_id = u.id ${and(w, 'u.id = @unitId')}
       ORDER BY t.effective_deadline, t.code`,
    )
    .all({ ...w.params, unitId }) as TaskSheetRow[];
}

export function findUnitByCode(db: Db, code: string): { id: number; code: string; name: string; path: string } | undefined {
  return db.$client.prepare('SELECT id, code, name, path FROM units WHERE code = ?').get(code) as
    | { id: number; code: string; name: string; path: string }
    | undefined;
}
