// The spreadsheet import's queries for units, officers and commitments (tasks: import-tasks.repo.ts).
// Every write function runs inside the caller's transaction (the import is all or nothing).
import { and, count, desc, eq, inArray, lte, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { Comparator, Role } from './schema.ts';

/** The row proposed for insertion, in ON CONFLICT … DO UPDATE (the same word on both engines). */
export function excluded(col: AnyColumn): SQL {
  return sql.raw(`excluded."${col.name}"`);
}

/** Rows per multi-row statement: well under both engines' bound-parameter limits (SQLite 32,766). */
export function batchSize(columns: number): number {
  return Math.max(1, Math.floor(30_000 / columns));
}

export async function unitIdsByCode(db: Db): Promise<Map<string, number>> {
  const { units } = db.t;
  const rows = await db.orm.select({ id: units.id, code: units.code }).from(units);
  return new Map(rows.map((u) => [u.code, u.id]));
}

export interface OfficerOfCode {
  id: number;
  unitId: number;
  active: boolean;
}

/** Every officer by code, for the tasks import's assignee column. */
export async function officersByCode(db: Db): Promise<Map<string, OfficerOfCode>> {
  const { officers } = db.t;
  const rows = await db.orm.select({ id: officers.id, code: officers.code, unitId: officers.unitId, active: officers.active }).from(officers);
  return new Map(rows.map((o) => [o.code, { id: o.id, unitId: o.unitId, active: Boolean(o.active) }]));
}

/** Every unit's code with its parent's code (null at the top). */
export async function unitParentCodes(db: Db): Promise<Map<string, string | null>> {
  const { units } = db.t;
  const rows = await db.orm.select({ id: units.id, code: units.code, parentId: units.parentId }).from(units);
  const codeOf = new Map(rows.map((u) => [u.id, u.code]));
  return new Map(rows.map((u) => [u.code, u.parentId === null ? null : (codeOf.get(u.parentId) ?? null)]));
}

export async function countUnits(db: Db): Promise<number> {
  const [r] = await db.orm.select({ n: count() }).from(db.t.units);
  return r.n;
}

async function countOf(db: Db, table: 'officers' | 'commitmentTargets'): Promise<number> {
  const [r] = await db.orm.select({ n: count() }).from(db.t[table]);
  return r.n;
}

type Progress = ((done: number, total: number) => void) | undefined;

export interface ImportedUnit {
  code: string;
  name: string;
  kind: string | null;
  parent: string | null;
}

/** Upserts units by code, then sets their parents and every materialised path that changed. */
export async function upsertImportedUnits(tx: Db, rows: ImportedUnit[], onProgress?: Progress): Promise<{ inserted: number; updated: number }> {
  const { units } = tx.t;
  const before = await countUnits(tx);
  const step = batchSize(4);
  for (let i = 0; i < rows.length; i += step) {
    const chunk = rows.slice(i, i + step);
    await tx.orm
      .insert(units)
      .values(chunk.map((u) => ({ code: u.code, name: u.name, kind: u.kind, path: '/' })))
      .onConflictDoUpdate({ target: units.code, set: { name: excluded(units.name), kind: excluded(units.kind) } });
    onProgress?.(i, rows.length * 2);
  }
  const all = await tx.orm.select({ id: units.id, code: units.code, parentId: units.parentId }).from(units);
  const byCode = new Map(all.map((u) => [u.code, u]));
  const moves: [number, number | null][] = [];
  for (const u of rows) {
    const row = byCode.get(u.code);
    if (!row) continue;
    const parentId = u.parent === null ? null : (byCode.get(u.parent)?.id ?? null);
    if (row.parentId !== parentId) moves.push([row.id, parentId]);
  }
  await setById(tx, 'parentId', moves);
  onProgress?.(rows.length * 2 - 1, rows.length * 2);
  await rebuildUnitPaths(tx);
  const inserted = (await countUnits(tx)) - before;
  return { inserted, updated: rows.length - inserted };
}

/**
 * One UPDATE per batch (a CASE on the id) instead of one per unit: a province has thousands.
 * Small batches: each matched row walks the CASE.
 */
async function setById(tx: Db, column: 'parentId' | 'path', pairs: [number, number | string | null][]): Promise<void> {
  const { units } = tx.t;
  const step = 200;
  for (let i = 0; i < pairs.length; i += step) {
    const chunk = pairs.slice(i, i + step);
    const value =
      column === 'parentId'
        ? (v: number | string | null) => sql`CAST(${v} AS INTEGER)`
        : (v: number | string | null) => sql`CAST(${v} AS TEXT)`;
    const cases = sql.join(
      chunk.map(([id, v]) => sql`WHEN ${id} THEN ${value(v)}`),
      sql` `,
    );
    await tx.orm
      .update(units)
      .set({ [column]: sql`CASE ${units.id} ${cases} END` })
      .where(
        inArray(
          units.id,
          chunk.map(([id]) => id),
        ),
      );
  }
}

/** Recomputes the materialised path of every unit whose path changed. */
export async function rebuildUnitPaths(tx: Db): Promise<void> {
  const { units } = tx.t;
  const all = await tx.orm.select({ id: units.id, parentId: units.parentId, path: units.path }).from(units);
  const byId = new Map(all.map((u) => [u.id, u]));
  const computed = new Map<number, string>();
  const pathOf = (id: number, depth = 0): string => {
    const known = computed.get(id);
    if (known) return known;
    const u = byId.get(id)!;
    const p = u.parentId && depth < all.length ? `${pathOf(u.parentId, depth + 1)}${id}/` : `/${id}/`;
    computed.set(id, p);
    return p;
  };
  const changed: [number, string][] = [];
  for (const u of all) {
    const p = pathOf(u.id);
    if (p !== u.path) changed.push([u.id, p]);
  }
  await setById(tx, 'path', changed);
}

export interface ImportedOfficer {
  code: string;
  fullName: string;
  unitId: number;
  role: Role;
  title: string | null;
  phone: string | null;
}

export async function upsertImportedOfficers(tx: Db, rows: ImportedOfficer[], onProgress?: Progress): Promise<{ inserted: number; updated: number }> {
  const { officers } = tx.t;
  const before = await countOf(tx, 'officers');
  const step = batchSize(6);
  for (let i = 0; i < rows.length; i += step) {
    await tx.orm
      .insert(officers)
      .values(rows.slice(i, i + step))
      .onConflictDoUpdate({
        target: officers.code,
        set: {
          fullName: excluded(officers.fullName),
          unitId: excluded(officers.unitId),
          role: excluded(officers.role),
          title: excluded(officers.title),
          phone: excluded(officers.phone),
        },
      });
    onProgress?.(i, rows.length);
  }
  const inserted = (await countOf(tx, 'officers')) - before;
  return { inserted, updated: rows.length - inserted };
}

export interface ImportedTarget {
  unitId: number;
  year: number;
  signedAt: number | null;
  docRef: string;
  signers: string;
  code: string;
  indicator: string;
  comparator: Comparator;
  target: number;
  measure: string;
  current: number | null;
  /** When "Hiện đạt" is dated (ms UTC): its "Ngày số liệu" or the import, no later than the due date. */
  currentAt: number;
  computed: string | null;
  dueDate: string | null;
}

/**
 * Upserts each row's commitment (unit, year) and target, and records "Hiện đạt" as a
 * value dated `currentAt` when it differs from the last one by then (so a file
 * imported twice adds nothing). Row by row: a sheet holds tens of targets,
 * and rows of one commitment update it in turn.
 */
export async function upsertImportedTargets(tx: Db, rows: ImportedTarget[]): Promise<{ inserted: number; updated: number }> {
  const { commitments, commitmentTargets, targetValues } = tx.t;
  const before = await countOf(tx, 'commitmentTargets');
  for (const t of rows) {
    const [c] = await tx.orm
      .insert(commitments)
      .values({ unitId: t.unitId, year: t.year, signedAt: t.signedAt, docRef: t.docRef, signers: t.signers === '' ? null : t.signers })
      .onConflictDoUpdate({
        target: [commitments.unitId, commitments.year],
        set: {
          signedAt: sql`coalesce(${excluded(commitments.signedAt)}, ${commitments.signedAt})`,
          docRef: sql`CASE WHEN ${excluded(commitments.docRef)} = '' THEN ${commitments.docRef} ELSE ${excluded(commitments.docRef)} END`,
          signers: sql`coalesce(${excluded(commitments.signers)}, ${commitments.signers})`,
        },
      })
      .returning({ id: commitments.id });
    const [target] = await tx.orm
      .insert(commitmentTargets)
      .values({
        commitmentId: c.id,
        code: t.code,
        indicator: t.indicator,
        comparator: t.comparator,
        target: t.target,
        measure: t.measure,
        dueDate: t.dueDate,
        computed: t.computed,
      })
      .onConflictDoUpdate({
        target: [commitmentTargets.commitmentId, commitmentTargets.code],
        set: {
          indicator: excluded(commitmentTargets.indicator),
          comparator: excluded(commitmentTargets.comparator),
          target: excluded(commitmentTargets.target),
          measure: excluded(commitmentTargets.measure),
          dueDate: excluded(commitmentTargets.dueDate),
          computed: excluded(commitmentTargets.computed),
        },
      })
      .returning({ id: commitmentTargets.id });
    if (t.current !== null && t.computed === null) {
      const [last] = await tx.orm
        .select({ value: targetValues.value })
        .from(targetValues)
        .where(and(eq(targetValues.targetId, target.id), lte(targetValues.measuredAt, t.currentAt)))
        .orderBy(desc(targetValues.measuredAt), desc(targetValues.id))
        .limit(1);
      if (!last || last.value !== t.current) {
        await tx.orm.insert(targetValues).values({ targetId: target.id, value: t.current, measuredAt: t.currentAt, source: 'import' });
      }
    }
  }
  const inserted = (await countOf(tx, 'commitmentTargets')) - before;
  return { inserted, updated: rows.length - inserted };
}
