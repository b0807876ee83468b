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
