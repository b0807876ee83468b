// A unit's commitment for a year, with its targets and their latest measured value.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface CommitmentRow {
  id: number;
  year: number;
  signedAt: number | null;
  docRef: string;
}

export interface TargetWithValue {
  code: string;
  indicator: string;
  comparator: '>=' | '<=' | '=';
  target: number;
  measure: string;
  value: number | null;
  measuredAt: number | null;
}

export function commitmentOf(db: Db, unitId: number, year: number): CommitmentRow | undefined {
  return stmt(db, 'SELECT id, year, signed_at AS signedAt, doc_ref AS docRef FROM commitments WHERE unit_id = ? AND year = ?').get(unitId, year) as
    | CommitmentRow
    | undefined;
}

export function targetsWithLastValue(db: Db, commitmentId: number): TargetWithValue[] {
  return stmt(
    db,
    `SELECT t.code, t.indicator, t.comparator, t.target, t.measure,
       (SELECT v.value FROM target_values v WHERE v.target_id = t.id ORDER BY v.measured_at DESC, v.id DESC LIMIT 1) AS value,
       (SELECT v.measured_at FROM target_values v WHERE v.target_id = t.id ORDER BY v.measured_at DESC, v.id DESC LIMIT 1) AS measuredAt
     FROM commitment_targets t WHERE t.commitment_id = ? ORDER BY t.code`,
  ).all(commitmentId) as TargetWithValue[];
}
