import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { importFile, importRows, type ImportResult } from '../../../src/app/import/import.service.ts';
import { buildReport } from '../../../src/app/report.service.ts';
import type { Db } from '../../../src/db/open.ts';
import { parseInstant } from '../../../src/domain/dates.ts';
import { testDb } from '../../helpers/db.ts';

const zone = 'Asia/Ho_Chi_Minh';
const now = Date.parse('2026-11-22T03:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-imp-'));
const file = (name: string, content: string | Buffer) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
const opts = { zone, now };

const UNITS = 'Mã,Tên đơn vị,Đơn vị cấp trên,Loại\nTINH,UBND tỉnh,,tỉnh\nSNV,Sở Nội vụ,TINH,sở\nXA1,UBND xã Tân Lập,TINH,xã\nP-VH,Phòng Văn hóa,XA1,phòng\n';
const count = async (db: Db, table: string) => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))!.n;
const errorsOf = (r: ImportResult) => (r.ok ? [] : r.errors.map((e) => `dòng ${e.row}: ${e.column}: ${e.reason}`));

let db: Db;
beforeEach(async () => {
  db = await testDb();
  const r = await importFile(db, 'units', file('units.csv', UNITS), opts);
  expect(r.ok).toBe(true);
});

describe('units import', () => {
  it('builds the tree with materialised paths and updates by code on re-import', async () => {
    const { units } = db.t;
    const paths = await db.orm.select({ code: units.code, path: units.path }).from(units).orderBy(asc(units.id));
    expect(paths).toEqual([
      { code: 'TINH', path: '/1/' },
      { code: 'SNV', path: '/1/2/' },
      { code: 'XA1', path: '/1/3/' },
      { code: 'P-VH', path: '/1/3/4/' },
    ]);
    // Move XA1 under SNV: its child's path follows.
    const r = await importFile(db, 'units', file('move.csv', 'code,name,parent\nxa1,UBND xã Tân Lập,snv\n'), opts);
    expect(r).toMatchObject({ ok: true, inserted: 0, updated: 1 });
    expect(await db.orm.select({ path: units.path }).from(units).where(eq(units.code, 'P-VH'))).toEqual([{ path: '/1/2/3/4/' }]);
    expect(await count(db, 'units')).toBe(4);
  });

  it('refuses a unit that would be its own ancestor, an unknown parent and duplicate codes, writing nothing', async () => {
    const r = await importFile(db, 'units', file('bad.csv', 'code,name,parent\nTINH,UBND tỉnh,P-VH\nNEW,Mới,KHONGCO\nNEW,Mới 2,\n'), opts);
    expect(errorsOf(r)).toEqual([
      'dòng 2: parent: đơn vị TINH sẽ thành cấp trên của chính nó (vòng lặp cấp trên)',
      'dòng 3: parent: không có đơn vị mã KHONGCO',
      'dòng 4: code: mã NEW bị trùng với dòng 3',
    ]);
    expect(await count(db, 'units')).toBe(4);
    const { units } = db.t;
    expect(await db.orm.select({ parent_id: units.parentId }).from(units).where(eq(units.code, 'TINH'))).toEqual([{ parent_id: null }]);
  });
});

describe('officers import', () => {
  it('accepts Vietnamese and English roles and refuses unknown ones', async () => {
    const ok = await importFile(
      db,
      'officers',
      file('o.csv', 'Mã;Họ và tên;Đơn vị;Vai trò;Chức vụ;Điện thoại\nCB1;Nguyễn Văn A;XA1;cán bộ;Công chức;0912\nCT;Lê Thị B;TINH;Lãnh đạo;Chủ tịch;\nAD;Trần C;SNV;admin;Chuyên viên;\n'),
      opts,
    );
    expect(ok).toMatchObject({ ok: true, inserted: 3 });
    const { officers } = db.t;
    expect(await db.orm.select({ code: officers.code, role: officers.role }).from(officers).orderBy(asc(officers.id))).toEqual([
      { code: 'CB1', role: 'officer' },
      { code: 'CT', role: 'chair' },
      { code: 'AD', role: 'admin' },
    ]);
    const bad = await importFile(db, 'officers', file('o2.csv', 'code,full_name,unit,role,title\nX,Y,XA1,giám đốc,\n'), opts);
    expect(errorsOf(bad)[0]).toMatch(/^dòng 2: role: vai trò "giám đốc" không hợp lệ/);
  });
});

