// Annual commitments (cam kết): reading a value an officer typed, comparing it
// with a target, the status of a target as of an instant, and the scorecard.
// Pure: the zone and the instant are parameters.
import { DateTime } from 'luxon';
import { InvalidInput } from './errors.ts';
import { rankBy } from './ranking.ts';
import { clip } from './text.ts';

export type Comparator = '>=' | '<=' | '=';

/** Formulas over the task data that a target can be bound to instead of reported values. */
export const COMPUTED_FORMULAS = ['on_time_rate', 'overdue_count'] as const;
export type ComputedFormula = (typeof COMPUTED_FORMULAS)[number];

export function isComputedFormula(s: string | null): s is ComputedFormula {
  return s !== null && (COMPUTED_FORMULAS as readonly string[]).includes(s);
}

const NUMBER = /^([+-]?)(\d+)(?:[.,](\d+))?\s*(%?)$/;

/**
 * A value typed by an officer: "98,5", "98.5", "98,5%", "98.5 %", "0", "-2".
 * Thousands separators and words ("85 điểm") are refused: "1.234" would be
 * ambiguous between the two decimal marks offices use.
 */
export function parseTargetValue(input: string): number {
  const text = input.trim().replace(/\u00a0/g, ' ');
  const m = NUMBER.exec(text);
  if (!m) {
    throw new InvalidInput(
      text === ''
        ? 'Thiếu giá trị. Hãy nhập một số, ví dụ: 98,5 hoặc 98,5%.'
        : `"${clip(text, 20)}" không phải là số. Hãy nhập một số, ví dụ: 98,5 hoặc 98,5%.`,
    );
  }
  const n = Number(`${m[1]}${m[2]}${m[3] !== undefined ? `.${m[3]}` : ''}`);
  if (!Number.isFinite(n)) throw new InvalidInput(`"${text.slice(0, 20)}" quá lớn. Hãy nhập một số, ví dụ: 98,5.`);
  return n;
}

/**
 * Tolerance for comparing a measured value with a target: a rate computed as
 * 49/50 × 100 is 98.00000000000001 or 97.99999999999999 depending on the
 * order of operations, and both mean 98.
 */
export function tolerance(target: number): number {
  return 1e-9 * Math.max(1, Math.abs(target));
}

export function meetsTarget(value: number, comparator: Comparator, target: number): boolean {
  const eps = tolerance(target);
  if (comparator === '>=') return value >= target - eps;
  if (comparator === '<=') return value <= target + eps;
  return Math.abs(value - target) <= eps;
}

/**
 * met ✓; atRisk ⚠ (not met, and less than a quarter of the period left or the
 * trend will not reach the target by the due date); missed ✗ (due date passed,
 * not met); noData —; onTrack ⏳ (not met yet, time left and no bad trend).
 */
export type TargetStatus = 'met' | 'atRisk' | 'missed' | 'noData' | 'onTrack';

export const STATUS_SYMBOL: Record<TargetStatus, string> = {
  met: '✓',
  atRisk: '⚠',
  missed: '✗',
  noData: '—',
  onTrack: '⏳',
};

export const STATUS_LABEL: Record<TargetStatus, string> = {
  met: 'đạt',
  atRisk: 'có nguy cơ không đạt',
  missed: 'không đạt',
  noData: 'chưa có số liệu',
  onTrack: 'chưa đạt, đang thực hiện',
};

export interface Measurement {
  value: number;
  /** ms UTC */
  at: number;
}

export interface TargetPeriod {
  /** Start of the period: the signing date, else 1/1 of the year (ms UTC). */
  start: number;
  /** End of the due date, local time (ms UTC). */
  due: number;
}

/**
 * The period a target runs over. The due date is a local date (yyyy-mm-dd),
 * null meaning 31/12 of the year; it ends at the end of that day. The period
 * starts at the signing date when it is in the year, else 1/1.
 */
export function targetPeriod(year: number, signedAt: number | null, dueDate: string | null, zone: string): TargetPeriod {
  const yearStart = DateTime.fromObject({ year, month: 1, day: 1 }, { zone }).toMillis();
  const due = dueDate
    ? DateTime.fromISO(dueDate, { zone }).endOf('day').toMillis()
    : DateTime.fromObject({ year, month: 12, day: 31 }, { zone }).endOf('day').toMillis();
  const start = signedAt !== null && signedAt > yearStart && signedAt < due ? signedAt : yearStart;
  return { start, due };
}

/**
 * The instant a reported value is dated at: when it was measured (or entered),
 * but never after the due date. A value measured after the due date is that
 * year's final value (offices send last year's results in January), so it is
 * dated at the end of the due date, where the year-end verdict reads it; the
 * latest entered of several such values wins.
 */
export function valueInstant(measuredAt: number, period: TargetPeriod): number {
  return Math.min(measuredAt, period.due);
}

