import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reportToJson } from '../../../src/app/report/format-json.ts';
import { formatReportText } from '../../../src/app/report/format-text.ts';
import { reportToXlsx } from '../../../src/app/report/format-xlsx.ts';
import { safeCell } from '../../../src/app/report/safe-cell.ts';
import { buildReport } from '../../../src/app/report.service.ts';
import type { Db } from '../../../src/db/open.ts';
import { taskStatus } from '../../../src/domain/status.ts';
import { fold } from '../../../src/domain/text.ts';
import { testDb } from '../../helpers/db.ts';

const zone = 'Asia/Ho_Chi_Minh';
const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

async function seedUnits(db: Db): Promise<void> {
  await db.orm.insert(db.t.units).values([
    { id: 1, code: 'TINH', name: 'UBND tỉnh', parentId: null, path: '/1/' },
    { id: 2, code: 'SNV', name: 'Sở Nội vụ', parentId: 1, path: '/1/2/' },
    { id: 3, code: 'XA1', name: 'UBND xã A', parentId: 1, path: '/1/3/' },
    { id: 4, code: 'XA2', name: 'UBND xã B', parentId: 1, path: '/1/4/' },
  ]);
}

interface NewTask {
  unitId: number;
  assignedAt: number;
  deadline: number;
  completedAt: number | null;
  assignedBy?: string;
  title?: string;
}

let seq = 0;
/** Inserts the tasks in order (codes NV-1, NV-2, … in entry order), in one statement. */
async function addTasks(db: Db, list: NewTask[]): Promise<void> {
  if (list.length === 0) return;
  const rows = list.map((t) => {
    seq++;
    return {
      code: `NV-${seq}`,
      title: t.title ?? `Nhiệm vụ ${seq}`,
      unitId: t.unitId,
      assignedBy: t.assignedBy ?? 'UBND tỉnh',
      assignedByKey: fold(t.assignedBy ?? 'UBND tỉnh'),
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.deadline,
      completedAt: t.completedAt,
      createdAt: 0,
      updatedAt: 0,
    };
  });
  await db.orm.insert(db.t.tasks).values(rows);
}

const addTask = (db: Db, t: NewTask) => addTasks(db, [t]);

