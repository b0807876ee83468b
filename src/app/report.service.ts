// The deadline report: counts per unit and in total, the ranking, the overdue list.
import { countsByUnit, findUnitByCode, overdueTasks, type ReportFilter } from '../db/report.repo.ts';
import type { Db } from '../db/open.ts';
import { calendarDaysBetween } from '../domain/dates.ts';
import { NotFound } from '../domain/errors.ts';
import { rankBy } from '../domain/ranking.ts';
import { emptyCounts, onTimeRate } from '../domain/status.ts';
import { fold, normCode } from '../domain/text.ts';
import type { ReportData, ReportQuery, UnitRow } from './report.types.ts';

/** Turns a query into the repository's filter, resolving the unit code. */
export function toFilter(db: Db, q: ReportQuery): ReportFilter & { unitName?: string } {
  const f: ReportFilter & { unitName?: string } = { asOf: q.asOf, from: q.from, to: q.to };
  if (q.unitCode) {
    const u = findUnitByCode(db, normCode(q.unitCode));
    if (!u) throw new NotFound(`Không có đơn vị mã ${normCode(q.unitCode)}. Kiểm tra lại mã đơn vị.`);
    f.pathPrefix = u.path;
    f.unitName = u.name;
  }
  if (q.assignedBy && fold(q.assignedBy)) f.assignedByKey = fold(q.assignedBy);
  return f;
}

export function buildReport(db: Db, q: ReportQuery, zone: string): ReportData {
  const f = toFilter(db, q);
  const totals = emptyCounts();
  const rows: Omit<UnitRow, 'rank'>[] = countsByUnit(db, f).map((r) => {
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
    (a, b) => b.total - a.total || a.code.localeCompare(b.code),
  );
  const overdue = overdueTasks(db, f, q.overdueLimit ?? 50).map((t) => ({
    ...t,
    daysOverdue: Math.max(1, calendarDaysBetween(t.effectiveDeadline, q.asOf, zone)),
  }));
  return { query: q, unitName: f.unitName, totals, units, overdue };
}
