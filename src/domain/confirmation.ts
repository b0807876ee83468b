// When the chairs are nudged about a completion report still waiting for confirmation:
// on the third working day after the report's day, at the reminder hour, then every week
// on the same weekday. Pure: the calendar and the clock are passed in.
import { addWorkingDayNumbers, type WorkCalendar } from './calendar.ts';
import type { LocalClock } from './local-clock.ts';

export const NUDGE_AFTER_WORKING_DAYS = 3;

/** The latest nudge at or before `now` (its number, 0 for the first, and instant), or null before the first. */
export function latestNudge(reportedAt: number, now: number, cal: WorkCalendar, clock: LocalClock, minute: number): { index: number; at: number } | null {
  const firstDay = addWorkingDayNumbers(cal, clock.dayOf(reportedAt), NUDGE_AFTER_WORKING_DAYS);
  if (now < clock.at(firstDay, minute)) return null;
  let index = Math.floor((clock.dayOf(now) - firstDay) / 7);
  if (clock.at(firstDay + 7 * index, minute) > now) index--;
  return { index, at: clock.at(firstDay + 7 * index, minute) };
}
