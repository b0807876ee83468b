// The import's floor, measured in the same run: the very task rows the import wrote,
// read back one batch at a time (untimed) and loaded by the engine's fastest bare path
// (bare.ts: a prepared INSERT per row in one transaction per batch on SQLite, COPY on
// PostgreSQL) into a fresh database with the same schema, settings and indexes. The
// batches are the import's (BENCH_BATCH rows per file), so both grow the table alike.
import { asc, gt } from 'drizzle-orm';
import { openDb, type Db } from '../src/db/open.ts';
import { bulkInsert, type Value } from './bare.ts';
import type { Scratch } from './scratch-db.ts';

const TASK_KEYS = [
  'code',
  'title',
  'unitId',
  'assignedBy',
  'assignedByKey',
  'sourceDoc',
  'assignedAt',
  'deadline',
  'effectiveDeadline',
  'completedAt',
  'completedBy',
  'lateReason',
  'note',
  'ruleId',
  'createdAt',
  'updatedAt',
] as const;

export async function importFloor(db: Db, scratch: Scratch, batch: number): Promise<{ rows: number; ms: number }> {
  const target = await scratch.fresh('floor');
  const floor = await openDb(target);
  try {
    const { units, tasks } = db.t;
    // The units as imported (parents left out: no task insert reads them).
    const us = await db.orm.select({ id: units.id, code: units.code, name: units.name, kind: units.kind, path: units.path }).from(units).orderBy(asc(units.id));
    await bulkInsert(floor, floor.t.units, ['id', 'code', 'name', 'kind', 'path'], us.map((u): Value[] => [u.id, u.code, u.name, u.kind, u.path]));
    let ms = 0;
    let rows = 0;
    for (let last = 0; ; ) {
      const page = await db.orm.select().from(tasks).where(gt(tasks.id, last)).orderBy(asc(tasks.id)).limit(batch);
      if (page.length === 0) break;
      last = page[page.length - 1].id;
      const values = page.map((r): Value[] => TASK_KEYS.map((k) => r[k]));
      const t0 = performance.now();
      rows += await bulkInsert(floor, floor.t.tasks, [...TASK_KEYS], values);
      ms += performance.now() - t0;
    }
    return { rows, ms };
  } finally {
    await floor.close();
    await scratch.drop(target);
  }
}
