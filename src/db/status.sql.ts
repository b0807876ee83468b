// The four-bucket status of domain/status.ts, written once as SQL: every query that
// decides a task's status uses these fragments (test/db/status-sql.test.ts proves them
// equal to taskStatus on both engines).
//
// Columns are interpolated through drizzle, so a query must name the tasks table as
// drizzle renders it (`${tasks}`, or an `alias()` passed in as `t`), not a free alias.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { TaskStatus } from '../domain/status.ts';

/** The two columns the rule reads: the tasks table of `db.t`, or an alias of it. */
export interface StatusColumns {
  completedAt: SQLWrapper;
  effectiveDeadline: SQLWrapper;
}

/** The as-of instant: ms UTC (bound as a parameter) or an SQL expression. */
export type AsOf = number | SQL;

/** Completed at or before asOf. */
export function doneAtSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${t.completedAt} IS NOT NULL AND ${t.completedAt} <= ${asOf})`;
}

/** Not completed as of asOf (never completed, or completed after it). */
export function openAtSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${t.completedAt} IS NULL OR ${t.completedAt} > ${asOf})`;
}

export function doneOnTimeSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${doneAtSql(t, asOf)} AND ${t.completedAt} <= ${t.effectiveDeadline})`;
}

export function doneLateSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${doneAtSql(t, asOf)} AND ${t.completedAt} > ${t.effectiveDeadline})`;
}

export function overdueSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${openAtSql(t, asOf)} AND ${t.effectiveDeadline} < ${asOf})`;
}

export function inProgressSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${openAtSql(t, asOf)} AND ${t.effectiveDeadline} >= ${asOf})`;
}

/** The status name, as taskStatus gives it. */
export function statusCaseSql(t: StatusColumns, asOf: AsOf): SQL<TaskStatus> {
  return sql<TaskStatus>`(CASE
    WHEN ${doneOnTimeSql(t, asOf)} THEN 'doneOnTime'
    WHEN ${doneLateSql(t, asOf)} THEN 'doneLate'
    WHEN ${overdueSql(t, asOf)} THEN 'overdue'
    ELSE 'inProgress' END)`;
}

/** `count(*) FILTER (WHERE cond)` (both engines), a number on both. */
export function countWhere(cond: SQL): SQL<number> {
  return sql<number>`count(*) FILTER (WHERE ${cond})`.mapWith(Number);
}
