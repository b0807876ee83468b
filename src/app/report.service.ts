// The deadline report: counts per unit and in total, the ranking, the overdue list.
import { countsByUnit, findUnitByCode, overdueTasks, unitsHoldingFirstOverdue, type ReportFilter } from '../db/report.repo.ts';
import type { Db } from '../db/open.ts';
import { calendarDaysBetween } from '../domain/dates.ts';
import { NotFound } from '../domain/errors.ts';
import { rankBy } from '../domain/ranking.ts';
import { onTimeRate } from '../domain/status.ts';
import { fold, normCode } from '../domain/text.ts';
import { emptyReportCounts, type ReportCounts, type ReportData, type ReportQuery, type UnitRow } from './report.types.ts';

const DAY_MS = 86_400_000;
/** config/default.json's nearDeadlineDays, for a query that does not say. */
export const DEFAULT_NEAR_DEADLINE_DAYS = 3;

/** Turns a query into the repository's filter, resolving the unit code. */
export async function toFilter(db: Db, q: ReportQuery): Promise<ReportFilter & { unitName?: string }> {
  // A task assigned after the as-of instant did not exist then (e.g. a recurring occurrence generated ahead).
  const to = q.to === undefined ? q.asOf : Math.min(q.to, q.asOf);
  const dueSoonUntil = q.asOf + (q.nearDeadlineDays ?? DEFAULT_NEAR_DEADLINE_DAYS) * DAY_MS;
  const f: ReportFilter & { unitName?: string } = { asOf: q.asOf, dueSoonUntil, from: q.from, to };
  if (q.unitCode) {
    const u = await findUnitByCode(db, normCode(q.unitCode));
    if (!u) throw new NotFound(`Không có đơn vị mã ${normCode(q.unitCode)}. Kiểm tra lại mã đơn vị.`);
    f.pathPrefix = u.path;
    f.unitName = u.name;
  }
  if (q.assignedBy && fold(q.assignedBy)) f.assignedByKey = fold(q.assignedBy);
  return f;
}

export async function buildReport(db: Db, q: ReportQuery, zone: string): Promise<ReportData> {
  const f = await toFilter(db, q);
  const totals = emptyReportCounts();
  const counts = await countsByUnit(db, f);
  const rows: Omit<UnitRow, 'rank'>[] = counts.map((r) => {
    const c: ReportCounts = {
      total: r.total,
      doneOnTime: r.doneOnTime,
      doneLate: r.doneLate,
      overdue: r.overdue,
      inProgress: r.total - r.doneOnTime - r.doneLate - r.overdue,
      dueSoon: r.dueSoon,
      awaitingConfirmation: r.awaitingConfirmation,
      noDeadline: r.noDeadline,
      suspended: r.suspended,
    };
    for (const k of Object.keys(totals) as (keyof ReportCounts)[]) totals[k] += c[k];
    return { code: r.code, name: r.name, ...c, onTimeRate: onTimeRate(c) };
  });
  const units = rankBy(
    rows,
    (u) => u.onTimeRate,
    // Codes are upper-case ASCII: a plain comparison is stable and far cheaper than localeCompare over 5,000 units.
    (a, b) => b.total - a.total || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  const limit = q.overdueLimit ?? 50;
  // Deadlines repeat (most are the end of a day) and each zone conversion costs a luxon DateTime.
  const days = new Map<number, number>();
  const daysOverdue = (deadline: number): number => {
    let d = days.get(deadline);
    if (d === undefined) days.set(deadline, (d = Math.max(1, calendarDaysBetween(deadline, q.asOf, zone))));
    return d;
  };
  const overdue = (await overdueTasks(db, f, limit, unitsHoldingFirstOverdue(counts, limit))).map((t) => ({
    ...t,
    daysOverdue: daysOverdue(t.effectiveDeadline),
  }));
  return { query: q, unitName: f.unitName, totals, units, overdue };
}
