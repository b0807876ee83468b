// Report queries: the status rule of domain/status.ts written as SQL aggregates,
// so a province's million tasks are counted inside SQLite.
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
}

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
    parts.push('t.unit_id IN (SELECT id FROM units WHERE substr(path, 1, length(@prefix)) = @prefix)');
    params.prefix = f.pathPrefix;
  }
  if (f.assignedByKey) {
    parts.push("instr(t.assigned_by_key, @ab) > 0");
    params.ab = f.assignedByKey;
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Counts per unit (only units with tasks in the selection). inProgress = total − the rest. */
export function countsByUnit(db: Db, f: ReportFilter): UnitCountsRow[] {
  const w = where(f);
  const rows = db.$client
    .prepare(
      `SELECT c.unit_id AS unitId, u.code AS code, u.name AS name, c.total, c.doneOnTime, c.doneLate, c.overdue
       FROM (SELECT t.unit_id,
                    count(*) AS total,
                    count(*) FILTER (WHERE t.completed_at <= @asOf AND t.completed_at <= t.effective_deadline) AS doneOnTime,
                    count(*) FILTER (WHERE t.completed_at <= @asOf AND t.completed_at > t.effective_deadline) AS doneLate,
                    count(*) FILTER (WHERE (t.completed_at IS NULL OR t.completed_at > @asOf) AND t.effective_deadline < @asOf) AS overdue
             FROM tasks t ${w.sql}
             GROUP BY t.unit_id) c
       JOIN units u ON u.id = c.unit_id`,
    )
    .all(w.params) as UnitCountsRow[];
  return rows;
}

export interface OverdueRow {
  code: string;
  title: string;
  unitCode: string;
  unitName: string;
  effectiveDeadline: number;
}

/**
 * Tasks not done by asOf whose effective deadline is before it, most overdue first.
 * The inner query picks the ids from the covering index alone; only the rows
 * shown are read from the table.
 */
export function overdueTasks(db: Db, f: ReportFilter, limit: number): OverdueRow[] {
  const w = where(f);
  const extra = `(t.completed_at IS NULL OR t.completed_at > @asOf) AND t.effective_deadline < @asOf`;
  const sqlWhere = w.sql ? `${w.sql} AND ${extra}` : `WHERE ${extra}`;
  return db.$client
    .prepare(
      `WITH o AS (SELECT t.id FROM tasks t ${sqlWhere} ORDER BY t.effective_deadline ASC, t.id ASC LIMIT @limit)
       SELECT t.code, t.title, u.code AS unitCode, u.name AS unitName, t.effective_deadline AS effectiveDeadline
       FROM o JOIN tasks t ON t.id = o.id JOIN units u ON u.id = t.unit_id
       ORDER BY t.effective_deadline ASC, t.code ASC`,
    )
    .all({ ...w.params, limit }) as OverdueRow[];
}

export interface TaskSheetRow {
  code: string;
  title: string;
  unitCode: string;
  unitName: string;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number;
  effectiveDeadline: number;
  completedAt: number | null;
  lateReason: string | null;
}

/** Every task of the selection, for the spreadsheet export. */
export function taskRows(db: Db, f: ReportFilter): Iterable<TaskSheetRow> {
  const w = where(f);
  return db.$client
    .prepare(
      `SELECT t.code, t.title, u.code AS unitCode, u.name AS unitName, t.assigned_by AS assignedBy, t.source_doc AS sourceDoc,
              t.assigned_at AS assignedAt, t.deadline, t.effective_deadline AS effectiveDeadline,
              t.completed_at AS completedAt, t.late_reason AS lateReason
       FROM tasks t JOIN units u ON u.id = t.unit_id ${w.sql}
       ORDER BY u.code, t.effective_deadline, t.code`,
    )
    .iterate(w.params) as Iterable<TaskSheetRow>;
}

export function findUnitByCode(db: Db, code: string): { id: number; code: string; name: string; path: string } | undefined {
  return db.$client.prepare('SELECT id, code, name, path FROM units WHERE code = ?').get(code) as
    | { id: number; code: string; name: string; path: string }
    | undefined;
}
