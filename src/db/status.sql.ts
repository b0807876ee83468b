// The status rule of domain/status.ts, written once as SQL: every query that decides a
// task's status uses these fragments (test/db/status-sql.test.ts proves them equal to
// taskState, awaitingConfirmation and dueSoon on both engines).
//
// Columns are interpolated through drizzle, so a query must name the tasks table as
// drizzle renders it (`${tasks}`, or an `alias()` passed in as `t`), not a free alias.
// Every fragment is true or false, never NULL (a NULL deadline is tested explicitly), so
// NOT of a fragment is safe.
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { TaskState } from '../domain/status.ts';

/** The columns the rule reads: the tasks table of `db.t`, or an alias of it. */
export interface StatusColumns {
  completedAt: SQLWrapper;
  effectiveDeadline: SQLWrapper;
  suspendedAt: SQLWrapper;
}

export interface ConfirmationColumns {
  completedAt: SQLWrapper;
  reportedAt: SQLWrapper;
}

/** The as-of instant: ms UTC (bound as a parameter) or an SQL expression. */
export type AsOf = number | SQL;

/** Completed at or before asOf. */
export function doneAtSql(t: { completedAt: SQLWrapper }, asOf: AsOf): SQL {
  return sql`(${t.completedAt} IS NOT NULL AND ${t.completedAt} <= ${asOf})`;
}

/** Not completed as of asOf (never completed, or completed after it). */
export function openAtSql(t: { completedAt: SQLWrapper }, asOf: AsOf): SQL {
  return sql`(${t.completedAt} IS NULL OR ${t.completedAt} > ${asOf})`;
}

/** Open as of asOf and suspended by then. */
export function suspendedSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${openAtSql(t, asOf)} AND ${t.suspendedAt} IS NOT NULL AND ${t.suspendedAt} <= ${asOf})`;
}

/** No deadline (done or not), and not suspended. */
export function noDeadlineSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${t.effectiveDeadline} IS NULL AND NOT ${suspendedSql(t, asOf)})`;
}

/** In one of the four buckets: a deadline, and not suspended. */
export function countedSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${t.effectiveDeadline} IS NOT NULL AND NOT ${suspendedSql(t, asOf)})`;
}

export function doneOnTimeSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${doneAtSql(t, asOf)} AND ${t.effectiveDeadline} IS NOT NULL AND ${t.completedAt} <= ${t.effectiveDeadline})`;
}

export function doneLateSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${doneAtSql(t, asOf)} AND ${t.effectiveDeadline} IS NOT NULL AND ${t.completedAt} > ${t.effectiveDeadline})`;
}

export function overdueSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${openAtSql(t, asOf)} AND NOT ${suspendedSql(t, asOf)} AND ${t.effectiveDeadline} IS NOT NULL AND ${t.effectiveDeadline} < ${asOf})`;
}

export function inProgressSql(t: StatusColumns, asOf: AsOf): SQL {
  return sql`(${openAtSql(t, asOf)} AND NOT ${suspendedSql(t, asOf)} AND ${t.effectiveDeadline} IS NOT NULL AND ${t.effectiveDeadline} >= ${asOf})`;
}

/** In progress with the effective deadline at or before `until` (asOf + nearDeadlineDays). */
export function dueSoonSql(t: StatusColumns, asOf: AsOf, until: AsOf): SQL {
  return sql`(${inProgressSql(t, asOf)} AND ${t.effectiveDeadline} <= ${until})`;
}

/** Reported as completed by asOf and not confirmed then. */
export function awaitingConfirmationSql(t: ConfirmationColumns, asOf: AsOf): SQL {
  return sql`(${openAtSql(t, asOf)} AND ${t.reportedAt} IS NOT NULL AND ${t.reportedAt} <= ${asOf})`;
}

/** The state name, as taskState gives it. */
export function statusCaseSql(t: StatusColumns, asOf: AsOf): SQL<TaskState> {
  return sql<TaskState>`(CASE
    WHEN ${suspendedSql(t, asOf)} THEN 'suspended'
    WHEN ${t.effectiveDeadline} IS NULL THEN 'noDeadline'
    WHEN ${doneOnTimeSql(t, asOf)} THEN 'doneOnTime'
    WHEN ${doneLateSql(t, asOf)} THEN 'doneLate'
    WHEN ${overdueSql(t, asOf)} THEN 'overdue'
    ELSE 'inProgress' END)`;
}

/** `count(*) FILTER (WHERE cond)` (both engines), a number on both. */
export function countWhere(cond: SQL): SQL<number> {
  return sql<number>`count(*) FILTER (WHERE ${cond})`.mapWith(Number);
}