describe('tasks import', () => {
  const HEAD = 'Mã,Nội dung,Đơn vị chủ trì,Cơ quan giao,Văn bản giao,Ngày giao,Hạn hoàn thành,Ngày hoàn thành,Ghi chú\n';

  it('lists every bad row and writes nothing', async () => {
    const csv =
      HEAD +
      'NV-1,Tốt,XA1,UBND tỉnh,KH 02,01/01/2026,15/01/2026,,\n' +
      'NV-2,Ngày sai,XA1,UBND tỉnh,,01/01/2026,31/02/2026,,\n' +
      'NV-3,Hạn trước ngày giao,XA1,UBND tỉnh,,10/01/2026,01/01/2026,,\n' +
      'NV-4,Xong trước ngày giao,XA1,UBND tỉnh,,10/01/2026,20/01/2026,05/01/2026,\n' +
      'NV-1,Trùng mã,KHONGCO,UBND tỉnh,,01/01/2026,15/01/2026,,\n';
    const r = await importFile(db, 'tasks', file('t.csv', csv), opts);
    expect(errorsOf(r)).toEqual([
      'dòng 3: Hạn hoàn thành: Ngày "31/02/2026" không hợp lệ: tháng 2/2026 chỉ có 28 ngày.',
      'dòng 4: Hạn hoàn thành: hạn hoàn thành trước ngày giao',
      'dòng 5: Ngày hoàn thành: ngày hoàn thành trước ngày giao',
      'dòng 6: Mã: mã NV-1 bị trùng với dòng 2',
      'dòng 6: Đơn vị chủ trì: không có đơn vị mã KHONGCO',
    ]);
    expect(await count(db, 'tasks')).toBe(0);
  });

  it('imports a task without a deadline (Hạn hoàn thành empty), and a re-import may remove or set one', async () => {
    const end = (d: string) => parseInstant(d, { zone, dateOnly: 'end' }).ms;
    const { tasks } = db.t;
    const deadlines = async () => db.orm.select({ code: tasks.code, d: tasks.deadline, eff: tasks.effectiveDeadline }).from(tasks).orderBy(tasks.code);
    const first = HEAD + 'NV-1,Thường xuyên,XA1,UBND tỉnh,,01/01/2026,,,\n' + 'NV-2,Có hạn,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,\n';
    expect(await importFile(db, 'tasks', file('t.csv', first), { ...opts, dryRun: true })).toMatchObject({ ok: true });
    expect(await count(db, 'tasks')).toBe(0);
    expect(await importFile(db, 'tasks', file('t.csv', first), opts)).toMatchObject({ ok: true, inserted: 2 });
    expect(await deadlines()).toEqual([
      { code: 'NV-1', d: null, eff: null },
      { code: 'NV-2', d: end('15/01/2026'), eff: end('15/01/2026') },
    ]);
    const second = HEAD + 'NV-1,Thường xuyên,XA1,UBND tỉnh,,01/01/2026,20/01/2026,,\n' + 'NV-2,Có hạn,XA1,UBND tỉnh,,01/01/2026,,,\n';
    expect(await importFile(db, 'tasks', file('t.csv', second), opts)).toMatchObject({ ok: true, inserted: 0, updated: 2 });
    expect(await deadlines()).toEqual([
      { code: 'NV-1', d: end('20/01/2026'), eff: end('20/01/2026') },
      { code: 'NV-2', d: null, eff: null },
    ]);
  });

  it('refuses a file without the required columns', async () => {
    await expect(importFile(db, 'tasks', file('cols.csv', 'Mã,Nội dung\nA,B\n'), opts)).rejects.toThrow(/Thiếu cột "Đơn vị chủ trì"/);
  });

  it('re-importing updates by code, never duplicates, and keeps a completion recorded in the chat', async () => {
    const f = file('t.csv', `${HEAD}NV-1,Báo cáo,XA1,UBND tỉnh,KH 02,01/01/2026,15/01/2026,,\n`);
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, inserted: 1, updated: 0 });
    const done = Date.parse('2026-01-10T03:00:00Z');
    const { tasks } = db.t;
    await db.orm.update(tasks).set({ completedAt: done }).where(eq(tasks.code, 'NV-1'));
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, inserted: 0, updated: 1 });
    expect(await count(db, 'tasks')).toBe(1);
    expect(await db.orm.select({ c: tasks.completedAt }).from(tasks)).toEqual([{ c: done }]);
  });

  it('re-importing keeps a later approved extension as the effective deadline, and drops an earlier one', async () => {
    const end = (d: string) => parseInstant(d, { zone, dateOnly: 'end' }).ms;
    const f = file('t.csv', `${HEAD}NV-1,Báo cáo,XA1,UBND tỉnh,KH 02,01/01/2026,15/01/2026,,\n`);
    await importFile(db, 'tasks', f, opts);
    const { tasks, extensions } = db.t;
    const [{ id }] = await db.orm.select({ id: tasks.id }).from(tasks).where(eq(tasks.code, 'NV-1'));
    await db.orm.insert(extensions).values([
      { taskId: id, requestedAt: now, newDeadline: end('31/01/2026'), status: 'approved' },
      { taskId: id, requestedAt: now, newDeadline: end('28/02/2026'), status: 'rejected' },
    ]);
    const effective = async () => (await db.orm.select({ deadline: tasks.deadline, eff: tasks.effectiveDeadline }).from(tasks))[0];
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, inserted: 0, updated: 1 });
    expect(await effective()).toEqual({ deadline: end('15/01/2026'), eff: end('31/01/2026') });
    // The office moved the deadline itself past the extension: the sheet's deadline wins.
    await importFile(db, 'tasks', file('t2.csv', `${HEAD}NV-1,Báo cáo,XA1,UBND tỉnh,KH 02,01/01/2026,10/02/2026,,\n`), opts);
    expect(await effective()).toEqual({ deadline: end('10/02/2026'), eff: end('10/02/2026') });
  });

  it('dry run checks without writing', async () => {
    const r = await importFile(db, 'tasks', file('d.csv', `${HEAD}NV-1,A,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,\n`), { ...opts, dryRun: true });
    expect(r).toMatchObject({ ok: true, rows: 1, dryRun: true });
    expect(await count(db, 'tasks')).toBe(0);
  });

  it('reads an .xlsx with real date cells and text dates, then the report counts it exactly', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Nhiệm vụ');
    ws.addRow(['code', 'title', 'unit', 'assigned_by', 'source_doc', 'assigned_at', 'deadline', 'completed_at']);
    const d = (y: number, m: number, day: number) => new Date(Date.UTC(y, m - 1, day));
    ws.addRow(['NV-1', 'Đúng hạn', 'XA1', 'UBND tỉnh', 'KH 02/KH-UBND', d(2026, 1, 5), d(2026, 2, 10), d(2026, 2, 10)]);
    ws.addRow(['NV-2', 'Chậm', 'P-VH', 'UBND tỉnh', '', d(2026, 1, 5), d(2026, 2, 10), '11/02/2026']);
    ws.addRow(['NV-3', 'Quá hạn', 'SNV', 'Sở Nội vụ', '', '2026-01-05', '2026-03-01', null]);
    ws.addRow(['NV-4', 'Đang làm', 'SNV', 'UBND tỉnh', '', d(2026, 1, 5), d(2026, 12, 31), null]);
    ws.addRow(['NV-5', 'Giao năm trước', 'SNV', 'UBND tỉnh', '', d(2025, 6, 1), d(2025, 6, 30), null]);
    const f = path.join(dir, 'tasks.xlsx');
    await wb.xlsx.writeFile(f);
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, inserted: 5 });
    const { tasks } = db.t;
    const [deadline] = await db.orm.select({ deadline: tasks.deadline }).from(tasks).where(eq(tasks.code, 'NV-1'));
    expect(deadline.deadline).toBe(parseInstant('10/02/2026', { zone, dateOnly: 'end' }).ms);

    const asOf = parseInstant('30/06/2026', { zone, dateOnly: 'end' }).ms;
    const year = { from: parseInstant('01/01/2026', { zone }).ms, to: parseInstant('31/12/2026', { zone, dateOnly: 'end' }).ms };
    const r = await buildReport(db, { asOf, ...year }, zone);
    expect(r.totals).toMatchObject({ total: 4, doneOnTime: 1, doneLate: 1, overdue: 1, inProgress: 1 });
    const sub = await buildReport(db, { asOf, ...year, unitCode: 'xa1' }, zone);
    expect(sub.totals).toMatchObject({ total: 2, doneOnTime: 1, doneLate: 1, overdue: 0, inProgress: 0 });
    const bySo = await buildReport(db, { asOf, assignedBy: 'so noi vu' }, zone);
    expect(bySo.totals.total).toBe(1);
  });

  it('reads rich text, formula results and Excel serial numbers from an .xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Nhiệm vụ');
    ws.addRow(['Mã', 'Nội dung', 'Đơn vị chủ trì', 'Cơ quan giao', 'Văn bản giao', 'Ngày giao', 'Hạn hoàn thành']);
    ws.addRow([
      { formula: 'UPPER("nv-9")', result: 'NV-9' },
      { richText: [{ text: 'Báo cáo ' }, { font: { bold: true }, text: 'quý I' }] },
      'XA1',
      'UBND tỉnh',
      '',
      46027, // 05/01/2026 as an Excel serial day
      { formula: 'F2+10', result: new Date(Date.UTC(2026, 0, 15)) },
    ]);
    const f = path.join(dir, 'rich.xlsx');
    await wb.xlsx.writeFile(f);
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, inserted: 1 });
    const { tasks } = db.t;
    expect((await db.orm.select({ code: tasks.code, title: tasks.title, a: tasks.assignedAt, d: tasks.deadline }).from(tasks))[0]).toEqual({
      code: 'NV-9',
      title: 'Báo cáo quý I',
      a: parseInstant('05/01/2026', { zone }).ms,
      d: parseInstant('15/01/2026', { zone, dateOnly: 'end' }).ms,
    });
  });

  it('refuses a broken .xlsx and an unknown extension', async () => {
    await expect(importFile(db, 'tasks', file('broken.xlsx', 'not a zip'), opts)).rejects.toThrow(/không phải tệp Excel/);
    await expect(importFile(db, 'tasks', file('t.pdf', 'x'), opts)).rejects.toThrow(/\.csv hoặc \.xlsx/);
    await expect(importFile(db, 'tasks', path.join(dir, 'missing.csv'), opts)).rejects.toThrow(/Không tìm thấy tệp/);
    await expect(importFile(db, 'tasks', dir, opts)).rejects.toThrow(/là một thư mục/);
    await expect(importFile(db, 'tasks', file('bin.csv', Buffer.from([0x50, 0x4b, 3, 4, 0, 0])), opts)).rejects.toThrow(/nhị phân/);
    await expect(importFile(db, 'tasks', file('empty.csv', ''), opts)).rejects.toThrow(/trống/);
    await expect(importFile(db, 'tasks', file('empty.xlsx', ''), opts)).rejects.toThrow(/trống/);
  });
});

