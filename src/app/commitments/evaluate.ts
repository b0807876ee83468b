// Judging targets as of an instant: reported targets from their history,
// computed targets from the task data (on read, never stored).
import { DateTime } from 'luxon';
import { subtreeTaskCounts, valuesOfTargets, type TargetRow } from '../../db/commitments.repo.ts';
import type { Db } from '../../db/open.ts';
import {
  isComputedFormula,
  targetPeriod,
  targetStatus,
  type ComputedFormula,
  type Measurement,
  type TargetPeriod,
  type TargetStatus,
} from '../../domain/commitments.ts';

export interface EvaluatedTarget {
  row: TargetRow;
  period: TargetPeriod;
  status: TargetStatus;
  /** The value judged and when it was measured (for a computed target: the judging instant). */
  last: Measurement | null;
  /** Trend value at the due date, when the trend was drawn. */
  projected: number | null;
}

/**
 * A formula's value for a unit's subtree as of an instant, over the tasks
 * assigned in the commitment's year. on_time_rate is in % (null when no task
 * is done or overdue yet); overdue_count is a count.
 */
export async function computeFormula(
  db: Db,
  formula: ComputedFormula,
  q: { unitPath: string; year: number; asOf: number; zone: string },
): Promise<number | null> {
  const from = DateTime.fromObject({ year: q.year, month: 1, day: 1 }, { zone: q.zone }).toMillis();
  const to = DateTime.fromObject({ year: q.year, month: 12, day: 31 }, { zone: q.zone }).endOf('day').toMillis();
  if (q.asOf < from) return null;
  const c = await subtreeTaskCounts(db, { pathPrefix: q.unitPath, from, to, asOf: q.asOf });
  if (formula === 'overdue_count') return c.overdue;
  const denom = c.doneOnTime + c.doneLate + c.overdue;
  return denom === 0 ? null : (c.doneOnTime / denom) * 100;
}

/** Status of each target as of `asOf` (a computed target is measured at min(asOf, its due date)). */
export async function evaluateTargets(db: Db, rows: readonly TargetRow[], asOf: number, zone: string): Promise<EvaluatedTarget[]> {
  const reported = rows.filter((r) => !isComputedFormula(r.computed)).map((r) => r.id);
  const values = await valuesOfTargets(db, reported);
  const out: EvaluatedTarget[] = [];
  for (const row of rows) {
    const period = targetPeriod(row.year, row.signedAt, row.dueDate, zone);
    let history: Measurement[];
    if (isComputedFormula(row.computed)) {
      const at = Math.min(asOf, period.due);
      const v = await computeFormula(db, row.computed, { unitPath: row.unitPath, year: row.year, asOf: at, zone });
      history = v === null ? [] : [{ value: v, at }];
    } else {
      history = (values.get(row.id) ?? []).map((v) => ({ value: v.value, at: v.at }));
    }
    const verdict = targetStatus({ comparator: row.comparator, target: row.target, period, history }, asOf);
    out.push({ row, period, ...verdict });
  }
  return out;
}
