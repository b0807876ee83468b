// Reporting periods as officers type them after /tinhhinh and /baocao:
// "thang 9", "tháng 9/2024", "quy 3", "6 thang", "9 thang", "nam 2023",
// "tuan nay", "01/01/2026-31/03/2026". Pure: the zone and `now` are parameters.
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
}

export const ACCEPTED_PERIODS =
  'tháng 9, tháng 9/2025, quý 3, 6 tháng, 9 tháng, năm 2025, tuần này, hoặc khoảng ngày 01/01/2026-31/03/2026';

const ROMAN: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

function invalid(text: string): never {
  throw new InvalidInput(`Không hiểu kỳ "${clip(text, 40)}". Hãy gõ một trong các dạng: ${ACCEPTED_PERIODS}.`);
}

function span(start: DateTime, end: DateTime, label: string): Period {
  return { from: start.toMillis(), to: end.toMillis(), label };
}

function yearOf(text: string | undefined, fallback: number, original: string): number {
  if (text === undefined) return fallback;
  const y = Number(text);
  if (y < 2000 || y > 2100) invalid(original);
  return y;
}

/** Parses a period; an empty text means the current year (in `zone`, as of `now`). */
export function parsePeriod(input: string, now: number, zone: string): Period {
  const t = fold(input).replace(/\s*([/–-])\s*/g, '$1');
  const today = DateTime.fromMillis(now, { zone });
  const year0 = today.year;
  const yearStart = (y: number) => DateTime.fromObject({ year: y, month: 1, day: 1 }, { zone });
  if (t === '') return span(yearStart(year0), yearStart(year0).endOf('year'), `năm ${year0}`);

  let m = /^(?:nam )?(\d{4})$/.exec(t);
  if (m) {
    const y = yearOf(m[1], year0, input);
    return span(yearStart(y), yearStart(y).endOf('year'), `năm ${y}`);
  }
  m = /^thang (\d{1,2})(?:(?:\/| nam )(\d{4}))?$/.exec(t);
  if (m) {
    const month = Number(m[1]);
    if (month < 1 || month > 12) invalid(input);
    const y = yearOf(m[2], year0, input);
    const s = DateTime.fromObject({ year: y, month, day: 1 }, { zone });
    return span(s, s.endOf('month'), `tháng ${month}/${y}`);
  }
  m = /^quy (\d|iv|iii|ii|i)(?:(?:\/| nam )(\d{4}))?$/.exec(t);
  if (m) {
    const q = ROMAN[m[1]] ?? Number(m[1]);
    if (q < 1 || q > 4) invalid(input);
    const y = yearOf(m[2], year0, input);
    const s = DateTime.fromObject({ year: y, month: (q - 1) * 3 + 1, day: 1 }, { zone });
    return span(s, s.plus({ months: 2 }).endOf('month'), `quý ${q}/${y}`);
  }
  m = /^(\d{1,2}) thang(?: dau nam)?(?:(?:\/| nam | )(\d{4}))?$/.exec(t);
  if (m) {
    const n = Number(m[1]);
    if (n < 1 || n > 12) invalid(input);
    const y = yearOf(m[2], year0, input);
    const s = yearStart(y);
    return span(s, s.plus({ months: n - 1 }).endOf('month'), `${n} tháng đầu năm ${y}`);
  }
  if (t === 'tuan nay' || t === 'tuannay') {
    const s = today.startOf('week');
    const e = today.endOf('week');
    return span(s, e, `tuần này (${s.toFormat('dd/MM')}–${e.toFormat('dd/MM/yyyy')})`);
  }
  m = /^(\d{1,2}\/\d{1,2}\/\d{4})(?:-|–| den | toi )(\d{1,2}\/\d{1,2}\/\d{4})$/.exec(t);
  if (m) {
    const from = parseInstant(m[1], { zone, dateOnly: 'start' }).ms;
    const to = parseInstant(m[2], { zone, dateOnly: 'end' }).ms;
    if (from > to) throw new InvalidInput('Ngày bắt đầu phải trước ngày kết thúc, ví dụ: 01/01/2026-31/03/2026.');
    return { from, to, label: `từ ${m[1]} đến ${m[2]}` };
  }
  return invalid(input);
}