describe('buildReport', () => {
  it('counts in SQL exactly what the domain rule says, for any task set and as-of instant (tasks assigned later left out)', async () => {
    const task = fc.record({
      unitId: fc.integer({ min: 2, max: 4 }),
      assignedAt: fc.integer({ min: 0, max: 100 }),
      len: fc.integer({ min: 0, max: 60 }),
      done: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
    });
    // One database for the property (a fresh one per run costs a TRUNCATE of every table on PostgreSQL); each run starts without tasks.
    const db = await testDb();
    await seedUnits(db);
    await fc.assert(
      fc.asyncProperty(fc.array(task, { maxLength: 40 }), fc.integer({ min: 0, max: 200 }), async (tasks, asOfDay) => {
        await db.orm.delete(db.t.tasks);
        const asOf = T0 + asOfDay * DAY;
        const expected = { total: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0 };
        const rows: NewTask[] = [];
        for (const t of tasks) {
          const assignedAt = T0 + t.assignedAt * DAY;
          const deadline = assignedAt + t.len * DAY;
          const completedAt = t.done === null ? null : assignedAt + t.done * DAY;
          rows.push({ unitId: t.unitId, assignedAt, deadline, completedAt });
          if (assignedAt > asOf) continue; // not yet assigned as of that instant
          expected.total++;
          expected[taskStatus({ effectiveDeadline: deadline, completedAt }, asOf)]++;
        }
        await addTasks(db, rows);
        expect((await buildReport(db, { asOf }, zone)).totals).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('lists exactly the most overdue tasks (deadline, then entry order), whatever the limit, also under filters', async () => {
    const task = fc.record({
      unitId: fc.integer({ min: 1, max: 4 }),
      assignedAt: fc.integer({ min: 0, max: 100 }),
      len: fc.integer({ min: 0, max: 30 }),
      done: fc.option(fc.integer({ min: 0, max: 120 }), { nil: null }),
      body: fc.constantFrom('UBND tỉnh', 'Sở Nội vụ'),
    });
    const query = fc.record({
      asOfDay: fc.integer({ min: 0, max: 150 }),
      limit: fc.integer({ min: 0, max: 6 }),
      unitCode: fc.constantFrom(undefined, 'TINH', 'XA1'),
      assignedBy: fc.constantFrom(undefined, 'so noi vu'),
      fromDay: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    });
    const db = await testDb();
    await seedUnits(db);
    await fc.assert(
      fc.asyncProperty(fc.array(task, { maxLength: 40 }), query, async (tasks, qq) => {
        await db.orm.delete(db.t.tasks);
        const asOf = T0 + qq.asOfDay * DAY;
        const from = qq.fromDay === undefined ? undefined : T0 + qq.fromDay * DAY;
        const inSubtree = (id: number) => qq.unitCode !== 'XA1' || id === 3;
        const expected: { code: string; deadline: number; seq: number }[] = [];
        const rows: NewTask[] = [];
        tasks.forEach((t, i) => {
          const assignedAt = T0 + t.assignedAt * DAY;
          const deadline = assignedAt + t.len * DAY + 17 * 3_600_000;
          const completedAt = t.done === null ? null : assignedAt + t.done * DAY;
          rows.push({ unitId: t.unitId, assignedAt, deadline, completedAt, assignedBy: t.body, title: `T${i}` });
          const selected =
            (from === undefined || assignedAt >= from) && inSubtree(t.unitId) && (qq.assignedBy === undefined || t.body === 'Sở Nội vụ');
          if (selected && taskStatus({ effectiveDeadline: deadline, completedAt }, asOf) === 'overdue') {
            expected.push({ code: `T${i}`, deadline, seq: i });
          }
        });
        await addTasks(db, rows);
        expected.sort((a, b) => a.deadline - b.deadline || a.seq - b.seq);
        const r = await buildReport(db, { asOf, from, unitCode: qq.unitCode, assignedBy: qq.assignedBy, overdueLimit: qq.limit }, zone);
        expect(r.overdue.map((t) => t.title)).toEqual(expected.slice(0, qq.limit).map((t) => t.code));
        expect(r.totals.overdue).toBe(expected.length);
        for (const t of r.overdue) expect(t.daysOverdue).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 80 },
    );
  });

  it('filters by assignment dates, subtree and issuing body; ranks with shared ranks', async () => {
    const db = await testDb();
    await seedUnits(db);
    seq = 0;
    const asOf = T0 + 100 * DAY;
    // SNV: 1 on time of 1 → 100%; XA1: 1 on time, 1 late → 50%; XA2: 1 on time, 1 overdue → 50%.
    await addTask(db, { unitId: 2, assignedAt: T0, deadline: T0 + 10 * DAY, completedAt: T0 + 5 * DAY });
    await addTask(db, { unitId: 3, assignedAt: T0, deadline: T0 + 10 * DAY, completedAt: T0 + 5 * DAY });
    await addTask(db, { unitId: 3, assignedAt: T0, deadline: T0 + 10 * DAY, completedAt: T0 + 15 * DAY, assignedBy: 'Sở Nội vụ' });
    await addTask(db, { unitId: 4, assignedAt: T0, deadline: T0 + 10 * DAY, completedAt: T0 + 1 * DAY });
    await addTask(db, { unitId: 4, assignedAt: T0 + 50 * DAY, deadline: T0 + 60 * DAY, completedAt: null, title: 'Rà soát thủ tục' });
    await addTask(db, { unitId: 4, assignedAt: T0 + 90 * DAY, deadline: T0 + 200 * DAY, completedAt: null });
    const r = await buildReport(db, { asOf }, zone);
    expect(r.units.map((u) => [u.code, u.rank, u.onTimeRate])).toEqual([
      ['SNV', 1, 1],
      ['XA2', 2, 0.5],
      ['XA1', 2, 0.5],
    ]);
    expect(r.overdue).toEqual([
      expect.objectContaining({ code: 'NV-5', unitCode: 'XA2', daysOverdue: 40 }),
    ]);
    expect((await buildReport(db, { asOf, from: T0 + 40 * DAY }, zone)).totals.total).toBe(2);
    expect((await buildReport(db, { asOf, to: T0 + 40 * DAY }, zone)).totals.total).toBe(4);
    expect((await buildReport(db, { asOf, unitCode: 'xa1' }, zone)).totals).toEqual({ total: 2, doneOnTime: 1, doneLate: 1, overdue: 0, inProgress: 0 });
    expect((await buildReport(db, { asOf, unitCode: 'TINH' }, zone)).totals.total).toBe(6);
    expect((await buildReport(db, { asOf, assignedBy: 'SỞ NỘI VỤ' }, zone)).totals.total).toBe(1);
    await expect(buildReport(db, { asOf, unitCode: 'NOPE' }, zone)).rejects.toThrow(/Không có đơn vị mã NOPE/);

    const json = reportToJson(r, zone) as { asOf: string; from: null; units: object[] };
    expect(Object.keys(json)).toEqual(['asOf', 'from', 'to', 'period', 'totals', 'units']);
    expect(json.from).toBeNull();
    expect(Object.keys(json.units[0])).toEqual(['code', 'name', 'total', 'doneOnTime', 'doneLate', 'overdue', 'inProgress', 'onTimeRate']);

    const text = formatReportText(r, zone);
    expect(text).toContain(
      'Tổng số nhiệm vụ được giao: 6. Trong đó: hoàn thành đúng hạn 3 (60%); hoàn thành chậm 1; quá hạn chưa hoàn thành 1; đang thực hiện 1.',
    );
    expect(text).toContain('1. Sở Nội vụ (SNV): 100%');
    expect(text).toContain('❗ NV-5 — UBND xã B: Rà soát thủ tục (hạn 02/03/2026, quá 40 ngày)');
    expect(text).toContain('Tất cả nhiệm vụ đã giao; số liệu tính đến 11/04/2026 07:00.');
    const endOfDay = Date.parse('2026-04-11T16:59:59.999Z');
    const ranged = formatReportText(await buildReport(db, { asOf: endOfDay, from: T0 - 7 * 3_600_000, to: endOfDay }, zone), zone);
    expect(ranged).toContain('Nhiệm vụ giao từ 01/01/2026 đến 11/04/2026; số liệu tính đến hết ngày 11/04/2026.');
    // Every line stays short enough to read on a phone.
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(160);
  });
});

describe('report text on a phone', () => {
  it('clips long task titles in the overdue list', async () => {
    const db = await testDb();
    await seedUnits(db);
    await addTask(db, { unitId: 2, assignedAt: T0, deadline: T0 + DAY, completedAt: null, title: 'Báo cáo kết quả '.repeat(20) });
    const text = formatReportText(await buildReport(db, { asOf: T0 + 5 * DAY }, zone), zone);
    const line = text.split('\n').find((l) => l.startsWith('❗'))!;
    expect(line).toMatch(/: Báo cáo kết quả .*…  ?\(hạn 02\/01\/2026, quá 4 ngày\)$/u);
    expect(line.length).toBeLessThan(140);
  });
});

describe('xlsx export', () => {
  it('has a summary and a task sheet, and no cell starts a formula', async () => {
    const db = await testDb();
    await seedUnits(db);
    seq = 0;
    await addTask(db, { unitId: 3, assignedAt: T0, deadline: T0 + DAY, completedAt: null, title: '=HYPERLINK("http://x","bấm")' });
    await addTask(db, { unitId: 3, assignedAt: T0, deadline: T0 + DAY, completedAt: T0, title: '+1', assignedBy: '@SUM(A1)' });
    const r = await buildReport(db, { asOf: T0 + 10 * DAY }, zone);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportToXlsx(db, r, zone)) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Tổng hợp', 'Nhiệm vụ']);
    const tasks = wb.getWorksheet('Nhiệm vụ')!;
    expect(tasks.rowCount).toBe(3);
    const cells: unknown[] = [];
    wb.eachSheet((s) => s.eachRow((row) => row.eachCell((c) => cells.push(c.value))));
    for (const v of cells) {
      expect(typeof v === 'object' && v !== null && 'formula' in v).toBe(false);
      if (typeof v === 'string') expect(v).not.toMatch(/^[=+\-@]/);
    }
    // Rows by unit, then deadline: the overdue task first, then the one done (on time) the day it was given.
    const overdue = tasks.getRow(2);
    expect(overdue.getCell(11).value).toBe('Quá hạn chưa hoàn thành');
    expect(overdue.getCell(2).value).toBe(`'=HYPERLINK("http://x","bấm")`);
    // Dates are real date cells holding the local wall time, shown dd/mm/yyyy.
    expect(overdue.getCell(7).value).toEqual(new Date('2026-01-01T07:00:00.000Z'));
    expect(overdue.getCell(7).numFmt).toBe('dd/mm/yyyy');
    expect(overdue.getCell(12).value).toBe(9); // deadline 02/01 07:00 local, as of 11/01 07:00 local
    expect(tasks.getRow(3).getCell(11).value).toBe('Hoàn thành đúng hạn');
    expect(tasks.getRow(3).getCell(5).value).toBe("'@SUM(A1)");
    const summary = wb.getWorksheet('Tổng hợp')!;
    const values: unknown[] = [];
    summary.eachRow((row) => values.push(row.getCell(3).value));
    expect(values).toContain('UBND xã A');
    expect(values).toContain('Tổng cộng');
  });

  it('safeCell neutralises = + - @ tab and CR, and leaves numbers and plain text alone', () => {
    expect(['=1', '+1', '-1', '@x', '\tx', '\rx'].map(safeCell)).toEqual(["'=1", "'+1", "'-1", "'@x", "'\tx", "'\rx"]);
    expect(safeCell('Báo cáo')).toBe('Báo cáo');
    expect(safeCell(-5)).toBe(-5);
  });
});
