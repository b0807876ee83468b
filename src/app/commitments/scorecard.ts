// Year-end scorecard of commitments (/camket tongket, nhacviec report commitments):
// per unit, targets met / missed / no data, a score and the ranking.
import { targetsOfYear } from '../../db/commitments.repo.ts';
import type { Db } from '../../db/open.ts';
import { commitmentScore, rankUnits, scoreColumn, yearEnd, type TargetStatus } from '../../domain/commitments.ts';
import { evaluateTargets } from './evaluate.ts';

export interface ScorecardTarget {
  code: string;
  indicator: string;
  status: TargetStatus;
  lastValue: number | null;
  measure: string;
}

export interface ScorecardUnit {
  code: string;
  name: string;
  met: number;
  missed: number;
  noData: number;
  /** met / all targets × 100, one decimal; null when the commitment has no targets. */
  score: number | null;
  rank: number;
  targets: ScorecardTarget[];
}

export interface Scorecard {
  year: number;
  asOf: number;
  units: ScorecardUnit[];
}

/**
 * Every unit with a commitment for the year, in rank order. Without asOf the
 * targets are judged as of the end of that year (each one at its due date at
 * the latest, see targetStatus).
 */
export async function scorecard(db: Db, q: { year: number; asOf?: number; zone: string; underPath?: string }): Promise<Scorecard> {
  const asOf = q.asOf ?? yearEnd(q.year, q.zone);
  const byUnit = new Map<string, Omit<ScorecardUnit, 'rank' | 'score'>>();
  // `underPath`: only the units of that subtree (a chair below the top ranks the own units).
  const rows = (await targetsOfYear(db, q.year)).filter((r) => q.underPath === undefined || r.unitPath.startsWith(q.underPath));
  for (const e of await evaluateTargets(db, rows, asOf, q.zone)) {
    let u = byUnit.get(e.row.unitCode);
    if (!u) {
      u = { code: e.row.unitCode, name: e.row.unitName, met: 0, missed: 0, noData: 0, targets: [] };
      byUnit.set(e.row.unitCode, u);
    }
    u[scoreColumn(e.status)] += 1;
    u.targets.push({ code: e.row.code, indicator: e.row.indicator, status: e.status, lastValue: e.last?.value ?? null, measure: e.row.measure });
  }
  const scored = [...byUnit.values()].map((u) => ({ ...u, score: commitmentScore(u) }));
  return { year: q.year, asOf, units: rankUnits(scored) };
}

/** The documented JSON: {"year", "units": [{"code", "name", "met", "missed", "noData", "score", "rank"}]}. */
export function scorecardToJson(s: Scorecard): { year: number; units: Omit<ScorecardUnit, 'targets'>[] } {
  return {
    year: s.year,
    units: s.units.map(({ code, name, met, missed, noData, score, rank }) => ({ code, name, met, missed, noData, score, rank })),
  };
}