describe('importRows (rows already in memory)', () => {
  it('takes Vietnamese keys, numbers and Date cells, with the first row numbered 2 in errors', async () => {
    const ok = await importRows(
      db,
      'commitments',
      [{ 'Đơn vị': 'xa1', Năm: 2026, 'Ngày ký': new Date(Date.UTC(2026, 0, 15)), 'Văn bản': 'CK 05', 'Mã chỉ tiêu': 'ct1', 'Chỉ tiêu': 'Tỷ lệ', 'So sánh': '≥', 'Mục tiêu': '98,5%', 'Đơn vị tính': '%', 'Tự tính': 'on_time_rate', Hạn: '31/12/2026' }],
      opts,
    );
    expect(ok).toMatchObject({ ok: true, inserted: 1 });
    const { commitmentTargets: ct, commitments } = db.t;
    expect(
      (await db.orm.select({ code: ct.code, comparator: ct.comparator, target: ct.target, computed: ct.computed, due: ct.dueDate }).from(ct))[0],
    ).toEqual({
      code: 'CT1',
      comparator: '>=',
      target: 98.5,
      computed: 'on_time_rate',
      due: '2026-12-31',
    });
    expect(await db.orm.select({ s: commitments.signedAt }).from(commitments)).toEqual([{ s: parseInstant('15/01/2026', { zone }).ms }]);
    const bad = await importRows(db, 'units', [{ code: 'A', name: 'A', parent: '' }, { code: 'B', name: '', parent: 'A' }], opts);
    expect(errorsOf(bad)).toEqual(['dòng 3: name: thiếu tên đơn vị']);
  });

  it('reads a generator of rows once, numbering its rows like an array, and writes tasks of many units whatever their order', async () => {
    const row = (i: number, unit: string, deadline = '15/01/2026') => ({
      code: `nv-${i}`,
      title: `Việc ${i}`,
      unit,
      assigned_by: 'UBND tỉnh',
      source_doc: '',
      assigned_at: '01/01/2026',
      deadline,
      completed_at: i % 2 ? '10/01/2026' : '',
    });
    const units = ['XA1', 'SNV', 'P-VH', 'TINH'];
    function* rows(bad: boolean) {
      for (let i = 1; i <= 40; i++) yield row(i, units[i % units.length], bad && i === 7 ? '31/02/2026' : '15/01/2026');
    }
    const refused = await importRows(db, 'tasks', rows(true), opts);
    expect(errorsOf(refused)).toEqual(['dòng 8: deadline: Ngày "31/02/2026" không hợp lệ: tháng 2/2026 chỉ có 28 ngày.']);
    expect(await count(db, 'tasks')).toBe(0);
    expect(await importRows(db, 'tasks', rows(false), opts)).toMatchObject({ ok: true, rows: 40, inserted: 40, updated: 0 });
    const { tasks, units: unitsT } = db.t;
    const written = (
      await db.orm
        .select({ code: tasks.code, unit: unitsT.code, completedAt: tasks.completedAt })
        .from(tasks)
        .innerJoin(unitsT, eq(unitsT.id, tasks.unitId))
        .orderBy(asc(tasks.code))
    ).map((t) => ({ code: t.code, unit: t.unit, done: t.completedAt !== null ? 1 : 0 }));
    expect(written).toEqual(
      Array.from({ length: 40 }, (_, k) => k + 1)
        .map((i) => ({ code: `NV-${i}`, unit: units[i % units.length], done: i % 2 }))
        .sort((a, b) => (a.code < b.code ? -1 : 1)),
    );
    // Within a unit the file's order is kept.
    const xa1 = (
      await db.orm.select({ code: tasks.code }).from(tasks).innerJoin(unitsT, eq(unitsT.id, tasks.unitId)).where(eq(unitsT.code, 'XA1')).orderBy(asc(tasks.id))
    ).map((t) => t.code);
    expect(xa1).toEqual(Array.from({ length: 10 }, (_, k) => `NV-${4 * (k + 1)}`));
    expect(await importRows(db, 'tasks', rows(false), opts)).toMatchObject({ ok: true, inserted: 0, updated: 40 });
    expect(await count(db, 'tasks')).toBe(40);
  });
});

