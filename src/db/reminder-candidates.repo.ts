// The queries the tick needs: open tasks that may have a reminder in a window
// (picked by effective_deadline through the open-task index, never a full scan),
// and who is responsible for a unit.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

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

const SELECT = `SELECT t.id, t.code, t.title, t.unit_id AS unitId, u.code AS unitCode, u.name AS unitName,
  t.effective_deadline AS effectiveDeadline, t.created_at AS createdAt
  FROM tasks t JOIN units u ON u.id = t.unit_id`;

/** Open tasks whose effective deadline lies in [lo, hi]. */
export function openTasksByDeadline(db: Db, lo: number, hi: number): CandidateTask[] {
  return stmt(
    db,
    `${SELECT} WHERE t.completed_at IS NULL AND t.effective_deadline >= ? AND t.effective_deadline <= ? ORDER BY t.id`,
  ).all(lo, hi) as CandidateTask[];
}

/**
 * Open tasks overdue before `before` whose deadline's local day number (days
 * since 1970 with `offsetMs` added) falls on one of the given weekdays (day
 * number mod 7): the only ones a weekly overdue notice can fall on.
 */
export function overdueTasksOnWeekdays(db: Db, before: number, offsetMs: number, residues: number[]): CandidateTask[] {
  if (residues.length === 0) return [];
  if (residues.length >= 7) return openTasksByDeadline(db, Number.MIN_SAFE_INTEGER, before - 1);
  const list = residues.map((r) => Number(r) | 0).join(',');
  return stmt(
    db,
    `${SELECT} WHERE t.completed_at IS NULL AND t.effective_deadline < ?
       AND ((t.effective_deadline + ?) / 86400000) % 7 IN (${list}) ORDER BY t.id`,
  ).all(before, offsetMs) as CandidateTask[];
}

export interface ResponsibleOfficer {
  unitId: number;
  fullName: string;
  role: string;
  title: string | null;
}

/** The unit's head(s) first, then its other active officers. */
export function responsibleOfUnit(db: Db, unitId: number, limit = 3): ResponsibleOfficer[] {
  return stmt(
    db,
    `SELECT unit_id AS unitId, full_name AS fullName, role, title FROM officers
     WHERE unit_id = ? AND active = 1 AND role IN ('head', 'officer')
     ORDER BY CASE role WHEN 'head' THEN 0 ELSE 1 END, code LIMIT ?`,
  ).all(unitId, limit) as ResponsibleOfficer[];
}

/** Counts over the tasks whose effective deadline fell in [from, to), as of `to`. */
export function countsDueBetween(db: Db, from: number, to: number, unitId?: number) {
  return stmt(
    db,
    `SELECT count(*) AS total,
       count(*) FILTER (WHERE completed_at IS NOT NULL AND completed_at <= @to AND completed_at <= effective_deadline) AS doneOnTime,
       count(*) FILTER (WHERE completed_at IS NOT NULL AND completed_at <= @to AND completed_at > effective_deadline) AS doneLate,
       count(*) FILTER (WHERE (completed_at IS NULL OR completed_at > @to) AND effective_deadline < @to) AS overdue,
       count(*) FILTER (WHERE (completed_at IS NULL OR completed_at > @to) AND effective_deadline >= @to) AS inProgress
     FROM tasks WHERE effective_deadline >= @from AND effective_deadline < @to AND (@unitId IS NULL OR unit_id = @unitId)`,
  ).get({ from, to, unitId: unitId ?? null }) as { total: number; doneOnTime: number; doneLate: number; overdue: number; inProgress: number };
}

export interface PendingExtension {
  id: number;
  taskCode: string;
  unitName: string;
  newDeadline: number;
}

export function pendingExtensions(db: Db, limit: number): PendingExtension[] {
  return stmt(
    db,
    `SELECT e.id, t.code AS taskCode, u.name AS unitName, e.new_deadline AS newDeadline FROM extensions e
     JOIN tasks t ON t.id = e.task_id JOIN units u ON u.id = t.unit_id WHERE e.status = 'pending' ORDER BY e.requested_at LIMIT ?`,
  ).all(limit) as PendingExtension[];
}

/** Bound unit groups (status ok, not leadership) with their unit. */
export function unitGroups(db: Db): { channel: string; chatId: string; unitId: number; unitCode: string; unitName: string }[] {
  return stmt(
    db,
    `SELECT b.channel, b.chat_id AS chatId, u.id AS unitId, u.code AS unitCode, u.name AS unitName FROM group_bindings b
     JOIN units u ON u.id = b.unit_id WHERE b.status = 'ok' AND b.leadership = 0 ORDER BY b.id`,
  ).all() as { channel: string; chatId: string; unitId: number; unitCode: string; unitName: string }[];
}
