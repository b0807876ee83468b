// Issue 2: import rate, and the report's latency against a hand-written SQL floor.
import { buildReport, DEFAULT_NEAR_DEADLINE_DAYS } from '../../src/app/report.service.ts';
import { parseInstant } from '../../src/domain/dates.ts';
import { bareQuery } from '../bare.ts';
import { ZONE } from '../province.ts';
import { percentile, round } from '../stats.ts';
import type { Suite } from './suite.ts';

/**
 * The floor: the per-unit counts the report shows, by the fastest single query
 * we know (walk the units, seek each one's tasks in the covering index). It
 * does nothing else: no names, no ranking, no overdue list. Written once for
 * both engines (bare.ts turns the @names into $n on PostgreSQL). It counts what the
 * report counts: the four buckets, and beside them due soon, awaiting confirmation,
 * no deadline and suspended.
 */
const OPEN = '(t.completed_at IS NULL OR t.completed_at > @asOf)';
const SUSPENDED = `(${OPEN} AND t.suspended_at IS NOT NULL AND t.suspended_at <= @asOf)`;

export const FLOOR_SQL = `SELECT u.id AS "unitId",
    count(*) FILTER (WHERE t.effective_deadline IS NOT NULL AND NOT ${SUSPENDED}) AS "total",
    count(*) FILTER (WHERE t.completed_at <= @asOf AND t.completed_at <= t.effective_deadline) AS "doneOnTime",
    count(*) FILTER (WHERE t.completed_at <= @asOf AND t.completed_at > t.effective_deadline) AS "doneLate",
    count(*) FILTER (WHERE ${OPEN} AND NOT ${SUSPENDED} AND t.effective_deadline < @asOf) AS "overdue",
    count(*) FILTER (WHERE ${OPEN} AND NOT ${SUSPENDED} AND t.effective_deadline >= @asOf AND t.effective_deadline <= @until) AS "dueSoon",
    count(*) FILTER (WHERE ${OPEN} AND t.reported_at <= @asOf) AS "awaitingConfirmation",
    count(*) FILTER (WHERE t.effective_deadline IS NULL AND NOT ${SUSPENDED}) AS "noDeadline",
    count(*) FILTER (WHERE ${SUSPENDED}) AS "suspended"
  FROM units u JOIN tasks t ON t.unit_id = u.id
  WHERE t.assigned_at >= @from AND t.assigned_at <= @to
  GROUP BY u.id`;

interface FloorRow {
  unitId: number;
  total: number;
  doneOnTime: number;
  doneLate: number;
  overdue: number;
  dueSoon: number;
  awaitingConfirmation: number;
  noDeadline: number;
  suspended: number;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export const coreSuite: Suite = async ({ db, built, importFloor }) => {
  const runs = Number(process.env.BENCH_REPORT_RUNS ?? 20);
  // The full province, one year (2026), as of 22/11/2026.
  const from = parseInstant('01/01/2026', { zone: ZONE }).ms;
  const to = parseInstant('31/12/2026', { zone: ZONE, dateOnly: 'end' }).ms;
  const asOf = parseInstant('22/11/2026', { zone: ZONE, dateOnly: 'end' }).ms;
  const q = { asOf, from, to };
  // The report counts only tasks assigned by the as-of instant: so does the floor.
  const qFloor = { ...q, to: Math.min(to, asOf), until: asOf + DEFAULT_NEAR_DEADLINE_DAYS * 86_400_000 };
  const floorQuery = bareQuery<FloorRow>(db, FLOOR_SQL);

  // Both must give the same numbers, unit by unit, before either is timed.
  const floor = await floorQuery(qFloor);
  const sum = (k: keyof FloorRow) => floor.reduce((a, r) => a + r[k], 0);
  const report = await buildReport(db, q, ZONE);
  const t = report.totals;
  if (
    report.units.length !== floor.length ||
    t.total !== sum('total') ||
    t.doneOnTime !== sum('doneOnTime') ||
    t.doneLate !== sum('doneLate') ||
    t.overdue !== sum('overdue') ||
    t.dueSoon !== sum('dueSoon') ||
    t.awaitingConfirmation !== sum('awaitingConfirmation') ||
    t.noDeadline !== sum('noDeadline') ||
    t.suspended !== sum('suspended')
  ) {
    throw new Error(`report and floor disagree: ${JSON.stringify(t)} vs ${floor.length} units`);
  }

  // Interleaved so that noise from the machine hits both alike.
  const reportMs: number[] = [];
  const floorMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    floorMs.push(await timed(() => floorQuery(qFloor)));
    reportMs.push(await timed(() => buildReport(db, q, ZONE)));
  }
  return {
    units: built.units,
    tasks: built.tasks,
    importRowsPerSec: Math.round(built.tasks / (built.importMs / 1000)),
    importFloorRowsPerSec: Math.round(importFloor.rows / (importFloor.ms / 1000)),
    // Both rates over the same rows, measured in this run (bench/import-floor.ts).
    importToFloor: round(built.tasks / built.importMs / (importFloor.rows / importFloor.ms), 2),
    reportP50Ms: round(percentile(reportMs, 50)),
    reportP99Ms: round(percentile(reportMs, 99)),
    floorP50Ms: round(percentile(floorMs, 50)),
    floorP99Ms: round(percentile(floorMs, 99)),
    reportToFloor: round(percentile(reportMs, 50) / percentile(floorMs, 50), 2),
  };
};
