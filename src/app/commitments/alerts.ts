// What the scheduler needs about commitments: targets at risk (weekly summary),
// targets whose due date is near (reminders 30 and 7 days before), and the
// units that report values by hand (monthly prompt).
import { DateTime } from 'luxon';
import { targetsOfYear, unitsWithReportedTargets as reportedUnits, type UnitWithTargets } from '../../db/commitments.repo.ts';
import type { Db } from '../../db/open.ts';
import { STATUS_SYMBOL, type TargetStatus } from '../../domain/commitments.ts';
import { calendarDaysBetween, DEFAULT_ZONE, formatDate } from '../../domain/dates.ts';
import { evaluateTargets, type EvaluatedTarget } from './evaluate.ts';
import { goalText, withMeasure } from './texts.ts';

export interface TargetAlert {
  targetId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  code: string;
  indicator: string;
  status: TargetStatus;
  lastValue: number | null;
  /** End of the due date (ms UTC). */
  dueAt: number;
  /** One Vietnamese line about the target; it contains the target code. */
  text: string;
}

function alertOf(e: EvaluatedTarget, text: string): TargetAlert {
  return {
    targetId: e.row.id,
    unitId: e.row.unitId,
    unitCode: e.row.unitCode,
    unitName: e.row.unitName,
    code: e.row.code,
    indicator: e.row.indicator,
    status: e.status,
    lastValue: e.last?.value ?? null,
    dueAt: e.period.due,
    text,
  };
}

function nowText(e: EvaluatedTarget): string {
  return e.last === null ? 'chưa có số liệu' : `hiện ${withMeasure(e.last.value, e.row.measure)}`;
}

/** Targets in one of the statuses as of asOf, in the commitments of asOf's year, by unit then code. */
export async function targetsWithStatus(db: Db, q: { asOf: number; zone: string }, statuses: readonly TargetStatus[]): Promise<TargetAlert[]> {
  const year = DateTime.fromMillis(q.asOf, { zone: q.zone }).year;
  return (await evaluateTargets(db, await targetsOfYear(db, year), q.asOf, q.zone))
    .filter((e) => statuses.includes(e.status))
    .map((e) =>
      alertOf(
        e,
        `${STATUS_SYMBOL[e.status]} ${e.row.unitName}: ${e.row.code} ${e.row.indicator} ${goalText(e.row.comparator, e.row.target, e.row.measure)}, ${nowText(e)}, hạn ${formatDate(e.period.due, q.zone)}`,
      ),
    );
}

/** Targets at risk (⚠) as of asOf, in the commitments of asOf's year, by unit then code. */
export async function targetsAtRisk(db: Db, q: { asOf: number; zone: string }): Promise<TargetAlert[]> {
  return targetsWithStatus(db, q, ['atRisk']);
}

export interface DueSoonAlert extends TargetAlert {
  /** The reminder this belongs to: the smallest of `days` that is ≥ the days left. */
  bucket: number;
  daysLeft: number;
}

/**
 * Targets not met yet whose due date is at most max(days) calendar days after
 * asOf's date. Each carries the bucket it has reached (with days [30, 7]: 30
 * while 8–30 days are left, 7 from then on), so a caller that keys its outbox
 * on (targetId, bucket) sends each reminder once, and still sends it when a
 * tick missed the exact day.
 */
export async function targetsDueSoon(db: Db, q: { asOf: number; days: readonly number[]; zone?: string }): Promise<DueSoonAlert[]> {
  const zone = q.zone ?? DEFAULT_ZONE;
  const buckets = [...q.days].sort((a, b) => a - b);
  if (buckets.length === 0) return [];
  const year = DateTime.fromMillis(q.asOf, { zone }).year;
  // A target of next year's commitment can fall due within the window too (in December).
  const rows = [...(await targetsOfYear(db, year)), ...(await targetsOfYear(db, year + 1))];
  const out: DueSoonAlert[] = [];
  for (const e of await evaluateTargets(db, rows, q.asOf, zone)) {
    if (e.status === 'met' || e.period.due < q.asOf) continue;
    const daysLeft = calendarDaysBetween(q.asOf, e.period.due, zone);
    const bucket = buckets.find((d) => daysLeft <= d);
    if (bucket === undefined) continue;
    const when = daysLeft === 0 ? 'hôm nay' : `còn ${daysLeft} ngày`;
    const text =
      `⏰ Chỉ tiêu ${e.row.code} (${e.row.indicator}) của ${e.row.unitName} đến hạn ${formatDate(e.period.due, zone)} (${when}): ` +
      `cam kết ${goalText(e.row.comparator, e.row.target, e.row.measure)}, ${nowText(e)} — ${STATUS_SYMBOL[e.status]}.`;
    out.push({ ...alertOf(e, text), bucket, daysLeft });
  }
  return out;
}

export interface MonthlyPrompt extends UnitWithTargets {
  /** The prompt to send to the unit. */
  text: string;
}

/** Units whose commitment of the year has reported targets, with the monthly prompt for fresh values. */
export async function unitsWithReportedTargets(db: Db, year: number): Promise<MonthlyPrompt[]> {
  return (await reportedUnits(db, year)).map((u) => ({
    ...u,
    text:
      `📊 Đề nghị ${u.name} cập nhật số liệu các chỉ tiêu cam kết năm ${year}: ${u.targetCodes.join(', ')}.\n` +
      `Gõ: /camket capnhat <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat ${u.targetCodes[0]} 98,5%.`,
  }));
}
