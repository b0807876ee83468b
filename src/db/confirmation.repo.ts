// Completion reports that wait for the assigning level's confirmation: recording one,
// confirming it (the report's instant becomes the completion instant), sending it back,
// and listing the reports still waiting.
import { and, asc, eq, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import { pathStartsWith } from './report.repo.ts';

/** Records a report on a task that needs confirmation; false when it was reported or completed meanwhile. */
export async function recordReport(db: Db, r: { taskId: number; officerId: number; now: number; note: string | null }): Promise<boolean> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .update(t)
    .set({ reportedAt: r.now, reportedBy: r.officerId, reportNote: r.note, updatedAt: r.now })
    .where(and(eq(t.id, r.taskId), isNull(t.completedAt), isNull(t.reportedAt)))
    .returning({ id: t.id });
  return rows.length === 1;
}

/**
 * Confirms the report: completed at the report's instant, by the reporter (a late confirmation
 * never makes an on-time report late). False when there was no report waiting.
 */
export async function confirmReport(db: Db, taskId: number, now: number): Promise<boolean> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .update(t)
    .set({ completedAt: sql`${t.reportedAt}`, completedBy: sql`${t.reportedBy}`, updatedAt: now })
    .where(and(eq(t.id, taskId), isNull(t.completedAt), isNotNull(t.reportedAt)))
    .returning({ id: t.id });
  return rows.length === 1;
}

/** Sends the report back: the task is in progress again (the report stays in task_events). False when none was waiting. */
export async function clearReport(db: Db, taskId: number, now: number): Promise<boolean> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .update(t)
    .set({ reportedAt: null, reportedBy: null, reportNote: null, updatedAt: now })
    .where(and(eq(t.id, taskId), isNull(t.completedAt), isNotNull(t.reportedAt)))
    .returning({ id: t.id });
  return rows.length === 1;
}

export interface AwaitingReport {
  id: number;
  code: string;
  title: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  reportedAt: number;
  reporterName: string | null;
}

/** Reports waiting for confirmation (oldest first), under a unit path, reported at or before `reportedBefore`. */
export async function awaitingReports(db: Db, f: { pathPrefix?: string; reportedBefore?: number; limit: number }): Promise<AwaitingReport[]> {
  const { tasks: t, units: u, officers: o } = db.t;
  const prefix = f.pathPrefix ?? '/';
  const rows = await db.orm
    .select({
      id: t.id,
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
      reportedAt: t.reportedAt,
      reporterName: o.fullName,
    })
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .leftJoin(o, eq(o.id, t.reportedBy))
    .where(
      and(
        isNull(t.completedAt),
        isNotNull(t.reportedAt),
        f.reportedBefore === undefined ? undefined : lte(t.reportedAt, f.reportedBefore),
        pathStartsWith(u.path, prefix),
      ),
    )
    .orderBy(asc(t.reportedAt), asc(t.code))
    .limit(f.limit);
  return rows.map((r) => ({ ...r, reportedAt: r.reportedAt as number }));
}

/** How many reports wait under a unit path. */
export async function countAwaitingReports(db: Db, pathPrefix = '/'): Promise<number> {
  const { tasks: t, units: u } = db.t;
  const rows = await db.orm
    .select({ n: sql<number>`count(*)` })
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .where(and(isNull(t.completedAt), isNotNull(t.reportedAt), pathStartsWith(u.path, pathPrefix)));
  return Number(rows[0]?.n ?? 0);
}
