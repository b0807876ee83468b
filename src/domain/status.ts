// The status of a task as of an instant: the four buckets every office reports, and the
// tasks left out of them (no deadline, suspended).

export type TaskStatus = 'doneOnTime' | 'doneLate' | 'overdue' | 'inProgress';

/** A task's place in a report: one of the four buckets, or a line of its own. */
export type TaskState = TaskStatus | 'noDeadline' | 'suspended';

export interface StatusInput {
  /** Latest approved extension, else the original deadline (ms UTC); null: no deadline. */
  effectiveDeadline: number | null;
  completedAt: number | null;
  /** Suspended (tạm dừng) since then; absent or null: not suspended. */
  suspendedAt?: number | null;
}

export interface ConfirmationInput {
  completedAt: number | null;
  /** A completion report awaiting confirmation (ms UTC); the completion instant once confirmed. */
  reportedAt?: number | null;
}

/** Completed at or before asOf. */
function doneAt(t: StatusInput, asOf: number): boolean {
  return t.completedAt !== null && t.completedAt <= asOf;
}

/**
 * Completed at or before asOf → a task with a deadline is on time if completion ≤ the
 * effective deadline, else late. Otherwise a task suspended by asOf is 'suspended'.
 * A task without a deadline is 'noDeadline' whether done or not. An open task with a
 * deadline is overdue if the deadline is before asOf, else in progress. A completion
 * after asOf does not count yet: as of then, the task was open.
 */
export function taskState(t: StatusInput, asOf: number): TaskState {
  const done = doneAt(t, asOf);
  if (!done && t.suspendedAt != null && t.suspendedAt <= asOf) return 'suspended';
  if (t.effectiveDeadline === null) return 'noDeadline';
  if (done) return (t.completedAt as number) <= t.effectiveDeadline ? 'doneOnTime' : 'doneLate';
  return t.effectiveDeadline < asOf ? 'overdue' : 'inProgress';
}

/** Whether the state is one of the four buckets (counted, and in the on-time rate). */
export function isCounted(s: TaskState): s is TaskStatus {
  return s !== 'noDeadline' && s !== 'suspended';
}

/** The four-bucket status of a task with a deadline that is not suspended; null for the others. */
export function taskStatus(t: StatusInput, asOf: number): TaskStatus | null {
  const s = taskState(t, asOf);
  return s === 'noDeadline' || s === 'suspended' ? null : s;
}

/** Reported as completed by asOf and not yet confirmed then: not done, awaiting confirmation. */
export function awaitingConfirmation(t: ConfirmationInput, asOf: number): boolean {
  return t.reportedAt != null && t.reportedAt <= asOf && (t.completedAt === null || t.completedAt > asOf);
}

/** In progress with an effective deadline within `days` days after asOf. */
export function dueSoon(t: StatusInput, asOf: number, days: number): boolean {
  return taskState(t, asOf) === 'inProgress' && (t.effectiveDeadline as number) <= asOf + days * 86_400_000;
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
