// The weekly summary's own query: a unit's open tasks due before a horizon, with
// their status as of `asOf` decided by the shared status fragments.
import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { isCounted, type TaskStatus } from '../domain/status.ts';
import type { Db } from './open.ts';
import { openAtSql, statusCaseSql } from './status.sql.ts';

export interface UnitOpenTask {
  code: string;
  deadline: number;
  /** Overdue or in progress: a task due before the horizon, not suspended. */
  status: TaskStatus;
}

/**
 * The unit's tasks open as of `asOf` whose effective deadline is before `before`, earliest first
 * (at most `limit`). Tasks without a deadline never match; suspended ones are left out.
 */
export async function openTasksOfUnitBefore(db: Db, unitId: number, asOf: number, before: number, limit = 50): Promise<UnitOpenTask[]> {
  const { tasks } = db.t;
  const rows = await db.orm
    .select({ code: tasks.code, deadline: tasks.effectiveDeadline, status: statusCaseSql(tasks, asOf) })
    .from(tasks)
    .where(and(eq(tasks.unitId, unitId), openAtSql(tasks, asOf), isNull(tasks.suspendedAt), lt(tasks.effectiveDeadline, before)))
    .orderBy(asc(tasks.effectiveDeadline), asc(tasks.id))
    .limit(limit);
  const out: UnitOpenTask[] = [];
  for (const { deadline, status, code } of rows) if (deadline !== null && isCounted(status)) out.push({ code, deadline, status });
  return out;
}
