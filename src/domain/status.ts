// The status of a task as of an instant: the four buckets every office reports.

export type TaskStatus = 'doneOnTime' | 'doneLate' | 'overdue' | 'inProgress';

export interface StatusInput {
  /** Latest approved extension, else the original deadline (ms UTC). */
  effectiveDeadline: number;
  completedAt: number | null;
}

/**
 * Completed at or before asOf → on time if completion ≤ the effective deadline,
 * else late. Otherwise overdue if the deadline is before asOf, else in progress.
 * A completion after asOf does not count yet: as of then, the task was open.
 */
export function taskStatus(t: StatusInput, asOf: number): TaskStatus {
  if (t.completedAt !== null && t.completedAt <= asOf) {
    return t.completedAt <= t.effectiveDeadline ? 'doneOnTime' : 'doneLate';
  }
  return t.effectiveDeadline < asOf ? 'overdue' : 'inProgress';
}

export interface StatusCounts {
  total: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  inProgress: number;
}

export function emptyCounts(): StatusCounts {
  return { total: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0 };
}

/** onTimeRate = on time / (on time + late + overdue); null when nothing is due or done. */
export function onTimeRate(c: StatusCounts): number | null {
  const denom = c.doneOnTime + c.doneLate + c.overdue;
  return denom === 0 ? null : c.doneOnTime / denom;
}
