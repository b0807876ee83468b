// Recurring tasks (chế độ báo cáo định kỳ): parsing a rule written the way offices
// write it, describing it back in Vietnamese, and listing its occurrences.
// Pure: no clock, no I/O; the working-day calendar is a parameter.
import {
  dayNumber,
  localDate,
  workingDayOnOrAfter,
  workingDayOnOrBefore,
  addWorkingDayNumbers,
  type LocalDate,
  type WorkCalendar,
} from './calendar.ts';
import { InvalidInput } from './errors.ts';
import { clip, entryOf, fold } from './text.ts';

export type PeriodUnit = 'month' | 'quarter' | 'halfYear' | 'year';

/**
 * The shape of a rule. `day` 31 (or "ngày cuối …") means the last day of a
 * shorter month. `monthInPeriod` is 1-based: quarterly 3 = the quarter's last
 * month; half-yearly 6 = the half's last month (June, December).
 */
export type RecurrencePattern =
  | { kind: 'monthly'; day: number }
  | { kind: 'quarterly'; day: number; monthInPeriod: 1 | 2 | 3 }
  | { kind: 'halfYearly'; day: number; monthInPeriod: 1 | 2 | 3 | 4 | 5 | 6 }
  | { kind: 'yearly'; day: number; month: number }
  /** weekday 1 = Monday … 7 = Sunday (ISO). */
  | { kind: 'weekly'; weekday: number }
  /** The n-th working day after the period ends; the occurrence belongs to the period that ended. */
  | { kind: 'afterPeriod'; period: PeriodUnit; workingDays: number };

export type Shift = 'earlier' | 'later';

export interface RecurrenceRule {
  pattern: RecurrencePattern;
  /** A deadline on a day off moves to the working day before (default) or after it. */
  shift: Shift;
  /** Last local date an occurrence's deadline may fall on. */
  endsOn?: LocalDate;
  /** At most this many occurrences in all. */
  maxCount?: number;
}

export interface Occurrence {
  /** '2024-03', '2024-Q1', '2024-H1', '2024', '2024-W12'. */
  periodKey: string;
  /** The first local day of the period the occurrence belongs to. */
  periodStart: LocalDate;
  /** The deadline, already moved to a working day. */
  deadline: LocalDate;
}

export const ACCEPTED_RULE_FORMS = [
  'hằng tháng ngày 20',
  'hằng quý ngày 15 tháng cuối quý',
  'hằng 6 tháng ngày 15 tháng cuối kỳ (15/6 và 15/12)',
  'hằng năm ngày 15/12',
  'thứ sáu hằng tuần',
  '5 ngày làm việc sau khi kết thúc quý (hoặc tháng, 6 tháng, năm)',
];

export const RULE_OPTIONS_HELP =
  'Có thể thêm "đến 31/12/2026" hoặc "12 lần", và "lùi sau" nếu hạn trùng ngày nghỉ thì chuyển sang ngày làm việc kế tiếp.';

function rejection(text: string, why?: string): InvalidInput {
  return new InvalidInput(
    `${why ?? `Không hiểu quy tắc lặp lại "${clip(text, 50)}".`} Các dạng được chấp nhận: ${ACCEPTED_RULE_FORMS.map((f) => `"${f}"`).join('; ')}. ${RULE_OPTIONS_HELP}`,
  );
}

const WEEKDAYS: Record<string, number> = {
  'thu hai': 1, 'thu 2': 1,
  'thu ba': 2, 'thu 3': 2,
  'thu tu': 3, 'thu 4': 3,
  'thu nam': 4, 'thu 5': 4,
  'thu sau': 5, 'thu 6': 5,
  'thu bay': 6, 'thu 7': 6,
  'chu nhat': 7, cn: 7,
};
const WEEKDAY_NAMES = ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];

const FREQ: Record<string, 'weekly' | 'monthly' | 'quarterly' | 'halfYearly' | 'yearly'> = {
  tuan: 'weekly',
  thang: 'monthly',
  quy: 'quarterly',
  '6 thang': 'halfYearly',
  'sau thang': 'halfYearly',
  'nua nam': 'halfYearly',
  nam: 'yearly',
};
const PERIOD_WORDS: Record<string, PeriodUnit> = {
  thang: 'month',
  quy: 'quarter',
  '6 thang': 'halfYear',
  'sau thang': 'halfYear',
  'nua nam': 'halfYear',
  'ky': 'halfYear',
  nam: 'year',
};

