// Reporting periods as officers type them after /tinhhinh and /baocao and as
// `nhacviec report --period` takes them: "thang 9", "tháng 9/2024", "quy 3",
// "6 thang", "9 thang", "nam 2023", "tuan nay", "01/01/2026-31/03/2026".
// Pure: the zone, `now` and the cutoff day are parameters.
//
// The cutoff day (ngày chốt số liệu, Nghị định 09/2019/NĐ-CP): many offices
// count a month's data from day c of the previous month to day c−1 of the
// month. With a cutoff c in 2..28 every named period is the calendar period
// moved back by one month and forward by c−1 days, so it starts on day c of
// the month before its first month and ends at the end of day c−1 of its last
// month:
//   c = 15: tháng 9/2026 = 15/08/2026 .. 14/09/2026;
//           quý 1/2026   = 15/12/2025 .. 14/03/2026;
//           6 tháng 2026 = 15/12/2025 .. 14/06/2026; 9 tháng = .. 14/09/2026;
//           năm 2026     = 15/12/2025 .. 14/12/2026.
// No cutoff (null, the default) and c = 1 are the calendar periods (a period
// cannot end on a day 0). 29..31 are refused: not every month has them.
// A period written without a year is of the reporting year holding `now`
// (c = 15: from 15/12/2026 on that is 2027). "tuần này" and a range of dates
// are never moved.
import { DateTime } from 'luxon';
import { parseInstant } from './dates.ts';
import { InvalidInput } from './errors.ts';
import { clip, fold } from './text.ts';

export interface Period {
  /** Start of the period, ms UTC (inclusive). */
  from: number;
  /** End of the period, ms UTC (inclusive: the last millisecond). */
  to: number;
  /** Vietnamese label, e.g. "quý 3/2026". */
  label: string;
  /** The cutoff day the period was moved by; null for calendar periods, a week or a range of dates. */
  cutoffDay: number | null;
}

export const ACCEPTED_PERIODS =
  'tháng 9, tháng 9/2025, quý 3, 6 tháng, 9 tháng, năm 2025, tuần này, hoặc khoảng ngày 01/01/2026-31/03/2026';

/**
 * A cutoff day as configured or typed ("15" on the command line): null,
 * undefined and 1 mean calendar periods (null); 2..28 are kept; anything else
 * throws one sentence.
 */
export function checkCutoffDay(input: number | string | null | undefined): number | null {
  if (input === null || input === undefined) return null;
  const day = typeof input === 'number' ? input : /^\s*\d{1,2}\s*$/.test(input) ? Number(input) : Number.NaN;
  if (!Number.isInteger(day) || day < 1 || day > 28) {
    throw new InvalidInput(
      `Ngày chốt số liệu "${clip(String(input).trim(), 10)}" không hợp lệ: hãy dùng một số từ 1 đến 28 (ví dụ 15: tháng 9 tính từ 15/08 đến 14/09; 1 là tháng dương lịch).`,
    );
  }
  return day === 1 ? null : day;
}

/**
 * The `months` months starting with month `first` of `year` (1-based), moved
 * by the cutoff: [start, end] as local DateTimes, end the last millisecond.
 */
export function monthsSpan(year: number, first: number, months: number, zone: string, cutoffDay: number | null): [DateTime, DateTime] {
  const calendar = DateTime.fromObject({ year, month: first, day: 1 }, { zone });
  const c = checkCutoffDay(cutoffDay);
  const start = c === null ? calendar : calendar.minus({ months: 1 }).set({ day: c });
  const next = c === null ? calendar.plus({ months }) : calendar.plus({ months: months - 1 }).set({ day: c });
  return [start, next.minus({ milliseconds: 1 })];
}

