// Commitments (cam kết), their targets, measured values, and the two computed
// formulas over the task data. Queries only; the rules are in domain/commitments.ts.
import { and, asc, eq, gte, inArray, isNull, lte, type SQL } from 'drizzle-orm';
import type { Comparator } from '../domain/commitments.ts';
import type { Db } from './open.ts';
import { pathStartsWith } from './report.repo.ts';
import { countWhere, doneLateSql, doneOnTimeSql, overdueSql } from './status.sql.ts';

export interface CommitmentRow {
  id: number;
  year: number;
  signedAt: number | null;
  docRef: string;
}

/** A target with its commitment and unit: what every commitment use case starts from. */
export interface TargetRow {
  id: number;
  commitmentId: number;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  year: number;
  signedAt: number | null;
  docRef: string;
  signers: string | null;
  code: string;
  indicator: string;
  comparator: Comparator;
  target: number;
  measure: string;
  /** Local date yyyy-mm-dd, or null for 31/12. */
  dueDate: string | null;
  computed: string | null;
}

async function targets(db: Db, cond: SQL | undefined, order: SQL[]): Promise<TargetRow[]> {
  const { commitmentTargets: t, commitments: c, units: u } = db.t;
  return db.orm
    .select({
      id: t.id,
      commitmentId: c.id,
      unitId: u.id,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
      year: c.year,
      signedAt: c.signedAt,
      docRef: c.docRef,
      signers: c.signers,
      code: t.code,
      indicator: t.indicator,
      comparator: t.comparator,
      target: t.target,
      measure: t.measure,
      dueDate: t.dueDate,
      computed: t.computed,
    })
    .from(t)
    .innerJoin(c, eq(c.id, t.commitmentId))
    .innerJoin(u, eq(u.id, c.unitId))
    .where(cond)
    .orderBy(...order);
}

/** Every target of every commitment of the year, unit by unit. */
export async function targetsOfYear(db: Db, year: number): Promise<TargetRow[]> {
  const { commitmentTargets: t, commitments: c, units: u } = db.t;
  return targets(db, eq(c.year, year), [asc(u.code), asc(t.code)]);
}

/** The targets of one unit's commitment for the year, by code. */
export async function targetsOfUnitYear(db: Db, unitId: number, year: number): Promise<TargetRow[]> {
  const { commitmentTargets: t, commitments: c } = db.t;
  return targets(db, and(eq(c.unitId, unitId), eq(c.year, year)), [asc(t.code)]);
}

/** Targets with this code in any unit's commitment of the year (a code is unique only within one commitment). */
export async function targetsByCode(db: Db, year: number, code: string): Promise<TargetRow[]> {
  const { commitmentTargets: t, commitments: c, units: u } = db.t;
  return targets(db, and(eq(c.year, year), eq(t.code, code)), [asc(u.code)]);
}

export interface CommitmentHeader extends CommitmentRow {
  signers: string | null;
}

export async function commitmentHeader(db: Db, unitId: number, year: number): Promise<CommitmentHeader | undefined> {
  const { commitments: c } = db.t;
  const rows = await db.orm
    .select({ id: c.id, year: c.year, signedAt: c.signedAt, docRef: c.docRef, signers: c.signers })
    .from(c)
    .where(and(eq(c.unitId, unitId), eq(c.year, year)))
    .limit(1);
  return rows[0];
}

export interface ValueRow {
  targetId: number;
  value: number;
  at: number;
}

/** Ids per query: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
const IDS_PER_QUERY = 5_000;

/** The measured values of the targets, oldest first. */
export async function valuesOfTargets(db: Db, targetIds: readonly number[]): Promise<Map<number, ValueRow[]>> {
  const out = new Map<number, ValueRow[]>();
  const { targetValues: v } = db.t;
  for (let i = 0; i < targetIds.length; i += IDS_PER_QUERY) {
    const rows = await db.orm
      .select({ targetId: v.targetId, value: v.value, at: v.measuredAt })
      .from(v)
      .where(inArray(v.targetId, targetIds.slice(i, i + IDS_PER_QUERY)))
      .orderBy(asc(v.targetId), asc(v.measuredAt), asc(v.id));
    for (const r of rows) {
      const list = out.get(r.targetId);
      if (list) list.push(r);
      else out.set(r.targetId, [r]);
    }
  }
  return out;
}

export async function insertTargetValue(
  db: Db,
  v: { targetId: number; value: number; measuredAt: number; officerId: number | null; source: string | null },
): Promise<number> {
  const { targetValues } = db.t;
  const [row] = await db.orm
    .insert(targetValues)
    .values({ targetId: v.targetId, value: v.value, measuredAt: v.measuredAt, officerId: v.officerId, source: v.source })
    .returning({ id: targetValues.id });
  return row.id;
}

export async function commitmentYearExists(db: Db, unitId: number, year: number): Promise<boolean> {
  const { commitments: c } = db.t;
  const rows = await db.orm
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.unitId, unitId), eq(c.year, year)))
    .limit(1);
  return rows.length > 0;
}

export interface SubtreeTaskCounts {
  doneOnTime: number;
  doneLate: number;
  overdue: number;
}

/**
 * The status buckets of the tasks of a unit and its whole subtree (units.path
 * prefix) assigned in [from, to] and by asOf, as of asOf: taskStatus in SQL.
 */
export async function subtreeTaskCounts(db: Db, q: { pathPrefix: string; from: number; to: number; asOf: number }): Promise<SubtreeTaskCounts> {
  const { tasks: t, units: u } = db.t;
  const rows = await db.orm
    .select({
      doneOnTime: countWhere(doneOnTimeSql(t, q.asOf)),
      doneLate: countWhere(doneLateSql(t, q.asOf)),
      overdue: countWhere(overdueSql(t, q.asOf)),
    })
    .from(u)
    .innerJoin(t, eq(t.unitId, u.id))
    .where(and(pathStartsWith(u.path, q.pathPrefix), gte(t.assignedAt, q.from), lte(t.assignedAt, Math.min(q.to, q.asOf))));
  return rows[0] ?? { doneOnTime: 0, doneLate: 0, overdue: 0 };
}

export interface UnitWithTargets {
  unitId: number;
  code: string;
  name: string;
  targetCodes: string[];
}

/** Units whose commitment of the year has targets entered by hand (not computed). */
export async function unitsWithReportedTargets(db: Db, year: number): Promise<UnitWithTargets[]> {
  const { commitments: c, commitmentTargets: t, units: u } = db.t;
  // One row per target, grouped here (GROUP_CONCAT / string_agg differ between the engines).
  const rows = await db.orm
    .select({ unitId: u.id, code: u.code, name: u.name, targetCode: t.code })
    .from(c)
    .innerJoin(u, eq(u.id, c.unitId))
    .innerJoin(t, eq(t.commitmentId, c.id))
    .where(and(eq(c.year, year), isNull(t.computed), eq(u.active, true)))
    .orderBy(asc(u.code), asc(u.id));
  const out: UnitWithTargets[] = [];
  for (const r of rows) {
    const last = out[out.length - 1];
    if (last && last.unitId === r.unitId) last.targetCodes.push(r.targetCode);
    else out.push({ unitId: r.unitId, code: r.code, name: r.name, targetCodes: [r.targetCode] });
  }
  for (const o of out) o.targetCodes.sort();
  return out;
}
