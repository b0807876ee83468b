// The reminder plan of one task: before the deadline, on the day, overdue
// notices, and one escalation to the leadership. Pure: the clock is a parameter.
import { addWorkingDayNumbers, isWorkingDayNumber, workingDayOnOrBefore, type WorkCalendar } from './calendar.ts';
import { parseHhmm, type LocalClock } from './local-clock.ts';

export interface ReminderPlan {
  /** Days before the deadline's day (0 = on the day). */
  beforeDays: number[];
  /** Local time of day-based reminders, HH:mm. */
  at: string;
  /** An overdue notice on each of the first N working days after the deadline. */
  overdueDailyWorkingDays: number;
  /** Then one a week (on the deadline's weekday, or the working day before it). */
  overdueWeeklyAfter: boolean;
  /** Escalate to the leadership on the N-th working day overdue (0 = never). */
  escalateAfterWorkingDays: number;
}

export interface QuietHours {
  start: string;
  end: string;
}

export interface ReminderRules {
  plan: ReminderPlan;
  quietHours: QuietHours;
  calendar: WorkCalendar;
  clock: LocalClock;
}

export type ReminderKind = 'before' | 'overdue' | 'weekly' | 'escalate';

export interface PlannedReminder {
  kind: ReminderKind;
  /** before: days before the deadline; overdue: the n-th daily notice; weekly: weeks after the deadline; escalate: working days overdue. */
  n: number;
  /** The planned instant: with the task and kind, it is the reminder's identity. */
  plannedAt: number;
  /** When it may go out: plannedAt, or the end of the quiet hours holding it. */
  dueAt: number;
}

export interface DueReminder extends PlannedReminder {
  /** Sent late, after downtime ("nhắc bù"). */
  catchUp: boolean;
}

export interface ReminderTask {
  effectiveDeadline: number;
  completedAt: number | null;
  /** Reminders planned before the task existed are never sent. */
  createdAt: number;
}

/** The plan of a unit: the default with the unit's override (by unit code) laid over it. */
export function planForUnit(base: ReminderPlan, overrides: Record<string, Partial<ReminderPlan>>, unitCode: string): ReminderPlan {
  const o = overrides[unitCode] ?? overrides[unitCode.toUpperCase()];
  return o ? { ...base, ...o } : base;
}

/** The instant a message planned at `ms` may be sent: the end of the quiet hours if it falls inside them. */
export function releaseAfterQuiet(ms: number, quiet: QuietHours, clock: LocalClock): number {
  const start = parseHhmm(quiet.start);
  const end = parseHhmm(quiet.end);
  if (start === end) return ms;
  const m = clock.minuteOfDay(ms);
  const day = clock.dayOf(ms);
  if (start > end) {
    if (m >= start) return clock.at(day + 1, end);
    if (m < end) return clock.at(day, end);
    return ms;
  }
  return m >= start && m < end ? clock.at(day, end) : ms;
}

/** True when `ms` is inside the quiet hours. */
export function inQuietHours(ms: number, quiet: QuietHours, clock: LocalClock): boolean {
  return releaseAfterQuiet(ms, quiet, clock) !== ms;
}

/**
 * Every reminder of the task whose send instant (dueAt) falls in (since, until],
 * in order. Day-based reminders on a day off move to the previous working day;
 * two that land on the same instant keep the one nearer the deadline.
 */
export function plannedReminders(task: ReminderTask, since: number, until: number, rules: ReminderRules): PlannedReminder[] {
  if (task.completedAt !== null && task.completedAt <= until) return [];
  const { plan, calendar, clock } = rules;
  const deadline = task.effectiveDeadline;
  const atMin = parseHhmm(plan.at);
  const D = clock.dayOf(deadline);
  const out: PlannedReminder[] = [];
  const push = (kind: ReminderKind, n: number, plannedAt: number) => {
    if (plannedAt < task.createdAt) return;
    const dueAt = releaseAfterQuiet(plannedAt, rules.quietHours, clock);
    if (dueAt > since && dueAt <= until) out.push({ kind, n, plannedAt, dueAt });
  };

  // Before the deadline: nearest first, so a later duplicate instant is the farther one and is dropped.
  const seen = new Set<number>();
  for (const k of [...plan.beforeDays].sort((a, b) => a - b)) {
    const at = clock.at(workingDayOnOrBefore(calendar, D - k), atMin);
    if (at > deadline || seen.has(at)) continue;
    seen.add(at);
    push('before', k, at);
  }

  // Overdue: the working days whose reminder time is after the deadline.
  const daily = plan.overdueDailyWorkingDays;
  const lastNeeded = Math.max(daily, plan.escalateAfterWorkingDays);
  let day = isWorkingDayNumber(calendar, D) && clock.at(D, atMin) > deadline ? D : addWorkingDayNumbers(calendar, D, 1);
  let lastDaily = deadline;
  for (let i = 1; i <= lastNeeded; i++) {
    const at = clock.at(day, atMin);
    if (i <= daily) {
      push('overdue', i, at);
      lastDaily = at;
    }
    if (i === plan.escalateAfterWorkingDays) push('escalate', i, at);
    day = addWorkingDayNumbers(calendar, day, 1);
  }
  if (plan.overdueWeeklyAfter) {
    const untilDay = clock.dayOf(until);
    const sinceDay = clock.dayOf(since);
    // A weekly day moves back at most across one Tết, so look a fortnight past the window.
    for (let k = Math.max(1, Math.floor((sinceDay - D) / 7)); D + 7 * k <= untilDay + 14; k++) {
      const at = clock.at(workingDayOnOrBefore(calendar, D + 7 * k), atMin);
      if (at > lastDaily && !seen.has(at)) {
        seen.add(at);
        push('weekly', k, at);
      }
    }
  }
  return out.sort((a, b) => a.dueAt - b.dueAt || kindOrder(a.kind) - kindOrder(b.kind));
}

function kindOrder(k: ReminderKind): number {
  return k === 'before' ? 0 : k === 'escalate' ? 2 : 1;
}

/**
 * What fell due in (since, until]: at most one reminder to the task's chat, the
 * latest (after downtime the ones before it are stale), plus the escalation if
 * its time came. One sent more than `graceMs` after its time is a catch-up.
 */
export function dueReminders(task: ReminderTask, since: number, until: number, rules: ReminderRules, graceMs = 15 * 60_000): DueReminder[] {
  const all = plannedReminders(task, since, until, rules);
  let latest: PlannedReminder | undefined;
  let escalation: PlannedReminder | undefined;
  for (const r of all) {
    if (r.kind === 'escalate') escalation = r;
    else latest = r;
  }
  const out: DueReminder[] = [];
  for (const r of [latest, escalation]) if (r) out.push({ ...r, catchUp: r.dueAt < until - graceMs });
  return out;
}
