// Task queries for the chat: open tasks of a unit, one task, completion, events.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

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

export function taskByCode(db: Db, code: string): TaskRow | undefined {
  return stmt(
    db,
    `SELECT t.id, t.code, t.title, t.unit_id AS unitId, u.code AS unitCode, u.name AS unitName, u.path AS unitPath,
       t.assigned_by AS assignedBy, t.source_doc AS sourceDoc, t.assigned_at AS assignedAt, t.deadline,
       t.effective_deadline AS effectiveDeadline, t.completed_at AS completedAt, t.completed_by AS completedBy,
       o.full_name AS completedByName, t.late_reason AS lateReason, t.note
     FROM tasks t JOIN units u ON u.id = t.unit_id LEFT JOIN officers o ON o.id = t.completed_by
     WHERE t.code = ?`,
  ).get(code) as TaskRow | undefined;
}

export function taskById(db: Db, id: number): { id: number; code: string; completedAt: number | null; unitId: number } | undefined {
  return stmt(db, 'SELECT id, code, completed_at AS completedAt, unit_id AS unitId FROM tasks WHERE id = ?').get(id) as
    | { id: number; code: string; completedAt: number | null; unitId: number }
    | undefined;
}

/** Which of these codes exist (for a "xong" reply to a reminder). */
export function existingCodes(db: Db, codes: string[]): string[] {
  const out: string[] = [];
  for (const c of codes.slice(0, 50)) if (stmt(db, 'SELECT 1 FROM tasks WHERE code = ?').get(c)) out.push(c);
  return out;
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
export function openTasks(db: Db, f: OpenTaskFilter): OpenTaskRow[] {
  const due = f.dueBefore ?? Number.MAX_SAFE_INTEGER;
  const after = f.dueAfter ?? Number.MIN_SAFE_INTEGER;
  if (f.unitId !== undefined) {
    return stmt(
      db,
      `SELECT t.code, t.title, u.code AS unitCode, t.effective_deadline AS effectiveDeadline, t.rule_id AS ruleId
       FROM tasks t JOIN units u ON u.id = t.unit_id
       WHERE t.unit_id = ? AND t.completed_at IS NULL AND t.effective_deadline BETWEEN ? AND ?
       ORDER BY t.effective_deadline, t.code LIMIT ?`,
    ).all(f.unitId, after, due, f.limit) as OpenTaskRow[];
  }
  // The partial index on open tasks' deadlines lets this stop after `limit` rows even for a whole province.
  return stmt(
    db,
    `SELECT t.code, t.title, u.code AS unitCode, t.effective_deadline AS effectiveDeadline, t.rule_id AS ruleId
     FROM tasks t INDEXED BY tasks_open_deadline_idx JOIN units u ON u.id = t.unit_id
     WHERE t.completed_at IS NULL AND t.effective_deadline BETWEEN ? AND ? AND substr(u.path, 1, length(?)) = ?
     ORDER BY t.effective_deadline, t.code LIMIT ?`,
  ).all(after, due, f.pathPrefix ?? '/', f.pathPrefix ?? '/', f.limit) as OpenTaskRow[];
}

export function markCompleted(db: Db, taskId: number, officerId: number, now: number, lateReason: string | null): boolean {
  return (
    stmt(
      db,
      'UPDATE tasks SET completed_at = ?, completed_by = ?, late_reason = ?, updated_at = ? WHERE id = ? AND completed_at IS NULL',
    ).run(now, officerId, lateReason, now, taskId).changes === 1
  );
}

export function setLateReason(db: Db, taskId: number, reason: string, now: number): void {
  stmt(db, 'UPDATE tasks SET late_reason = ?, updated_at = ? WHERE id = ?').run(reason, now, taskId);
}

export function setEffectiveDeadline(db: Db, taskId: number, deadline: number, now: number): void {
  stmt(db, 'UPDATE tasks SET effective_deadline = ?, updated_at = ? WHERE id = ?').run(deadline, now, taskId);
}

export function addEvent(db: Db, e: { taskId: number; at: number; officerId: number | null; kind: string; detail?: string | null }): void {
  stmt(db, 'INSERT INTO task_events (task_id, at, officer_id, kind, detail) VALUES (?, ?, ?, ?, ?)').run(
    e.taskId,
    e.at,
    e.officerId,
    e.kind,
    e.detail ?? null,
  );
}

export interface EventRow {
  at: number;
  kind: string;
  detail: string | null;
  officerName: string | null;
}

export function eventsOf(db: Db, taskId: number, limit = 20): EventRow[] {
  return stmt(
    db,
    `SELECT e.at, e.kind, e.detail, o.full_name AS officerName FROM task_events e LEFT JOIN officers o ON o.id = e.officer_id
     WHERE e.task_id = ? ORDER BY e.at DESC, e.id DESC LIMIT ?`,
  ).all(taskId, limit) as EventRow[];
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

export function insertTask(db: Db, t: NewTask): number {
  const r = stmt(
    db,
    `INSERT INTO tasks (code, title, unit_id, assigned_by, assigned_by_key, source_doc, assigned_at, deadline, effective_deadline, created_at, updated_at)
     VALUES (@code, @title, @unitId, @assignedBy, @assignedByKey, @sourceDoc, @assignedAt, @deadline, @deadline, @assignedAt, @assignedAt)`,
  ).run(t);
  return Number(r.lastInsertRowid);
}

/** The highest sequence number among codes "PREFIX0001", for generating the next code. */
export function maxCodeSeq(db: Db, prefix: string): number {
  const row = stmt(db, "SELECT max(CAST(substr(code, length(?) + 1) AS INTEGER)) AS n FROM tasks WHERE code LIKE ? || '%'").get(prefix, prefix) as {
    n: number | null;
  };
  return row.n ?? 0;
}
