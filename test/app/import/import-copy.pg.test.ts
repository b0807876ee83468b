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
  const e = { needsConfirmation: [] as boolean[], assigneeId: [] as (number | null)[] };
  const d = { sourceDoc: [] as string[], assignedAt: [] as number[], deadline: [] as number[], completedAt: [] as number[], note: [] as (string | null)[] };
  for (let i = 0; i < n; i++) {
    const r: Row = {
      code: `T-${i}`,
      title: `Việc ${i}\tcó tab, \\ và\nxuống dòng`,
      unitId: ids[i % ids.length],
      note: i % 3 ? null : `ghi chú ${i}`,
      completedAt: i % 2 ? now - day : NaN,
      needsConfirmation: i % 4 === 0,
      assigneeId: null,
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
    e.needsConfirmation.push(r.needsConfirmation);
    e.assigneeId.push(r.assigneeId);
  }
  return { length: n, ...c, ...d, needsConfirmation: e.needsConfirmation, assigneeId: e.assigneeId };
}

interface Row {
  code: string;
  title: string;
  unitId: number;
  note: string | null;
  completedAt: number;
  needsConfirmation: boolean;
  assigneeId: number | null;
}

const inOrder = (n: number) => Uint32Array.from({ length: n }, (_, i) => i);
const write = (rows: ImportedTasks, chunk = 1000, has = { hasConfirmation: true, hasAssignee: true }) =>
  db.tx((tx) => writeImportedTasks(tx, rows, inOrder(rows.length), { now, hasNote: true, chunk, ...has }));

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
    // A completion reported in the chat and a later approved extension survive the re-import (T-8 has a deadline; T-4 has none).
    await db.orm.update(tasks).set({ completedAt: now - 2 * day }).where(eq(tasks.code, 'T-8'));
    const [{ id }] = await db.orm.select({ id: tasks.id }).from(tasks).where(eq(tasks.code, 'T-8'));
    await db.orm.insert(extensions).values({ taskId: id, requestedAt: now, newDeadline: now + 100 * day, status: 'approved' });
    const again = rowsOf(2500, (i, r) => {
      r.title = `Sửa ${i}`;
    });
    expect(await write(again)).toBe(1000);
    expect(await taskCount()).toBe(2500);
    const t8 = await db.orm
      .select({ title: tasks.title, done: tasks.completedAt, eff: tasks.effectiveDeadline, note: tasks.note })
      .from(tasks)
      .where(eq(tasks.code, 'T-8'));
    expect(t8).toEqual([{ title: 'Sửa 8', done: now - 2 * day, eff: now + 100 * day, note: null }]);
    const [t3] = await db.orm.select({ note: tasks.note, created: tasks.createdAt }).from(tasks).where(eq(tasks.code, 'T-3'));
    expect(t3).toEqual({ note: 'ghi chú 3', created: now });
    const [first] = await db.orm.select({ title: tasks.title }).from(tasks).where(eq(tasks.code, 'T-2000'));
    expect(first.title).toBe('Sửa 2000');
    expect(await write(rowsOf(3))).toBe(0);
    expect((await titles()).find((t) => t.code === 'T-1')?.title).toBe('Việc 1\tcó tab, \\ và\nxuống dòng');
  });

  it('writes needs_confirmation and the assignee by COPY and through the staged upsert, and keeps them when the sheet lacks the columns', async () => {
    const { tasks, officers } = db.t;
    const [cb] = await db.orm.insert(officers).values({ code: 'CB1', fullName: 'Nguyễn Văn A', unitId: units.get('XA1')!, role: 'officer' }).returning({ id: officers.id });
    const flags = async () => {
      const rows = await db.orm.select({ code: tasks.code, confirm: tasks.needsConfirmation, assignee: tasks.assigneeId }).from(tasks);
      return { confirmed: rows.filter((r) => r.confirm).length, assigned: rows.filter((r) => r.assignee === cb.id).length, t8: rows.find((r) => r.code === 'T-8') };
    };
    expect(await write(rowsOf(1500, (i, r) => (r.assigneeId = i % 3 === 0 ? cb.id : null)))).toBe(1500);
    expect(await flags()).toEqual({ confirmed: 375, assigned: 500, t8: { code: 'T-8', confirm: true, assignee: null } });
    // Known codes (the staged upsert) and new ones (COPY): every value flipped.
    const flipped = rowsOf(2500, (i, r) => {
      r.needsConfirmation = i % 4 !== 0;
      r.assigneeId = i % 3 === 0 ? null : cb.id;
    });
    expect(await write(flipped)).toBe(1000);
    expect(await flags()).toEqual({ confirmed: 1875, assigned: 1666, t8: { code: 'T-8', confirm: false, assignee: cb.id } });
    // Without the columns: the values on record stay.
    expect(await write(rowsOf(2500), 1000, { hasConfirmation: false, hasAssignee: false })).toBe(0);
    expect(await flags()).toEqual({ confirmed: 1875, assigned: 1666, t8: { code: 'T-8', confirm: false, assignee: cb.id } });
  });

  it('writes the three columns through the import service on the server, co-operating units replaced on re-import', async () => {
    const { tasks, taskCooperators } = db.t;
    await importRows(db, 'officers', [{ code: 'CB1', full_name: 'Nguyễn Văn A', unit: 'XA1', role: 'cán bộ' }], opts);
    const row = (i: number, coop: string, confirm: string) => ({
      code: `NV-${i}`,
      title: `Việc ${i}`,
      unit: 'XA1',
      assigned_by: 'UBND tỉnh',
      source_doc: '',
      assigned_at: '01/01/2026',
      deadline: '15/01/2026',
      needs_confirmation: confirm,
      cooperating: coop,
      assignee: i % 2 ? 'CB1' : '',
    });
    const confirmation = { default: false, byIssuer: { 'UBND TỈNH': true } };
    expect(await importRows(db, 'tasks', Array.from({ length: 300 }, (_, i) => row(i, 'SNV;TINH', '')), { ...opts, confirmation })).toMatchObject({ ok: true, inserted: 300 });
    const coops = async () => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${taskCooperators}`))!.n;
    expect(await coops()).toBe(600);
    expect(await importRows(db, 'tasks', Array.from({ length: 400 }, (_, i) => row(i, i < 100 ? '' : 'SNV', 'không')), { ...opts, confirmation })).toMatchObject({ ok: true, inserted: 100, updated: 300 });
    expect(await coops()).toBe(300);
    const [c] = await db.all<{ confirmed: number; assigned: number }>(
      sql`SELECT count(*) FILTER (WHERE ${tasks.needsConfirmation}) AS confirmed, count(${tasks.assigneeId}) AS assigned FROM ${tasks}`,
    );
    expect(c).toEqual({ confirmed: 0, assigned: 200 });
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