const END_RE = /(?:^| )(?:cho )?(?:den|toi|het) (?:het )?(?:ngay )?(\d{1,2})\/(\d{1,2})\/(\d{4})(?= |$)/;
const COUNT_RE = /(?:^| )(?:trong )?(\d{1,3}) (?:lan|ky)(?= |$)/;
const SHIFT_RE =
  /(?:^| )(?:neu )?(?:trung )?(?:vao )?(?:ngay nghi )?(?:thi )?(?:lui|doi|chuyen) (?:ve |sang )?(sau|truoc)(?: ngay lam viec)?(?: (?:ke tiep|tiep theo|lien truoc|truoc do|lien sau))?(?= |$)/;
const FREQ_RE = /(?:^| )(?:hang|moi|dinh ky) (6 thang|sau thang|nua nam|tuan|thang|quy|nam)(?: mot lan)?(?= |$)/;
const FREQ_ALT_RE = /(?:^| )(6 thang|sau thang|nua nam) mot lan(?= |$)/;
const AFTER_RE =
  /^(\d{1,2}) ngay lam viec (?:ke tu |sau )?(?:sau )?(?:khi |ngay )?(?:ket thuc|het) (thang|quy|6 thang|sau thang|nua nam|ky|nam)$/;

function dayOf(s: string): number {
  return s === 'cuoi' ? 31 : Number(s);
}

function checkDay(day: number, text: string): void {
  if (!Number.isInteger(day) || day < 1 || day > 31) throw rejection(text, `Ngày ${day} không hợp lệ: ngày trong tháng từ 1 đến 31.`);
}

/** "thang cuoi quy", "thang dau ky", "thang thu 2 cua quy" → month within the period. */
function monthInPeriod(spec: string | undefined, last: number, text: string): number {
  if (!spec) return last;
  const m = /^thang (cuoi|dau|giua|thu (\d)) (?:cua )?(?:quy|ky|6 thang|nua nam)$/.exec(spec);
  if (!m) throw rejection(text);
  if (m[1] === 'cuoi') return last;
  if (m[1] === 'dau') return 1;
  if (m[1] === 'giua') {
    if (last !== 3) throw rejection(text, '"tháng giữa" chỉ dùng cho quý.');
    return 2;
  }
  const n = Number(m[2]);
  if (n < 1 || n > last) throw rejection(text, `Kỳ chỉ có ${last} tháng, không có tháng thứ ${n}.`);
  return n;
}

function parsePattern(core: string, text: string): RecurrencePattern {
  const after = AFTER_RE.exec(core);
  if (after) {
    const n = Number(after[1]);
    if (n < 1 || n > 60) throw rejection(text, `Số ngày làm việc ${n} không hợp lệ: từ 1 đến 60.`);
    return { kind: 'afterPeriod', period: PERIOD_WORDS[after[2]], workingDays: n };
  }
  const f = FREQ_RE.exec(core) ?? FREQ_ALT_RE.exec(core);
  if (!f) throw rejection(text);
  const kind = FREQ[f[1]];
  const rest = (core.slice(0, f.index) + ' ' + core.slice(f.index + f[0].length))
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:vao |truoc |han )+/, '');
  if (kind === 'weekly') {
    const wd = entryOf(WEEKDAYS, rest.replace(/^(?:vao |ngay )/, ''));
    if (!wd) throw rejection(text);
    return { kind, weekday: wd };
  }
  if (kind === 'yearly') {
    const m = /^ngay (\d{1,2})(?:\/| thang )(\d{1,2})$/.exec(rest);
    if (!m) throw rejection(text);
    const day = Number(m[1]);
    const month = Number(m[2]);
    if (month < 1 || month > 12) throw rejection(text, `Không có tháng ${month}.`);
    const maxDay = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
    if (day < 1 || day > maxDay) throw rejection(text, `Tháng ${month} không có ngày ${day}.`);
    return { kind, day, month };
  }
  const m = /^ngay (\d{1,2}|cuoi)(?: (thang .+))?$/.exec(rest);
  if (!m) throw rejection(text);
  const day = dayOf(m[1]);
  checkDay(day, text);
  if (kind === 'monthly') {
    if (m[2] && m[2] !== 'thang') throw rejection(text);
    return { kind, day };
  }
  if (kind === 'quarterly') return { kind, day, monthInPeriod: monthInPeriod(m[2], 3, text) as 1 | 2 | 3 };
  return { kind, day, monthInPeriod: monthInPeriod(m[2], 6, text) as 1 | 2 | 3 | 4 | 5 | 6 };
}

