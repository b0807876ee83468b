// Commitments (cam kết), their targets, measured values, and the two computed
// formulas over the task data. Queries only; the rules are in domain/commitments.ts.
import type { Comparator } from '../domain/commitments.ts';
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface CommitmentRow {
  id: number;
  year: number;
  signedAt: number | null;
  docRef: string;
}

/** A target with its commitment and unit: what every commitment use case starts from. */
export interface TargetRow {
  id: number;
  commitmentId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  year: number;
  signedAt: number | null;
  docRef: string;
  signers: string | null;
  code: string;
  indicator: string;
  comparator: Comparator;
  target: number;
  measure: string;
  /** Local date yyyy-mm-dd, or null for 31/12. */
  dueDate: string | null;
  computed: string | null;
}

const TARGET_SELECT = `SELECT t.id, c.id AS commitmentId, u.id AS unitId, u.code AS unitCode, u.name AS unitName, u.path AS unitPath,
    c.year, c.signed_at AS signedAt, c.doc_ref AS docRef, c.signers, t.code, t.indicator, t.comparator, t.target, t.measure,
    t.due_date AS dueDate, t.computed
  FROM commitment_targets t JOIN commitments c ON c.id = t.commitment_id JOIN units u ON u.id = c.unit_id`;

/** Every target of every commitment of the year, unit by unit. */
export function targetsOfYear(db: Db, year: number): TargetRow[] {
  return stmt(db, `${TARGET_SELECT} WHERE c.year = ? ORDER BY u.code, t.code`).all(year) as TargetRow[];
}

/** The targets of one unit's commitment for the year, by code. */
export function targetsOfUnitYear(db: Db, unitId: number, year: number): TargetRow[] {
  return stmt(db, `${TARGET_SELECT} WHERE c.unit_id = ? AND c.year = ? ORDER BY t.code`).all(unitId, year) as TargetRow[];
}

/** Targets with this code in any unit's commitment of the year (a code is unique only within one commitment). */
export function targetsByCode(db: Db, year: number, code: string): TargetRow[] {
  return stmt(db, `${TARGET_SELECT} WHERE c.year = ? AND t.code = ? ORDER BY u.code`).all(year, code) as TargetRow[];
}

export interface CommitmentHeader extends CommitmentRow {
  signers: string | null;
}

export function commitmentHeader(db: Db, unitId: number, year: number): CommitmentHeader | undefined {
  return stmt(db, 'SELECT id, year, signed_at AS signedAt, doc_ref AS docRef, signers FROM commitments WHERE unit_id = ? AND year = ?').get(
    unitId,
    year,
  ) as CommitmentHeader | undefined;
}

export interface ValueRow {
  targetId: number;
  value: number;
  at: number;
}

/** The measured values of the targets, oldest first. */
export function valuesOfTargets(db: Db, targetIds: readonly number[]): Map<number, ValueRow[]> {
  const out = new Map<number, ValueRow[]>();
  if (targetIds.length === 0) return out;
  // json_each keeps one cached statement whatever the number of ids.
  const rows = stmt(
    db,
    `SELECT target_id AS targetId, value, measured_at AS at FROM target_values
     WHERE target_id IN (SELECT value FROM json_each(?)) ORDER BY target_id, measured_at, id`,
  ).all(JSON.stringify(targetIds)) as ValueRow[];
  for (const r of rows) {
    const list = out.get(r.targetId);
    if (list) list.push(r);
    else out.set(r.targetId, [r]);
  }
  return out;
}

export function insertTargetValue(
  db: Db,
  v: { targetId: number; value: number; measuredAt: number; officerId: number | null; source: string | null },
): number {
  const r = stmt(db, 'INSERT INTO target_values (target_id, value, measured_at, officer_id, source) VALUES (?, ?, ?, ?, ?)').run(
    v.targetId,
    v.value,
    v.measuredAt,
    v.officerId,
    v.source,
  );
  return Number(r.lastInsertRowid);
}

export function commitmentYearExists(db: Db, unitId: number, year: number): boolean {
  return stmt(db, 'SELECT 1 FROM commitments WHERE unit_id = ? AND year = ?').get(unitId, year) !== undefined;
}

export interface SubtreeTaskCounts {
  doneOnTime: number;
  doneLate: number;
  overdue: number;
}

/**
 * The status buckets of the tasks of a unit and its whole subtree (units.path
 * prefix) assigned in [from, to] and by asOf, as of asOf: taskStatus in SQL.
 */
export function subtreeTaskCounts(db: Db, q: { pathPrefix: string; from: number; to: number; asOf: number }): SubtreeTaskCounts {
  const r = stmt(
    db,
    `SELECT
       coalesce(sum(t.completed_at IS NOT NULL AND t.completed_at <= @asOf AND t.completed_at <= t.effective_deadline), 0) AS doneOnTime,
       coalesce(sum(t.completed_at IS NOT NULL AND t.completed_at <= @asOf AND t.completed_at > t.effective_deadline), 0) AS doneLate,
       coalesce(sum((t.completed_at IS NULL OR t.completed_at > @asOf) AND t.effective_deadline < @asOf), 0) AS overdue
     FROM units u JOIN tasks t ON t.unit_id = u.id
     WHERE substr(u.path, 1, length(@prefix)) = @prefix
       AND t.assigned_at >= @from AND t.assigned_at <= min(@to, @asOf)`,
  ).get({ prefix: q.pathPrefix, from: q.from, to: q.to, asOf: q.asOf }) as SubtreeTaskCounts;
  return r;
}

export interface UnitWithTargets {
  unitId: number;
  code: string;
  name: string;
  targetCodes: string[];
}

/** Units whose commitment of the year has targets entered by hand (not computed). */
export function unitsWithReportedTargets(db: Db, year: number): UnitWithTargets[] {
  const rows = stmt(
    db,
    `SELECT u.id AS unitId, u.code, u.name, group_concat(t.code, char(31)) AS codes
     FROM commitments c JOIN units u ON u.id = c.unit_id JOIN commitment_targets t ON t.commitment_id = c.id
     WHERE c.year = ? AND t.computed IS NULL AND u.active = 1
     GROUP BY u.id ORDER BY u.code`,
  ).all(year) as { unitId: number; code: string; name: string; codes: string }[];
  return rows.map((r) => ({ unitId: r.unitId, code: r.code, name: r.name, targetCodes: r.codes.split('\u001f').sort() }));
}
