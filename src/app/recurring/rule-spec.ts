// Between a stored rule row and the domain's RecurrenceRule, plus the words for a period key.
import { DateTime } from 'luxon';
import type { Config } from '../../config.ts';
import { makeCalendar, type WorkCalendar } from '../../domain/calendar.ts';
import type { RecurrencePattern, RecurrenceRule } from '../../domain/recurrence.ts';
import type { RuleRow } from '../../db/recurring.repo.ts';

export type CalendarConfig = Pick<Config, 'zone' | 'calendar'>;

export function specOf(row: Pick<RuleRow, 'ruleJson' | 'shift' | 'endsOn' | 'maxCount'>): RecurrenceRule {
  const pattern = JSON.parse(row.ruleJson) as RecurrencePattern;
  return {
    pattern,
    shift: row.shift,
    ...(row.endsOn ? { endsOn: row.endsOn } : {}),
    ...(row.maxCount ? { maxCount: row.maxCount } : {}),
  };
}

const calendars = new WeakMap<object, WorkCalendar>();

/** The working-day calendar of a config, built once per config object. */
export function calendarOf(config: CalendarConfig): WorkCalendar {
  let cal = calendars.get(config.calendar);
  if (!cal) {
    cal = makeCalendar(config.calendar);
    calendars.set(config.calendar, cal);
  }
  return cal;
}

// Converting through luxon with a named zone costs about a third of a millisecond;
// a tick converts the same few dates again and again, so the answers are kept.
const memo = new Map<string, number | string>();
const MEMO_MAX = 20_000;

function remember<T extends number | string>(key: string, compute: () => T): T {
  const hit = memo.get(key);
  if (hit !== undefined) return hit as T;
  const v = compute();
  if (memo.size >= MEMO_MAX) memo.clear();
  memo.set(key, v);
  return v;
}

/** Local date yyyy-mm-dd of an instant. */
export function localDay(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISODate()!;
}

/** End (23:59:59.999) of a local date, as an instant. */
export function endOfDate(date: string, zone: string): number {
  return remember(`e|${zone}|${date}`, () => DateTime.fromISO(date, { zone }).endOf('day').toMillis());
}

export function startOfDate(date: string, zone: string): number {
  return remember(`s|${zone}|${date}`, () => DateTime.fromISO(date, { zone }).startOf('day').toMillis());
}

const ROMAN = ['', 'I', 'II', 'III', 'IV'];

/** '2024-03' → 'tháng 03/2024', '2024-Q1' → 'quý I/2024', '2024-H1' → '6 tháng đầu năm 2024', '2024' → 'năm 2024', '2024-W12' → 'tuần 12/2024'. */
export function periodLabel(key: string): string {
  let m = /^(\d{4})-(\d{2})$/.exec(key);
  if (m) return `tháng ${m[2]}/${m[1]}`;
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return `quý ${ROMAN[+m[2]]}/${m[1]}`;
  m = /^(\d{4})-H([12])$/.exec(key);
  if (m) return `6 tháng ${m[2] === '1' ? 'đầu' : 'cuối'} năm ${m[1]}`;
  m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) return `tuần ${+m[2]}/${m[1]}`;
  return `năm ${key}`;
}
