// Whose numbers a page shows, and those numbers from the report service (the chat's and
// `nhacviec report`'s code): a chair the own subtree (a province chair the whole tree, as
// /tinhhinh), a head the own unit and below, an officer or admin the own unit only.
import { DateTime } from 'luxon';
import { buildReport } from '../../app/report.service.ts';
import { emptyReportCounts, type ReportCounts, type ReportData, type UnitRow as ReportUnitRow } from '../../app/report.types.ts';
import type { Db } from '../../db/open.ts';
import { childUnits, unitsUnder } from '../../db/pages.repo.ts';
import { unitByCode, type UnitRow } from '../../db/units.repo.ts';
import { NotFound } from '../../domain/errors.ts';
import { parsePeriod } from '../../domain/period.ts';
import { rankBy } from '../../domain/ranking.ts';
import { emptyCounts, onTimeRate, type StatusCounts } from '../../domain/status.ts';
import type { Viewer, WebDeps } from '../types.ts';

export interface ViewScope {
  /** The viewer's unit. */
  unit: UnitRow;
  /** The numbers cover the unit and everything under it (false: the unit's own tasks only). */
  subtree: boolean;
  /** A chair at the top of the tree: the whole tree, as /tinhhinh counts it without a unit. */
  wholeTree: boolean;
}

export async function scopeOf(db: Db, v: Viewer): Promise<ViewScope> {
  const unit = await unitByCode(db, v.unitCode);
  if (!unit) throw new NotFound(`Không tìm thấy đơn vị ${v.unitCode} của anh/chị. Hãy báo Phòng Nội vụ.`);
  const subtree = v.role === 'chair' || v.role === 'head';
  return { unit, subtree, wholeTree: v.role === 'chair' && /^\/\d+\/$/.test(v.unitPath) };
}

export interface ScopeCounts {
  counts: StatusCounts;
  rate: number | null;
  report: ReportData;
}

/** The report of a unit's own tasks: its row of the report over its subtree. */
export function ownRow(report: ReportData, code: string): ReportCounts {
  const r = report.units.find((u) => u.code === code);
  if (!r) return emptyReportCounts();
  const { total, doneOnTime, doneLate, overdue, inProgress, dueSoon, awaitingConfirmation, noDeadline, suspended } = r;
  return { total, doneOnTime, doneLate, overdue, inProgress, dueSoon, awaitingConfirmation, noDeadline, suspended };
}

/** The report for the scope over a period (counts as of asOf), through the report service. */
export async function scopeCounts(deps: WebDeps, scope: ViewScope, q: { from: number; to: number; asOf: number; label?: string; cutoffDay?: number | null }): Promise<ScopeCounts> {
  const report = await buildReport(
    deps.db,
    {
      asOf: q.asOf,
      from: q.from,
      to: q.to,
      unitCode: scope.wholeTree ? undefined : scope.unit.code,
      overdueLimit: 0,
      period: q.label ? { label: q.label, cutoffDay: q.cutoffDay ?? null } : undefined,
    },
    deps.config.zone,
  );
  const counts = scope.subtree ? report.totals : ownRow(report, scope.unit.code);
  return { counts, rate: onTimeRate(counts), report };
}

export interface MonthRow extends StatusCounts {
  month: number;
  /** The chat's words for the month ("thang 3/2026"), for the link to it. */
  ky: string;
  /** False for a month not started yet (zeros). */
  started: boolean;
}

/** Month by month, each month counted as /tinhhinh tháng m/yyyy counts it. */
export async function monthlyCounts(deps: WebDeps, scope: ViewScope, year: number): Promise<MonthRow[]> {
  const now = deps.now();
  const out: MonthRow[] = [];
  for (let m = 1; m <= 12; m++) {
    const ky = `thang ${m}/${year}`;
    const p = parsePeriod(ky, now, deps.config.zone, deps.config.reportCutoffDay ?? null);
    if (p.from > now) {
      out.push({ month: m, ky, started: false, ...emptyCounts() });
      continue;
    }
    const { counts } = await scopeCounts(deps, scope, { from: p.from, to: p.to, asOf: Math.min(now, p.to) });
    out.push({ month: m, ky, started: true, ...counts });
  }
  return out;
}

/** The year a period's trend chart shows: the year its end falls in. */
export function yearOfPeriodEnd(to: number, zone: string): number {
  return DateTime.fromMillis(to, { zone }).year;
}

export interface ChildRow extends StatusCounts {
  id: number;
  path: string;
  code: string;
  name: string;
  onTimeRate: number | null;
  rank: number;
}

/**
 * The units directly under `parent`, each with its subtree's counts, ranked by on-time
 * rate as the report ranks (equal rates share a rank; more tasks first; then code).
 * The report given must cover the parent's subtree: its per-unit rows are summed up.
 */
export async function childrenRanked(db: Db, parent: UnitRow, report: ReportData): Promise<ChildRow[]> {
  const children = await childUnits(db, parent.id);
  if (children.length === 0) return [];
  const pathOf = new Map((await unitsUnder(db, parent.path)).map((u) => [u.code, u.path]));
  const sums = children.map((ch) => ({ ch, c: emptyCounts() }));
  for (const r of report.units as ReportUnitRow[]) {
    const path = pathOf.get(r.code);
    if (path === undefined) continue;
    const slot = sums.find((s) => path.startsWith(s.ch.path));
    if (!slot) continue;
    slot.c.total += r.total;
    slot.c.doneOnTime += r.doneOnTime;
    slot.c.doneLate += r.doneLate;
    slot.c.overdue += r.overdue;
    slot.c.inProgress += r.inProgress;
  }
  const rows = sums.map(({ ch, c }) => ({ id: ch.id, path: ch.path, code: ch.code, name: ch.name, ...c, onTimeRate: onTimeRate(c) }));
  return rankBy(rows, (u) => u.onTimeRate, (a, b) => b.total - a.total || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