describe('commitments import', () => {
  it('creates the commitment and its targets, and adds a value only when it changed', async () => {
    const csv =
      'Đơn vị,Năm,Ngày ký,Văn bản,Mã chỉ tiêu,Chỉ tiêu,So sánh,Mục tiêu,Đơn vị tính,Hiện đạt\n' +
      'XA1,2026,15/01/2026,Bản cam kết số 05/CK,CT1,Tỷ lệ hồ sơ giải quyết đúng hạn,>=,98,%,"97,5"\n' +
      'XA1,2026,15/01/2026,Bản cam kết số 05/CK,CT2,Số cán bộ bị kỷ luật,<=,0,người,\n';
    const f = file('c.csv', csv);
    expect(await importFile(db, 'commitments', f, opts)).toMatchObject({ ok: true, inserted: 2 });
    expect(await importFile(db, 'commitments', f, opts)).toMatchObject({ ok: true, inserted: 0, updated: 2 });
    expect(await count(db, 'commitments')).toBe(1);
    const { targetValues } = db.t;
    expect(await db.orm.select({ value: targetValues.value }).from(targetValues)).toEqual([{ value: 97.5 }]);
  });

  it('keeps the signers when given, and does not erase them when a later file leaves the column out', async () => {
    const head = 'Đơn vị,Năm,Ngày ký,Văn bản,Mã chỉ tiêu,Chỉ tiêu,So sánh,Mục tiêu,Đơn vị tính';
    const row = 'XA1,2026,15/01/2026,Bản cam kết số 05/CK,CT1,Tỷ lệ hồ sơ giải quyết đúng hạn,>=,98,%';
    const signers = 'Chủ tịch UBND tỉnh Nguyễn Văn An; Chủ tịch UBND xã Trần Văn Bình';
    expect(await importFile(db, 'commitments', file('s1.csv', `${head},Người ký\n${row},${signers}\n`), opts)).toMatchObject({ ok: true });
    expect(await importFile(db, 'commitments', file('s2.csv', `${head}\n${row}\n`), opts)).toMatchObject({ ok: true });
    const { commitments } = db.t;
    expect(await db.orm.select({ signers: commitments.signers }).from(commitments)).toEqual([{ signers }]);
  });

  it('refuses an unknown comparator, a non-number target and a duplicate target code', async () => {
    const csv =
      'unit,year,signed_at,doc_ref,target_code,indicator,comparator,target,measure\n' +
      'XA1,2026,15/01/2026,CK,CT1,A,>>,98,%\n' +
      'XA1,2026,15/01/2026,CK,CT2,B,>=,nhiều,%\n' +
      'XA1,2026,15/01/2026,CK,CT2,C,=,1,%\n';
    const r = await importFile(db, 'commitments', file('c2.csv', csv), opts);
    expect(errorsOf(r)).toEqual([
      'dòng 2: comparator: phép so sánh ">>" không hợp lệ (>=, <=, =)',
      'dòng 3: target: "nhiều" không phải số (ví dụ: 98,5 hoặc 98.5)',
      'dòng 4: target_code: chỉ tiêu CT2 của XA1 năm 2026 bị trùng với dòng 3',
    ]);
    expect(await count(db, 'commitment_targets')).toBe(0);
  });
});
