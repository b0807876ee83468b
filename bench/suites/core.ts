// Issue 2: import rate, report latency against a hand-written SQL floor.
import { buildReport } from '../../src/app/report.service.ts';
import type { Db } from '../../src/db/open.ts';
import { parseInstant } from '../../src/domain/dates.ts';
import type { BuiltProvince } from '../province.ts';
import { ZONE } from '../province.ts';
import { percentile, round, timeRuns } from '../stats.ts';

export function coreSuite(db: Db, built: BuiltProvince, runs = 20): Record<string, number> {
  const from = parseInstant('01/01/2026', { zone: ZONE }).ms;
  const to = parseInstant('31/12/2026', { zone: ZONE, dateOnly: 'end' }).ms;
  const asOf = parseInstant('22/11/2026', { zone: ZONE, dateOnly: 'end' }).ms;
  const q = { asOf, from, to };

  // The floor: the same per-unit counts the report shows, by one hand-written query.
  const floorStmt = db.$client.prepare(
    `SELECT unit_id, count(*) AS total,
            count(*) FILTER (WHERE completed_at <= @asOf AND completed_at <= effective_deadline) AS onTime,
            count(*) FILTER (WHERE completed_at <= @asOf AND completed_at > effective_deadline) AS late,
            count(*) FILTER (WHERE (completed_at IS NULL OR completed_at > @asOf) AND effective_deadline < @asOf) AS overdue
     FROM tasks WHERE assigned_at >= @from AND assigned_at <= @to GROUP BY unit_id`,
  );
  // Province totals only (no per-unit breakdown), for reference.
  const totalsStmt = db.$client.prepare(
    `SELECT count(*) AS total,
            count(*) FILTER (WHERE completed_at <= @asOf AND completed_at <= effective_deadline) AS onTime,
            count(*) FILTER (WHERE completed_at <= @asOf AND completed_at > effective_deadline) AS late,
            count(*) FILTER (WHERE (completed_at IS NULL OR completed_at > @asOf) AND effective_deadline < @asOf) AS overdue
     FROM tasks WHERE assigned_at >= @from AND assigned_at <= @to`,
  );
  const floorRow = totalsStmt.get(q) as { total: number; onTime: number; late: number; overdue: number };
  const report = buildReport(db, q, ZONE);
  if (report.totals.total !== floorRow.total || report.totals.doneOnTime !== floorRow.onTime || report.totals.overdue !== floorRow.overdue) {
    throw new Error(`report and floor disagree: ${JSON.stringify(report.totals)} vs ${JSON.stringify(floorRow)}`);
  }
  // Interleave the two so that machine noise hits both alike.
  const reportMs: number[] = [];
  const floorMs: number[] = [];
  const totalsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    floorMs.push(...timeRuns(1, () => floorStmt.all(q)));
    totalsMs.push(...timeRuns(1, () => totalsStmt.get(q)));
    reportMs.push(...timeRuns(1, () => buildReport(db, q, ZONE)));
  }
  return {
    units: built.units,
    tasks: built.tasks,
    importRowsPerSec: Math.round(built.tasks / (built.importMs / 1000)),
    reportP50Ms: round(percentile(reportMs, 50)),
    reportP99Ms: round(percentile(reportMs, 99)),
    floorP50Ms: round(percentile(floorMs, 50)),
    floorTotalsP50Ms: round(percentile(totalsMs, 50)),
    reportToFloor: round(percentile(reportMs, 50) / percentile(floorMs, 50), 2),
  };
}