/**
 * Parses a rule as offices write it, with or without diacritics. Throws
 * InvalidInput listing the accepted forms when it cannot.
 */
export function parseRule(input: string): RecurrenceRule {
  const text = input.normalize('NFC').trim();
  let s = fold(text).replace(/[,;.()]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (s === '') throw rejection(text, 'Thiếu quy tắc lặp lại.');
  const rule: Omit<RecurrenceRule, 'pattern'> = { shift: 'earlier' };
  const end = END_RE.exec(s);
  if (end) {
    const [d, mo, y] = [Number(end[1]), Number(end[2]), Number(end[3])];
    const iso = `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    try {
      dayNumber(iso);
    } catch {
      throw rejection(text, `Ngày kết thúc ${end[1]}/${end[2]}/${end[3]} không có trên lịch.`);
    }
    rule.endsOn = iso;
    s = s.replace(end[0], ' ');
  }
  const count = COUNT_RE.exec(s);
  if (count) {
    const n = Number(count[1]);
    if (n < 1) throw rejection(text, 'Số lần lặp phải từ 1 trở lên.');
    rule.maxCount = n;
    s = s.replace(count[0], ' ');
  }
  const shift = SHIFT_RE.exec(s);
  if (shift) {
    rule.shift = shift[1] === 'sau' ? 'later' : 'earlier';
    s = s.replace(shift[0], ' ');
  }
  s = s.replace(/\s+/g, ' ').trim();
  return { pattern: parsePattern(s, text), ...rule };
}

/**
 * Splits "<rule> <rest>" where the rule is the longest leading run of words that
 * parses (for `/giao <đơn vị> <quy tắc> <nội dung>`). Null when no prefix is a rule.
 */
export function splitLeadingRule(input: string): { rule: RecurrenceRule; ruleText: string; rest: string } | null {
  const words = input.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  for (let k = Math.min(words.length, 24); k >= 2; k--) {
    const ruleText = words.slice(0, k).join(' ');
    try {
      return { rule: parseRule(ruleText), ruleText, rest: words.slice(k).join(' ') };
    } catch {
      // not a rule with k words: try fewer
    }
  }
  return null;
}

/** True when the text looks like a recurrence attempt (so a failed parse should show the rule forms). */
export function looksLikeRule(input: string): boolean {
  const s = fold(input);
  return /(?:^| )(?:hang|moi|dinh ky) (?:tuan|thang|quy|nam|6 thang|nua nam)(?: |$)/.test(s) || /^\d{1,2} ngay lam viec /.test(s);
}

const PERIOD_NAMES: Record<PeriodUnit, string> = { month: 'tháng', quarter: 'quý', halfYear: '6 tháng', year: 'năm' };

function dayPhrase(day: number, periodMonth: string): string {
  return day >= 29
    ? `ngày ${day} (${periodMonth} nào không có ngày ${day} thì lấy ngày cuối tháng)`
    : `ngày ${day}`;
}

function fmt(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** The rule in words, to show back for confirmation. */
export function describeRule(rule: RecurrenceRule): string {
  const p = rule.pattern;
  let head: string;
  switch (p.kind) {
    case 'monthly':
      head = `Hằng tháng, hạn ${dayPhrase(p.day, 'tháng')}`;
      break;
    case 'quarterly': {
      const which = p.monthInPeriod === 3 ? 'tháng cuối quý' : p.monthInPeriod === 1 ? 'tháng đầu quý' : 'tháng giữa quý';
      head = `Hằng quý, hạn ${dayPhrase(p.day, 'tháng')} ${which}`;
      break;
    }
    case 'halfYearly': {
      const months = [p.monthInPeriod, p.monthInPeriod + 6];
      const short = p.day >= 29 ? `tháng ${months[0]} và tháng ${months[1]}` : `${p.day}/${months[0]} và ${p.day}/${months[1]}`;
      head = `Hằng 6 tháng, hạn ${dayPhrase(p.day, 'tháng')} tháng thứ ${p.monthInPeriod} của mỗi kỳ (${short})`;
      break;
    }
    case 'yearly':
      head =
        p.month === 2 && p.day === 29
          ? 'Hằng năm, hạn ngày 29/02 (năm không nhuận thì lấy ngày 28/02)'
          : `Hằng năm, hạn ngày ${String(p.day).padStart(2, '0')}/${String(p.month).padStart(2, '0')}`;
      break;
    case 'weekly':
      head = `Hằng tuần, hạn ${WEEKDAY_NAMES[p.weekday]}`;
      break;
    case 'afterPeriod':
      head = `Hạn ${p.workingDays} ngày làm việc sau khi kết thúc mỗi ${PERIOD_NAMES[p.period]}`;
      break;
  }
  const parts = [head];
  if (p.kind !== 'afterPeriod') {
    parts.push(
      rule.shift === 'earlier'
        ? 'nếu trùng ngày nghỉ thì lùi về ngày làm việc trước đó'
        : 'nếu trùng ngày nghỉ thì chuyển sang ngày làm việc kế tiếp',
    );
  }
  let text = parts.join('; ');
  if (rule.endsOn) text += `; đến hết ${fmt(rule.endsOn)}`;
  if (rule.maxCount) text += `; tối đa ${rule.maxCount} lần`;
  return `${text}.`;
}

// ---- occurrences ----

interface Period {
  key: string;
  start: number;
  /** Last day of the period (day number). */
  end: number;
  year: number;
  /** First month (1–12) of the period. */
  month: number;
}

function dayOfYmd(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function clampedDay(y: number, m: number, d: number): number {
  return dayOfYmd(y, m, Math.min(d, daysInMonth(y, m)));
}

function monthsOf(kind: PeriodUnit): number {
  return kind === 'month' ? 1 : kind === 'quarter' ? 3 : kind === 'halfYear' ? 6 : 12;
}

function periodKey(kind: PeriodUnit, y: number, m: number): string {
  switch (kind) {
    case 'month':
      return `${y}-${String(m).padStart(2, '0')}`;
    case 'quarter':
      return `${y}-Q${(m - 1) / 3 + 1}`;
    case 'halfYear':
      return `${y}-H${m <= 6 ? 1 : 2}`;
    case 'year':
      return `${y}`;
  }
}

/** The month-based period holding (y, m), then the following ones. */
function* monthPeriods(kind: PeriodUnit, y: number, m: number): Generator<Period> {
  const len = monthsOf(kind);
  let month = Math.floor((m - 1) / len) * len + 1;
  let year = y;
  for (;;) {
    const endMonth = month + len - 1;
    yield {
      key: periodKey(kind, year, month),
      start: dayOfYmd(year, month, 1),
      end: dayOfYmd(year, endMonth, daysInMonth(year, endMonth)),
      year,
      month,
    };
    month += len;
    if (month > 12) {
      month -= 12;
      year++;
    }
  }
}

function isoWeekKey(day: number): string {
  // ISO week: the week's Thursday decides the year.
  const wd = ((new Date(day * 86_400_000).getUTCDay() + 6) % 7) + 1;
  const thursday = day + (4 - wd);
  const y = new Date(thursday * 86_400_000).getUTCFullYear();
  const week = Math.floor((thursday - dayOfYmd(y, 1, 1)) / 7) + 1;
  return `${y}-W${String(week).padStart(2, '0')}`;
}

function shiftDay(cal: WorkCalendar, day: number, shift: Shift): number {
  return shift === 'earlier' ? workingDayOnOrBefore(cal, day) : workingDayOnOrAfter(cal, day);
}

/** Every occurrence in order, starting with the period holding `from` (unbounded). */
function* allFrom(rule: RecurrenceRule, from: number, cal: WorkCalendar): Generator<{ key: string; start: number; deadline: number }> {
  const p = rule.pattern;
  const d = new Date(from * 86_400_000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  if (p.kind === 'weekly') {
    const wd = ((d.getUTCDay() + 6) % 7) + 1;
    for (let monday = from - (wd - 1); ; monday += 7) {
      yield { key: isoWeekKey(monday), start: monday, deadline: shiftDay(cal, monday + p.weekday - 1, rule.shift) };
    }
  }
  if (p.kind === 'afterPeriod') {
    // The period before the one holding `from` may still have its deadline ahead.
    const len = monthsOf(p.period);
    const prevM = m - len < 1 ? m - len + 12 : m - len;
    const prevY = m - len < 1 ? y - 1 : y;
    for (const per of monthPeriods(p.period, prevY, prevM)) {
      yield { key: per.key, start: per.start, deadline: addWorkingDayNumbers(cal, per.end, p.workingDays) };
    }
  }
  const unit: PeriodUnit =
    p.kind === 'monthly' ? 'month' : p.kind === 'quarterly' ? 'quarter' : p.kind === 'halfYearly' ? 'halfYear' : 'year';
  for (const per of monthPeriods(unit, y, m)) {
    let nominal: number;
    if (p.kind === 'monthly') nominal = clampedDay(per.year, per.month, p.day);
    else if (p.kind === 'quarterly' || p.kind === 'halfYearly') nominal = clampedDay(per.year, per.month + p.monthInPeriod - 1, p.day);
    else if (p.kind === 'yearly') nominal = clampedDay(per.year, p.month, p.day);
    else throw new Error('unreachable');
    yield { key: per.key, start: per.start, deadline: shiftDay(cal, nominal, rule.shift) };
  }
}

/**
 * The occurrences of `rule` whose deadline is on or after `fromDate`, in order,
 * none after `rule.endsOn`, at most `rule.maxCount` (counted from `fromDate`, so
 * pass the rule's start date to respect it).
 */
export function* occurrencesFrom(rule: RecurrenceRule, fromDate: LocalDate, cal: WorkCalendar): Generator<Occurrence> {
  const from = dayNumber(fromDate);
  const end = rule.endsOn ? dayNumber(rule.endsOn) : Number.POSITIVE_INFINITY;
  let left = rule.maxCount ?? Number.POSITIVE_INFINITY;
  if (left <= 0) return;
  for (const o of allFrom(rule, from, cal)) {
    if (o.deadline < from) continue;
    if (o.deadline > end) return;
    yield { periodKey: o.key, periodStart: localDate(o.start), deadline: localDate(o.deadline) };
    if (--left <= 0) return;
  }
}

/** The first `count` occurrences from `fromDate` (see occurrencesFrom). */
export function occurrences(rule: RecurrenceRule, fromDate: LocalDate, count: number, cal: WorkCalendar): Occurrence[] {
  const out: Occurrence[] = [];
  if (count <= 0) return out;
  for (const o of occurrencesFrom(rule, fromDate, cal)) {
    out.push(o);
    if (out.length >= count) break;
  }
  return out;
}

const PERIOD_DAYS: Record<RecurrencePattern['kind'], number> = {
  weekly: 7, monthly: 31, quarterly: 92, halfYearly: 184, yearly: 366, afterPeriod: 0,
};

/** Roughly how many days one period of the rule spans (to look back for an occurrence just missed). */
export function periodLengthDays(p: RecurrencePattern): number {
  if (p.kind !== 'afterPeriod') return PERIOD_DAYS[p.kind];
  return { month: 31, quarter: 92, halfYear: 184, year: 366 }[p.period];
}

/** The first day of the rule's period holding `date` (Monday for weekly rules). */
export function periodStartOf(p: RecurrencePattern, date: LocalDate): LocalDate {
  const day = dayNumber(date);
  const d = new Date(day * 86_400_000);
  if (p.kind === 'weekly') return localDate(day - ((d.getUTCDay() + 6) % 7));
  const unit: PeriodUnit =
    p.kind === 'afterPeriod' ? p.period : p.kind === 'monthly' ? 'month' : p.kind === 'quarterly' ? 'quarter' : p.kind === 'halfYearly' ? 'halfYear' : 'year';
  const len = monthsOf(unit);
  const month = Math.floor(d.getUTCMonth() / len) * len + 1;
  return localDate(dayOfYmd(d.getUTCFullYear(), month, 1));
}
