// Queries of the web pages that the chat has no use for: a unit's tasks by status (paged),
// the units of a subtree, a task's newer columns and co-ordinating units. Both engines.
import { aliasedTable, and, asc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { TaskState } from '../domain/status.ts';
import type { Db } from './open.ts';
import { pathStartsWith } from './report.repo.ts';
import { doneLateSql, doneOnTimeSql, inProgressSql, noDeadlineSql, overdueSql, statusCaseSql, suspendedSql } from './status.sql.ts';

export interface UnitTaskFilter {
  unitId: number;
  asOf: number;
  /** Tasks assigned in from..to (as the report counts them). */
  from?: number;
  to?: number;
  /** One status as of asOf, or every task. */
  status?: TaskState;
  limit: number;
  offset: number;
}

export interface UnitTaskRow {
  code: string;
  title: string;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number | null;
  effectiveDeadline: number | null;
  completedAt: number | null;
  status: TaskState;
}

/** One unit's own tasks (not its sub-units'), by effective deadline then code, one page of them. */
export async function unitTasksPage(db: Db, f: UnitTaskFilter): Promise<UnitTaskRow[]> {
  const { tasks: t } = db.t;
  const conds: SQL[] = [eq(t.unitId, f.unitId)];
  if (f.from !== undefined) conds.push(gte(t.assignedAt, f.from));
  if (f.to !== undefined) conds.push(lte(t.assignedAt, f.to));
  if (f.status === 'doneOnTime') conds.push(doneOnTimeSql(t, f.asOf));
  else if (f.status === 'doneLate') conds.push(doneLateSql(t, f.asOf));
  else if (f.status === 'overdue') conds.push(overdueSql(t, f.asOf));
  else if (f.status === 'inProgress') conds.push(inProgressSql(t, f.asOf));
  else if (f.status === 'noDeadline') conds.push(noDeadlineSql(t, f.asOf));
  else if (f.status === 'suspended') conds.push(suspendedSql(t, f.asOf));
  return db.orm
    .select({
      code: t.code,
      title: t.title,
      assignedBy: t.assignedBy,
      sourceDoc: t.sourceDoc,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.effectiveDeadline,
      completedAt: t.completedAt,
      status: statusCaseSql(t, f.asOf),
    })
    .from(t)
    .where(and(...conds))
    .orderBy(asc(t.effectiveDeadline), asc(t.code))
    .limit(f.limit)
    .offset(f.offset);
}

export interface SubtreeUnit {
  id: number;
  code: string;
  name: string;
  path: string;
  parentId: number | null;
}

/** Every unit whose path starts with `prefix` (the unit itself included), by path. */
export async function unitsUnder(db: Db, prefix: string): Promise<SubtreeUnit[]> {
  const { units: u } = db.t;
  return db.orm
    .select({ id: u.id, code: u.code, name: u.name, path: u.path, parentId: u.parentId })
    .from(u)
    .where(pathStartsWith(u.path, prefix))
    .orderBy(asc(u.path));
}

/** The units directly under a unit, by code. */
export async function childUnits(db: Db, unitId: number): Promise<SubtreeUnit[]> {
  const { units: u } = db.t;
  return db.orm
    .select({ id: u.id, code: u.code, name: u.name, path: u.path, parentId: u.parentId })
    .from(u)
    .where(eq(u.parentId, unitId))
    .orderBy(asc(u.code));
}

export interface TaskExtras {
  needsConfirmation: boolean;
  reportedAt: number | null;
  reportedByName: string | null;
  reportNote: string | null;
  assigneeName: string | null;
  suspendedAt: number | null;
  suspendReason: string | null;
  ruleId: number | null;
}

/** A task's columns beyond the chat's TaskRow: confirmation, assignee, suspension. */
export async function taskExtras(db: Db, taskId: number): Promise<TaskExtras | undefined> {
  const { tasks: t, officers } = db.t;
  const rep = aliasedTable(officers, 'rep');
  const asg = aliasedTable(officers, 'asg');
  const rows = await db.orm
    .select({
      needsConfirmation: t.needsConfirmation,
      reportedAt: t.reportedAt,
      reportedByName: rep.fullName,
      reportNote: t.reportNote,
      assigneeName: asg.fullName,
      suspendedAt: t.suspendedAt,
      suspendReason: t.suspendReason,
      ruleId: t.ruleId,
    })
    .from(t)
    .leftJoin(rep, eq(rep.id, t.reportedBy))
    .leftJoin(asg, eq(asg.id, t.assigneeId))
    .where(eq(t.id, taskId))
    .limit(1);
  const r = rows[0];
  return r && { ...r, needsConfirmation: Boolean(r.needsConfirmation) };
}

/** A task's co-ordinating units (phối hợp), by code. */
export async function cooperatingUnits(db: Db, taskId: number): Promise<{ id: number; code: string; name: string }[]> {
  const { taskCooperators: c, units: u } = db.t;
  return db.orm
    .select({ id: u.id, code: u.code, name: u.name })
    .from(c)
    .innerJoin(u, eq(u.id, c.unitId))
    .where(eq(c.taskId, taskId))
    .orderBy(asc(u.code));
}
