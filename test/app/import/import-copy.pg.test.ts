// The tasks import's COPY path, on a real PostgreSQL server only (PGlite has no COPY from a
// client stream): run with NHACVIEC_TEST_PG set, skipped otherwise.
import { asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { importRows } from '../../../src/app/import/import.service.ts';
import { unitIdsByCode } from '../../../src/db/import.repo.ts';
import { writeImportedTasks, type ImportedTasks } from '../../../src/db/import-tasks.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';

const zone = 'Asia/Ho_Chi_Minh';
const now = Date.parse('2026-11-22T03:00:00Z');
const opts = { zone, now };
const day = 86_400_000;

let db: Db;
let units: Map<string, number>;

const taskCount = async () => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${db.t.tasks}`))!.n;
const titles = async () => {
  const { tasks } = db.t;
  return db.orm.select({ code: tasks.code, title: tasks.title }).from(tasks).orderBy(asc(tasks.code));
};

/** n checked rows, codes T-0 … T-(n-1), spread over the units; `edit` changes one row's fields. */
function rowsOf(n: number, edit?: (i: number, r: Row) => void): ImportedTasks {
  const ids = [...units.values()];
  const c = { code: [] as string[], title: [] as string[], unitId: [] as number[], assignedBy: [] as string[], assignedByKey: [] as string[] };
  const d = { sourceDoc: [] as string[], assignedAt: [] as number[], deadline: [] as number[], completedAt: [] as number[], note: [] as (string | null)[] };
  for (let i = 0; i < n; i++) {
    const r: Row = {
      code: `T-${i}`,
      title: `Việc ${i}\tcó tab, \\ và\nxuống dòng`,
      unitId: ids[i % ids.length],
      note: i % 3 ? null : `ghi chú ${i}`,
      completedAt: i % 2 ? now - day : NaN,
    };
    edit?.(i, r);
    c.code.push(r.code);
    c.title.push(r.title);
    c.unitId.push(r.unitId);
    c.assignedBy.push('UBND tỉnh');
    c.assignedByKey.push('ubnd tinh');
    d.sourceDoc.push('KH 02');
    d.assignedAt.push(now - 30 * day);
    // Every fifth task without a deadline (\N in the COPY text).
    d.deadline.push(i % 5 === 4 ? NaN : now + i * 1000);
    d.completedAt.push(r.completedAt);
    d.note.push(r.note);
  }
  return { length: n, ...c, ...d };
}

interface Row {
  code: string;
  title: string;
  unitId: number;
  note: string | null;
  completedAt: number;
}

const inOrder = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
const write = (rows: ImportedTasks, chunk = 1000) => db.tx((tx) => writeImportedTasks(tx, rows, inOrder(rows.length), { now, hasNote: true, chunk }));

describe.skipIf(!process.env.NHACVIEC_TEST_PG)('tasks import by COPY on a PostgreSQL server', () => {
  beforeEach(async () => {
    db = await testDb();
    const r = await importRows(
      db,
      'units',
      [
        { code: 'TINH', name: 'UBND tỉnh', parent: '' },
        { code: 'XA1', name: 'UBND xã', parent: 'TINH' },
        { code: 'SNV', name: 'Sở Nội vụ', parent: 'TINH' },
      ],
      opts,
    );
    expect(r.ok).toBe(true);
    units = await unitIdsByCode(db);
  });

  it("gives a transaction a COPY that runs on the transaction's own connection", async () => {
    await db.tx(async (tx) => {
      if (tx.native.engine !== 'postgres') throw new Error('not PostgreSQL');
      expect(tx.native.copyFrom).toBeTypeOf('function');
      const viaNative = await tx.native.query('SELECT pg_backend_pid() AS pid, txid_current() AS xid');
      const viaOrm = await tx.one<{ pid: number; xid: number }>(sql`SELECT pg_backend_pid() AS pid, txid_current() AS xid`);
      expect(viaNative.rows[0]).toEqual(viaOrm);
    });
  });

  it('writes new rows and updates known codes by the same rules, chunk after chunk, with text that needs escaping', async () => {
    expect(await write(rowsOf(1500))).toBe(1500);
    const { tasks, extensions } = db.t;
    // A completion reported in the chat and a later approved extension survive the re-import.
    await db.orm.update(tasks).set({ completedAt: now - 2 * day }).where(eq(tasks.code, 'T-4'));
    const [{ id }] = await db.orm.select({ id: tasks.id }).from(tasks).where(eq(tasks.code, 'T-4'));
    await db.orm.insert(extensions).values({ taskId: id, requestedAt: now, newDeadline: now + 100 * day, status: 'approved' });
    const again = rowsOf(2500, (i, r) => {
      r.title = `Sửa ${i}`;
    });
    expect(await write(again)).toBe(1000);
    expect(await taskCount()).toBe(2500);
    const t4 = await db.orm
      .select({ title: tasks.title, done: tasks.completedAt, eff: tasks.effectiveDeadline, note: tasks.note })
      .from(tasks)
      .where(eq(tasks.code, 'T-4'));
    expect(t4).toEqual([{ title: 'Sửa 4', done: now - 2 * day, eff: now + 100 * day, note: null }]);
    const [t3] = await db.orm.select({ note: tasks.note, created: tasks.createdAt }).from(tasks).where(eq(tasks.code, 'T-3'));
    expect(t3).toEqual({ note: 'ghi chú 3', created: now });
    const [first] = await db.orm.select({ title: tasks.title }).from(tasks).where(eq(tasks.code, 'T-2000'));
    expect(first.title).toBe('Sửa 2000');
    expect(await write(rowsOf(3))).toBe(0);
    expect((await titles()).find((t) => t.code === 'T-1')?.title).toBe('Việc 1\tcó tab, \\ và\nxuống dòng');
  });

  const bad: [string, (i: number, r: Row) => void][] = [
    // A unit that does not exist: the foreign key, checked at the end of the COPY into tasks.
    ['a new row with an unknown unit', (i, r) => (i === 2500 ? (r.unitId = 999_999) : undefined)],
    // A NUL character: refused by COPY itself, in the middle of its stream.
    ['a new row with a value PostgreSQL cannot store', (i, r) => (i === 2500 ? (r.title = 'a\u0000b') : undefined)],
    // A known code: the row fails in the upsert from the temporary table.
    ['a known code with an unknown unit', (i, r) => (i === 1 ? (r.unitId = 999_999) : undefined)],
  ];

  it.each(bad)('writes nothing when %s comes after whole chunks went in', async (_name, edit) => {
    expect(await write(rowsOf(3))).toBe(3);
    const before = await titles();
    const rows = rowsOf(4000, (i, r) => {
      r.title = `Mới ${i}`;
      edit(i, r);
    });
    await expect(write(rows)).rejects.toThrow();
    expect(await taskCount()).toBe(3);
    expect(await titles()).toEqual(before);
    // The connection is back in the pool in a good state, and the temporary table is gone with the transaction.
    expect(await write(rowsOf(10))).toBe(7);
  });

  it('writes nothing through the import service when a row the checks accept fails on the server', async () => {
    const row = (i: number) => ({
      code: `NV-${i}`,
      title: i === 1500 ? 'a\u0000b' : `Việc ${i}`,
      unit: i % 2 ? 'XA1' : 'SNV',
      assigned_by: 'UBND tỉnh',
      source_doc: 'KH 02',
      assigned_at: '01/01/2026',
      deadline: '15/01/2026',
    });
    expect(await importRows(db, 'tasks', [row(1), row(2)], opts)).toMatchObject({ ok: true, inserted: 2 });
    await expect(importRows(db, 'tasks', Array.from({ length: 3000 }, (_, i) => row(i + 1)), opts)).rejects.toThrow();
    expect(await taskCount()).toBe(2);
  });

  it('sends a code another connection created after the lookup through the upsert', async () => {
    const { tasks } = db.t;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const ready = new Promise<void>((r) => (inserted = r));
    // Another connection creates T-5 and holds its transaction open: the import's lookup cannot see it.
    const other = db.tx(async (tx) => {
      await tx.orm.insert(tasks).values({ code: 'T-5', title: 'từ chat', unitId: units.get('XA1')!, assignedAt: now, deadline: now, effectiveDeadline: now, createdAt: 1, updatedAt: 1 });
      inserted();
      await held;
    });
    await ready;
    const importing = write(rowsOf(20));
    // Once the import's COPY waits on that uncommitted code, let the other transaction commit.
    let waiting = false;
    for (let waited = 0; !waiting && waited < 10_000; waited += 50) {
      const w = await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      waiting = w!.n > 0;
      if (!waiting) await new Promise((r) => setTimeout(r, 50));
    }
    release();
    expect(waiting).toBe(true);
    await other;
    expect(await importing).toBe(19);
    expect(await taskCount()).toBe(20);
    const [t5] = await db.orm.select({ title: tasks.title, created: tasks.createdAt }).from(tasks).where(eq(tasks.code, 'T-5'));
    expect(t5).toEqual({ title: 'Việc 5\tcó tab, \\ và\nxuống dòng', created: 1 });
  });
});
