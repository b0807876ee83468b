// Parsing and formatting dates the way officers write them. Pure: the zone is
// a parameter, nothing reads the clock.
import { DateTime } from 'luxon';
import { InvalidDate } from './errors.ts';
import { clip } from './text.ts';

export const DEFAULT_ZONE = 'Asia/Ho_Chi_Minh';

export const ACCEPTED_DATE_FORMS = 'dd/mm/yyyy, dd/mm/yyyy HH:mm, yyyy-mm-dd hoặc ISO 8601 (2024-03-15T08:00:00+07:00)';

export interface ParsedInstant {
  /** Milliseconds since the epoch, UTC. */
  ms: number;
  /** True when the text held a date without a time. */
  dateOnly: boolean;
}

export interface ParseOptions {
  zone: string;
  /** What a date without a time means: the start (00:00) or the end (23:59:59.999) of that day. */
  dateOnly?: 'start' | 'end';
}

const DMY = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ ,]+(\d{1,2})[:hg](\d{2})(?::(\d{2}))?)?$/i;
const YMD = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function invalidCalendarDate(d: number, m: number, y: number, text: string): never {
  if (m < 1 || m > 12) throw new InvalidDate(`Ngày "${text}" không hợp lệ: không có tháng ${m}.`);
  const daysInMonth = DateTime.utc(y, m, 1).daysInMonth ?? 31;
  throw new InvalidDate(`Ngày "${text}" không hợp lệ: tháng ${m}/${y} chỉ có ${daysInMonth} ngày.`);
}

function build(
  text: string,
  zone: string,
  y: number,
  m: number,
  d: number,
  time: { h: number; mi: number; s: number; ms: number } | null,
  offset: string | undefined,
  dateOnlyMode: 'start' | 'end',
): ParsedInstant {
  if (m < 1 || m > 12 || d < 1 || d > 31) invalidCalendarDate(d, m, y, text);
  const probe = DateTime.utc(y, m, 1);
  if (d > (probe.daysInMonth ?? 31)) invalidCalendarDate(d, m, y, text);
  if (time && (time.h > 23 || time.mi > 59 || time.s > 59)) {
    throw new InvalidDate(`Giờ trong "${text}" không hợp lệ: giờ từ 00:00 đến 23:59.`);
  }
  let z: string = zone;
  if (offset) {
    if (offset.toUpperCase() === 'Z') z = 'UTC';
    else {
      const norm = offset.includes(':') ? offset : `${offset.slice(0, 3)}:${offset.slice(3)}`;
      z = `UTC${norm}`;
    }
  }
  let dt = DateTime.fromObject(
    { year: y, month: m, day: d, hour: time?.h ?? 0, minute: time?.mi ?? 0, second: time?.s ?? 0, millisecond: time?.ms ?? 0 },
    { zone: z },
  );
  if (!dt.isValid) throw new InvalidDate(`Không hiểu ngày "${text}". Hãy nhập theo dạng ${ACCEPTED_DATE_FORMS}.`);
  if (!time && dateOnlyMode === 'end') dt = dt.endOf('day');
  return { ms: dt.toMillis(), dateOnly: !time };
}

/**
 * Parses dd/mm/yyyy, dd/mm/yyyy HH:mm, yyyy-mm-dd, or ISO 8601 with an offset or Z.
 * Without an offset the time is local to `zone`. Throws InvalidDate with a
 * Vietnamese sentence naming what was wrong.
 */
