// The working-day calendar: Monday–Friday, minus public holidays, plus the
// declared make-up Saturdays (ngày làm bù). Pure: the lists are data from config.
//
// Days are handled as day numbers (whole days since 1970-01-01 of the civil
// date, zone-free), which keeps the arithmetic exact and fast; `LocalDate`
// strings (yyyy-mm-dd) are the edge form.

export type LocalDate = string;

export interface WorkCalendar {
  readonly holidays: ReadonlySet<number>;
  readonly makeUpDays: ReadonlySet<number>;
}

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** yyyy-mm-dd → day number. Throws RangeError on anything else. */
export function dayNumber(date: LocalDate): number {
  const m = ISO.exec(date);
  if (!m) throw new RangeError(`not a yyyy-mm-dd date: ${date}`);
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3]);
  const back = new Date(ms);
  if (back.getUTCDate() !== +m[3] || back.getUTCMonth() !== +m[2] - 1) throw new RangeError(`no such date: ${date}`);
  return ms / DAY_MS;
}

/** Day number → yyyy-mm-dd. */
export function localDate(day: number): LocalDate {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function makeCalendar(lists: { holidays: readonly string[]; makeUpDays: readonly string[] }): WorkCalendar {
  return {
    holidays: new Set(lists.holidays.map(dayNumber)),
    makeUpDays: new Set(lists.makeUpDays.map(dayNumber)),
  };
}

export function isWorkingDayNumber(cal: WorkCalendar, day: number): boolean {
  if (cal.makeUpDays.has(day)) return true;
  const w = weekday(day);
  if (w === 0 || w === 6) return false;
  return !cal.holidays.has(day);
}

export function isWorkingDay(cal: WorkCalendar, date: LocalDate): boolean {
  return isWorkingDayNumber(cal, dayNumber(date));
}

// Tết with its weekends is at most about ten days off in a row; a year without a
// working day means a broken list, and the guard keeps a bad config from hanging.
const MAX_GAP = 366;

/** The day itself if it is a working day, else the nearest working day before it. */
export function workingDayOnOrBefore(cal: WorkCalendar, day: number): number {
  for (let d = day, i = 0; i < MAX_GAP; d--, i++) if (isWorkingDayNumber(cal, d)) return d;
  throw new RangeError('no working day within a year: check config/holidays.json');
}

/** The day itself if it is a working day, else the nearest working day after it. */
export function workingDayOnOrAfter(cal: WorkCalendar, day: number): number {
  for (let d = day, i = 0; i < MAX_GAP; d++, i++) if (isWorkingDayNumber(cal, d)) return d;
  throw new RangeError('no working day within a year: check config/holidays.json');
}

/** The last working day strictly before `date`. */
export function previousWorkingDay(cal: WorkCalendar, date: LocalDate): LocalDate {
  return localDate(workingDayOnOrBefore(cal, dayNumber(date) - 1));
}

/** The n-th working day after `day` (n > 0), or before it (n < 0); n = 0 gives the day itself. */
export function addWorkingDayNumbers(cal: WorkCalendar, day: number, n: number): number {
  let d = day;
  const step = n < 0 ? -1 : 1;
  for (let left = Math.abs(n); left > 0; ) {
    d += step;
    if (isWorkingDayNumber(cal, d)) left--;
  }
  return d;
}

export function addWorkingDays(cal: WorkCalendar, date: LocalDate, n: number): LocalDate {
  return localDate(addWorkingDayNumbers(cal, dayNumber(date), n));
}

/** Working days d with from < d ≤ to (negative when to is before from). */
export function workingDaysBetween(cal: WorkCalendar, from: LocalDate, to: LocalDate): number {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (b < a) return -workingDaysBetween(cal, to, from);
  let n = 0;
  for (let d = a + 1; d <= b; d++) if (isWorkingDayNumber(cal, d)) n++;
  return n;
}