/** The reporting year holding `now`: the calendar year, or the next one from the cutoff day of December on. */
export function reportingYear(now: number, zone: string, cutoffDay: number | null): number {
  const today = DateTime.fromMillis(now, { zone });
  const c = checkCutoffDay(cutoffDay);
  return c !== null && today.month === 12 && today.day >= c ? today.year + 1 : today.year;
}

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function invalid(text: string): never {
  throw new InvalidInput(`Không hiểu kỳ "${clip(text, 40)}". Hãy gõ một trong các dạng: ${ACCEPTED_PERIODS}.`);
}

function yearOf(text: string | undefined, fallback: number, original: string): number {
  if (text === undefined) return fallback;
  const y = Number(text);
  if (y < 2000 || y > 2100) invalid(original);
  return y;
}

/**
 * Parses a period; an empty text means the current reporting year (in `zone`,
 * as of `now`). `cutoffDay` moves the named periods (see the top of the file).
 */
export function parsePeriod(input: string, now: number, zone: string, cutoffDay: number | null = null): Period {
  const c = checkCutoffDay(cutoffDay);
  const t = fold(input).replace(/\s*([/–-])\s*/g, '$1');
  const today = DateTime.fromMillis(now, { zone });
  const year0 = reportingYear(now, zone, c);
  const named = (y: number, first: number, months: number, label: string): Period => {
    const [s, e] = monthsSpan(y, first, months, zone, c);
    return { from: s.toMillis(), to: e.toMillis(), label, cutoffDay: c };
  };
  if (t === '') return named(year0, 1, 12, `năm ${year0}`);

  let m = /^(?:nam )?(\d{4})$/.exec(t);
  if (m) {
    const y = yearOf(m[1], year0, input);
    return named(y, 1, 12, `năm ${y}`);
  }
  m = /^thang (\d{1,2})(?:(?:\/| nam )(\d{4}))?$/.exec(t);
  if (m) {
    const month = Number(m[1]);
    if (month < 1 || month > 12) invalid(input);
    const y = yearOf(m[2], year0, input);
    return named(y, month, 1, `tháng ${month}/${y}`);
  }
  m = /^quy (\d|iv|iii|ii|i)(?:(?:\/| nam )(\d{4}))?$/.exec(t);
  if (m) {
    const q = ROMAN[m[1]] ?? Number(m[1]);
    if (q < 1 || q > 4) invalid(input);
    const y = yearOf(m[2], year0, input);
    return named(y, (q - 1) * 3 + 1, 3, `quý ${q}/${y}`);
  }
  m = /^(\d{1,2}) thang(?: dau nam)?(?:(?:\/| nam | )(\d{4}))?$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    if (n < 1 || n > 12) invalid(input);
    const y = yearOf(m[2], year0, input);
    return named(y, 1, n, `${n} tháng đầu năm ${y}`);
  }
  if (t === 'tuan nay' || t === 'tuannay') {
    const s = today.startOf('week');
    const e = today.endOf('week');
    return { from: s.toMillis(), to: e.toMillis(), label: `tuần này (${s.toFormat('dd/MM')}–${e.toFormat('dd/MM/yyyy')})`, cutoffDay: null };
  }
  m = /^(\d{1,2}\/\d{1,2}\/\d{4})(?:-|–| den | toi )(\d{1,2}\/\d{1,2}\/\d{4})$/.exec(t);
  if (m) {
    const from = parseInstant(m[1], { zone, dateOnly: 'start' }).ms;
    const to = parseInstant(m[2], { zone, dateOnly: 'end' }).ms;
    if (from > to) throw new InvalidInput('Ngày bắt đầu phải trước ngày kết thúc, ví dụ: 01/01/2026-31/03/2026.');
    return { from, to, label: `từ ${m[1]} đến ${m[2]}`, cutoffDay: null };
  }
  return invalid(input);
}

/** "dd/mm/yyyy–dd/mm/yyyy" of a period's first and last day. */
export function periodDates(p: Pick<Period, 'from' | 'to'>, zone: string): { from: string; to: string } {
  const d = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('dd/MM/yyyy');
  return { from: d(p.from), to: d(p.to) };
}