export function parseInstant(input: string, opts: ParseOptions): ParsedInstant {
  const text = input.trim();
  const mode = opts.dateOnly ?? 'start';
  if (text === '') throw new InvalidDate(`Thiếu ngày. Hãy nhập theo dạng ${ACCEPTED_DATE_FORMS}.`);
  let m = DMY.exec(text);
  if (m) {
    const time = m[4] !== undefined ? { h: +m[4], mi: +m[5], s: m[6] ? +m[6] : 0, ms: 0 } : null;
    return build(text, opts.zone, +m[3], +m[2], +m[1], time, undefined, mode);
  }
  m = YMD.exec(text);
  if (m) {
    const time =
      m[4] !== undefined ? { h: +m[4], mi: +m[5], s: m[6] ? +m[6] : 0, ms: m[7] ? +m[7].padEnd(3, '0') : 0 } : null;
    if (m[8] && !time) throw new InvalidDate(`Không hiểu ngày "${text}". Hãy nhập theo dạng ${ACCEPTED_DATE_FORMS}.`);
    return build(text, opts.zone, +m[1], +m[2], +m[3], time, m[8], mode);
  }
  throw new InvalidDate(`Không hiểu ngày "${clip(text, 40)}". Hãy nhập theo dạng ${ACCEPTED_DATE_FORMS}.`);
}

/**
 * An Excel date cell as exceljs gives it: a Date whose UTC fields are the wall
 * time written in the sheet. A cell at exactly midnight counts as a date alone.
 */
export function fromExcelDate(d: Date, opts: ParseOptions): ParsedInstant {
  if (Number.isNaN(d.getTime())) throw new InvalidDate('Ô ngày trong bảng tính không hợp lệ.');
  const hasTime = d.getUTCHours() !== 0 || d.getUTCMinutes() !== 0 || d.getUTCSeconds() !== 0;
  let dt = DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    { zone: opts.zone },
  );
  if (!hasTime && (opts.dateOnly ?? 'start') === 'end') dt = dt.endOf('day');
  return { ms: dt.toMillis(), dateOnly: !hasTime };
}

const MEMO_MAX = 10_000;

/**
 * Remembers a function of (instant, zone). Finding a zone's offset costs luxon
 * an Intl formatToParts call, and /viec asks about the same few instants (`now`,
 * deadlines at the end of a day) on every line it lists. Bounded: cleared when full.
 */
function memoByInstant<T>(compute: (ms: number, zone: string) => T): (ms: number, zone: string) => T {
  const byZone = new Map<string, Map<number, T>>();
  return (ms, zone) => {
    let seen = byZone.get(zone);
    if (!seen) byZone.set(zone, (seen = new Map()));
    let v = seen.get(ms);
    if (v === undefined) {
      if (seen.size >= MEMO_MAX) seen.clear();
      v = compute(ms, zone);
      seen.set(ms, v);
    }
    return v;
  };
}

/** dd/mm/yyyy in the zone. */
export const formatDate = memoByInstant((ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('dd/MM/yyyy'));

/** dd/mm/yyyy HH:mm in the zone. */
export function formatDateTime(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('dd/MM/yyyy HH:mm');
}

/** ISO string of an instant in the zone, with its offset ("2024-03-15T23:59:59.999+07:00"). */
export function toIsoLocal(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO() ?? new Date(ms).toISOString();
}

/** The local date of `ms` as a day number (days since 01/01/1970 on the calendar, not 24-hour spans). */
const localDayNumber = memoByInstant((ms: number, zone: string): number => {
  const d = DateTime.fromMillis(ms, { zone });
  return Date.UTC(d.year, d.month - 1, d.day) / 86_400_000;
});

/**
 * Whole calendar days from the local date of `from` to the local date of `to` (negative if before).
 * By local dates alone: luxon's startOf + diff cost several zone-offset lookups
 * each, and /viec calls this for every line it lists.
 */
export function calendarDaysBetween(from: number, to: number, zone: string): number {
  return localDayNumber(to, zone) - localDayNumber(from, zone);
}

/** End of the local day holding `ms`. */
export function endOfLocalDay(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).endOf('day').toMillis();
}

/** Start of the local day holding `ms`. */
export function startOfLocalDay(ms: number, zone: string): number {
  return DateTime.fromMillis(ms, { zone }).startOf('day').toMillis();
}