/** The last month in which the year just ended can still be updated (31/03). */
export const FINAL_VALUES_UNTIL_MONTH = 3;

/**
 * Which commitment years a value can be entered for from the chat: the current
 * year, and the year just ended until the end of March (its final values).
 * Throws one sentence otherwise.
 */
export function checkUpdatableYear(year: number, now: number, zone: string): void {
  const today = DateTime.fromMillis(now, { zone });
  if (year === today.year) return;
  if (year === today.year - 1 && today.month <= FINAL_VALUES_UNTIL_MONTH) return;
  const graceEnd = DateTime.fromObject({ year: today.year, month: FINAL_VALUES_UNTIL_MONTH }, { zone }).endOf('month').toFormat('dd/MM/yyyy');
  const alsoLast = today.month <= FINAL_VALUES_UNTIL_MONTH ? ` và số liệu cuối năm ${today.year - 1} (đến hết ${graceEnd})` : '';
  throw new InvalidInput(`Chỉ cập nhật được chỉ tiêu năm ${today.year}${alsoLast}; năm ${year} không cập nhật được.`);
}

/** End of 31/12 of the year, local time: the instant a past year is judged at. */
export function yearEnd(year: number, zone: string): number {
  return DateTime.fromObject({ year, month: 12, day: 31 }, { zone }).endOf('day').toMillis();
}

/**
 * Least-squares line through the measurements, evaluated at `at`. Null with
 * fewer than two distinct instants (no trend can be drawn).
 */
export function projectTrend(points: readonly Measurement[], at: number): number | null {
  if (points.length < 2) return null;
  // Centre the instants: ms since the epoch squared loses precision in doubles.
  const t0 = points[0]!.at;
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += p.at - t0;
    sy += p.value;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = p.at - t0 - mx;
    sxx += dx * dx;
    sxy += dx * (p.value - my);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return my + slope * (at - t0 - mx);
}

export interface TargetInput {
  comparator: Comparator;
  target: number;
  period: TargetPeriod;
  /** Measured values in any order; those after the judging instant are ignored. */
  history: readonly Measurement[];
}

export interface TargetVerdict {
  status: TargetStatus;
  /** The value judged (the latest measured by the judging instant), if any. */
  last: Measurement | null;
  /** Where the trend line reaches at the due date, when it was used. */
  projected: number | null;
}

/**
 * The status of a target as of `asOf`. After the due date the target is
 * judged on the values measured by the due date, so a verdict does not change
 * afterwards (a missed target stays missed, the year-end scorecard is stable).
 */
export function targetStatus(t: TargetInput, asOf: number): TargetVerdict {
  const judgedAt = Math.min(asOf, t.period.due);
  const known = t.history.filter((m) => m.at <= judgedAt).sort((a, b) => a.at - b.at);
  const last = known.length > 0 ? known[known.length - 1]! : null;
  if (last === null) return { status: 'noData', last, projected: null };
  if (meetsTarget(last.value, t.comparator, t.target)) return { status: 'met', last, projected: null };
  if (asOf > t.period.due) return { status: 'missed', last, projected: null };
  const length = t.period.due - t.period.start;
  const left = t.period.due - asOf;
  if (left * 4 < length) return { status: 'atRisk', last, projected: null };
  const projected = projectTrend(known, t.period.due);
  if (projected !== null && !meetsTarget(projected, t.comparator, t.target)) return { status: 'atRisk', last, projected };
  return { status: 'onTrack', last, projected };
}

export interface ScoreCounts {
  met: number;
  missed: number;
  noData: number;
}

/**
 * Which scorecard column a status falls in. Every target with data that is not
 * met counts as missed: at year-end that is what it is, and during the year
 * the scorecard is a provisional "not met yet".
 */
export function scoreColumn(s: TargetStatus): keyof ScoreCounts {
  return s === 'met' ? 'met' : s === 'noData' ? 'noData' : 'missed';
}

/**
 * Score of a unit: targets met / all its targets × 100, one decimal. A target
 * without data counts as not met. Null when the commitment has no targets.
 */
export function commitmentScore(c: ScoreCounts): number | null {
  const total = c.met + c.missed + c.noData;
  if (total === 0) return null;
  return Math.round((c.met / total) * 1000) / 10;
}

export interface ScoredUnit extends ScoreCounts {
  code: string;
  name: string;
  score: number | null;
}

/**
 * Ranking as offices publish it: best score first, equal scores share a rank
 * (1, 2, 2, 4); among equals, more targets met first, then by code.
 */
export function rankUnits<T extends ScoredUnit>(units: readonly T[]): (T & { rank: number })[] {
  return rankBy([...units], (u) => u.score, (a, b) => b.met - a.met || a.code.localeCompare(b.code));
}
