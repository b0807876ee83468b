// The deadline report: counts per unit and in total, the ranking, the overdue list.
import { countsByUnit, findUnitByCode, overdueTasks, unitsHoldingFirstOverdue, type ReportFilter } from '../db/report.repo.ts';
import type { Db } from '../db/open.ts';
import { calendarDaysBetween } from '../domain/dates.ts';
import { NotFound } from '../domain/errors.ts';
import { rankBy } from '../domain/ranking.ts';
import { emptyCounts, onTimeRate } from '../domain/status.ts';
import { fold, normCode } from '../domain/text.ts';
import type { ReportData, ReportQuery, UnitRow } from './report.types.ts';

/** Turns a query into the repository's filter, resolving the unit code. */
export async function toFilter(db: Db, q: ReportQuery): Promise<ReportFilter & { unitName?: string }> {
  // A task assigned after the as-of instant did not exist then (e.g. a recurring occurrence generated ahead).
  const to = q.to === undefined ? q.asOf : Math.min(q.to, q.asOf);
  const f: ReportFilter & { unitName?: string } = { asOf: q.asOf, from: q.from, to };
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
  const totals = emptyCounts();
  const counts = await countsByUnit(db, f);
  const rows: Omit<UnitRow, 'rank'>[] = counts.map((r) => {
    const inProgress = r.total - r.doneOnTime - r.doneLate - r.overdue;
    totals.total += r.total;
    totals.doneOnTime += r.doneOnTime;
    totals.doneLate += r.doneLate;
    totals.overdue += r.overdue;
    totals.inProgress += inProgress;
    const c = { total: r.total, doneOnTime: r.doneOnTime, doneLate: r.doneLate, overdue: r.overdue, inProgress };
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
