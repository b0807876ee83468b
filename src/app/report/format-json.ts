// The report's JSON form: stable, documented in the README.
import { formatDate, toIsoLocal } from '../../domain/dates.ts';
import type { ReportData } from '../report.types.ts';

export function reportToJson(r: ReportData, zone: string): object {
  const iso = (ms: number | undefined) => (ms === undefined ? null : toIsoLocal(ms, zone));
  return {
    asOf: iso(r.query.asOf),
    from: iso(r.query.from),
    to: iso(r.query.to),
    // The period as printed: its name (null for dates given by hand), first day (null: from the first task) and last day (without one: the as-of day), the cutoff day (null: calendar).
    period: {
      label: r.query.period?.label ?? null,
      from: r.query.from === undefined ? null : formatDate(r.query.from, zone),
      to: formatDate(r.query.to ?? r.query.asOf, zone),
      cutoffDay: r.query.period?.cutoffDay ?? null,
    },
    totals: { ...r.totals },
    units: r.units.map((u) => ({
      code: u.code,
      name: u.name,
      total: u.total,
      doneOnTime: u.doneOnTime,
      doneLate: u.doneLate,
      overdue: u.overdue,
      inProgress: u.inProgress,
      onTimeRate: u.onTimeRate,
    })),
  };
}
