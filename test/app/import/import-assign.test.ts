// The tasks import's columns on who does and who closes a task: `Cần xác nhận` (with the
// per-issuer default from the config), `Đơn vị phối hợp` and `Người thực hiện`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { asc, eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { importFile, type ImportResult } from '../../../src/app/import/import.service.ts';
import { ConfigError, loadConfig, type ConfirmationDefaults } from '../../../src/config.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';

const zone = 'Asia/Ho_Chi_Minh';
const now = Date.parse('2026-11-22T03:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-imp-assign-'));
const file = (name: string, content: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
const confirmation: ConfirmationDefaults = { default: false, byIssuer: { 'UBND tỉnh': true } };
const opts = { zone, now, confirmation };
const errorsOf = (r: ImportResult) => (r.ok ? [] : r.errors.map((e) => `dòng ${e.row}: ${e.column}: ${e.reason}`));

const UNITS = 'Mã,Tên đơn vị,Đơn vị cấp trên\nTINH,UBND tỉnh,\nSNV,Sở Nội vụ,TINH\nXA1,UBND xã Tân Lập,TINH\nP-VH,Phòng Văn hóa,XA1\n';
const OFFICERS = 'Mã,Họ và tên,Đơn vị,Vai trò\nCB1,Nguyễn Văn A,XA1,cán bộ\nCB2,Lê Thị B,SNV,cán bộ\nCB3,Trần Văn C,XA1,cán bộ\nCB4,Phạm Thị D,XA1,trưởng đơn vị\n';
const HEAD = 'Mã,Nội dung,Đơn vị chủ trì,Cơ quan giao,Văn bản giao,Ngày giao,Hạn hoàn thành';
const ALL = `${HEAD},Cần xác nhận,Đơn vị phối hợp,Người thực hiện\n`;

let db: Db;
beforeEach(async () => {
  db = await testDb();
  expect(await importFile(db, 'units', file('u.csv', UNITS), opts)).toMatchObject({ ok: true });
  expect(await importFile(db, 'officers', file('o.csv', OFFICERS), opts)).toMatchObject({ ok: true });
  const { officers } = db.t;
  await db.orm.update(officers).set({ active: false }).where(eq(officers.code, 'CB3'));
});

/** Each task's needs_confirmation, assignee code and co-operating unit codes (sorted), by code. */
async function state(): Promise<Record<string, { confirm: boolean; assignee: string | null; coop: string[] }>> {
  const { tasks, officers, units, taskCooperators } = db.t;
  const rows = await db.orm
    .select({ code: tasks.code, confirm: tasks.needsConfirmation, assignee: officers.code })
    .from(tasks)
    .leftJoin(officers, eq(officers.id, tasks.assigneeId))
    .orderBy(asc(tasks.code));
  const coops = await db.orm
    .select({ task: tasks.code, unit: units.code })
    .from(taskCooperators)
    .innerJoin(tasks, eq(tasks.id, taskCooperators.taskId))
    .innerJoin(units, eq(units.id, taskCooperators.unitId))
    .orderBy(asc(units.code));
  const out: Record<string, { confirm: boolean; assignee: string | null; coop: string[] }> = {};
  for (const r of rows) out[r.code] = { confirm: Boolean(r.confirm), assignee: r.assignee ?? null, coop: coops.filter((c) => c.task === r.code).map((c) => c.unit) };
  return out;
}

const count = async (table: string) => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))!.n;

describe('tasks import: confirmation, co-operating units, assignee', () => {
  it('reads the three columns, with the default by issuing body for an empty confirmation cell', async () => {
    const csv =
      ALL +
      'NV-1,Có,XA1,Sở Nội vụ,,01/01/2026,15/01/2026,có,"SNV; p-vh, SNV",cb1\n' +
      'NV-2,Không,XA1,UBND tỉnh,,01/01/2026,15/01/2026,Khong,,\n' +
      'NV-3,Mặc định tỉnh,XA1,ubnd TINH,,01/01/2026,,,P-VH,CB4\n' +
      'NV-4,Mặc định sở,SNV,Sở Nội vụ,,01/01/2026,15/01/2026,,;TINH;,CB2\n' +
      'NV-5,Yes,SNV,Sở Nội vụ,,01/01/2026,15/01/2026,yes,,\n' +
      'NV-6,x,SNV,Sở Nội vụ,,01/01/2026,15/01/2026,x,,\n' +
      'NV-7,1,SNV,UBND tỉnh,,01/01/2026,15/01/2026,1,,\n' +
      'NV-8,0,SNV,UBND tỉnh,,01/01/2026,15/01/2026,0,,\n' +
      'NV-9,no,SNV,UBND tỉnh,,01/01/2026,15/01/2026,NO,,\n';
    expect(await importFile(db, 'tasks', file('t.csv', csv), opts)).toMatchObject({ ok: true, inserted: 9 });
    expect(await state()).toEqual({
      'NV-1': { confirm: true, assignee: 'CB1', coop: ['P-VH', 'SNV'] },
      'NV-2': { confirm: false, assignee: null, coop: [] },
      'NV-3': { confirm: true, assignee: 'CB4', coop: ['P-VH'] },
      'NV-4': { confirm: false, assignee: 'CB2', coop: ['TINH'] },
      'NV-5': { confirm: true, assignee: null, coop: [] },
      'NV-6': { confirm: true, assignee: null, coop: [] },
      'NV-7': { confirm: true, assignee: null, coop: [] },
      'NV-8': { confirm: false, assignee: null, coop: [] },
      'NV-9': { confirm: false, assignee: null, coop: [] },
    });
  });

  it('without the config, an empty or absent confirmation means no confirmation', async () => {
    const csv = `${HEAD}\nNV-1,A,XA1,UBND tỉnh,,01/01/2026,15/01/2026\n`;
    expect(await importFile(db, 'tasks', file('t.csv', csv), { zone, now })).toMatchObject({ ok: true });
    expect((await state())['NV-1'].confirm).toBe(false);
    await importFile(db, 'tasks', file('t2.csv', `${HEAD}\nNV-2,A,XA1,UBND tỉnh,,01/01/2026,15/01/2026\n`), { zone, now, confirmation: { default: true, byIssuer: { 'uBnD  TỈNH': false } } });
    await importFile(db, 'tasks', file('t3.csv', `${HEAD}\nNV-3,A,XA1,Sở Nội vụ,,01/01/2026,15/01/2026\n`), { zone, now, confirmation: { default: true, byIssuer: { 'uBnD  TỈNH': false } } });
    const s = await state();
    expect([s['NV-2'].confirm, s['NV-3'].confirm]).toEqual([false, true]);
  });

  it('lists every bad cell of the three columns as `dòng N: cột: lý do`, and writes nothing (dry run included)', async () => {
    const csv =
      ALL +
      'NV-1,Tốt,XA1,UBND tỉnh,,01/01/2026,15/01/2026,có,SNV,CB1\n' +
      'NV-2,Xác nhận sai,XA1,UBND tỉnh,,01/01/2026,15/01/2026,có lẽ,,\n' +
      'NV-3,Phối hợp không có,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,"SNV, KHONGCO",\n' +
      'NV-4,Phối hợp là chủ trì,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,xa1;SNV,\n' +
      'NV-5,Cán bộ không có,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,,CB9\n' +
      'NV-6,Cán bộ đơn vị khác,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,,CB2\n' +
      'NV-7,Cán bộ nghỉ,XA1,UBND tỉnh,,01/01/2026,15/01/2026,,,CB3\n' +
      'NV-8,Đơn vị chủ trì sai,KHONGCO,UBND tỉnh,,01/01/2026,15/01/2026,,KHONGCO,CB1\n';
    const expected = [
      'dòng 3: Cần xác nhận: "có lẽ" không hợp lệ: ghi "có" hoặc "không" (yes/no, 1/0, x), để trống thì theo mặc định',
      'dòng 4: Đơn vị phối hợp: không có đơn vị mã KHONGCO',
      'dòng 5: Đơn vị phối hợp: XA1 là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp',
      'dòng 6: Người thực hiện: không có cán bộ mã CB9',
      'dòng 7: Người thực hiện: cán bộ mã CB2 không thuộc đơn vị chủ trì XA1',
      'dòng 8: Người thực hiện: cán bộ mã CB3 đã ngừng hoạt động, hãy giao cho cán bộ khác',
      'dòng 9: Đơn vị chủ trì: không có đơn vị mã KHONGCO',
      'dòng 9: Đơn vị phối hợp: không có đơn vị mã KHONGCO',
    ];
    const f = file('bad.csv', csv);
    expect(errorsOf(await importFile(db, 'tasks', f, { ...opts, dryRun: true }))).toEqual(expected);
    expect(errorsOf(await importFile(db, 'tasks', f, opts))).toEqual(expected);
    expect(await count('tasks')).toBe(0);
    expect(await count('task_cooperators')).toBe(0);
  });

  it('a dry run of right rows writes neither tasks nor co-operating units', async () => {
    const f = file('dry.csv', `${ALL}NV-1,A,XA1,UBND tỉnh,,01/01/2026,15/01/2026,có,SNV,CB1\n`);
    expect(await importFile(db, 'tasks', f, { ...opts, dryRun: true })).toMatchObject({ ok: true, rows: 1, dryRun: true });
    expect(await count('tasks')).toBe(0);
    expect(await count('task_cooperators')).toBe(0);
  });

  it('a re-import with the columns replaces them, and without them keeps what is on record', async () => {
    const first = ALL + 'NV-1,A,XA1,Sở Nội vụ,,01/01/2026,15/01/2026,có,"SNV,P-VH",CB1\n' + 'NV-2,B,SNV,Sở Nội vụ,,01/01/2026,15/01/2026,,TINH,CB2\n';
    expect(await importFile(db, 'tasks', file('t1.csv', first), opts)).toMatchObject({ ok: true, inserted: 2 });
    // Replaced: one unit dropped, one added; the assignee changed; the other row's cells emptied.
    const second = ALL + 'NV-1,A,XA1,Sở Nội vụ,,01/01/2026,15/01/2026,không,"P-VH;TINH",CB4\n' + 'NV-2,B,SNV,UBND tỉnh,,01/01/2026,15/01/2026,,,\n';
    expect(await importFile(db, 'tasks', file('t2.csv', second), opts)).toMatchObject({ ok: true, inserted: 0, updated: 2 });
    expect(await state()).toEqual({
      'NV-1': { confirm: false, assignee: 'CB4', coop: ['P-VH', 'TINH'] },
      // An empty confirmation cell takes the default again: UBND tỉnh's.
      'NV-2': { confirm: true, assignee: null, coop: [] },
    });
    // Without the columns: what is on record stays, even where the issuer's default differs; a new task gets the default.
    const third = `${HEAD}\nNV-1,A sửa,XA1,UBND tỉnh,,01/01/2026,20/01/2026\nNV-3,C,XA1,UBND tỉnh,,01/01/2026,20/01/2026\n`;
    expect(await importFile(db, 'tasks', file('t3.csv', third), opts)).toMatchObject({ ok: true, inserted: 1, updated: 1 });
    expect(await state()).toEqual({
      'NV-1': { confirm: false, assignee: 'CB4', coop: ['P-VH', 'TINH'] },
      'NV-2': { confirm: true, assignee: null, coop: [] },
      'NV-3': { confirm: true, assignee: null, coop: [] },
    });
    // Only the co-operating column present: the others stay.
    const fourth = `${HEAD},Đơn vị phối hợp\nNV-1,A,XA1,UBND tỉnh,,01/01/2026,20/01/2026,SNV\n`;
    expect(await importFile(db, 'tasks', file('t4.csv', fourth), opts)).toMatchObject({ ok: true, updated: 1 });
    expect((await state())['NV-1']).toEqual({ confirm: false, assignee: 'CB4', coop: ['SNV'] });
    // A refused re-import changes nothing.
    const bad = `${ALL}NV-1,A,XA1,UBND tỉnh,,01/01/2026,20/01/2026,có,TINH,CB1\nNV-2,B,SNV,UBND tỉnh,,01/01/2026,15/01/2026,,,CB1\n`;
    expect(errorsOf(await importFile(db, 'tasks', file('t5.csv', bad), opts))).toEqual(['dòng 3: Người thực hiện: cán bộ mã CB1 không thuộc đơn vị chủ trì SNV']);
    expect((await state())['NV-1']).toEqual({ confirm: false, assignee: 'CB4', coop: ['SNV'] });
  });

  it('reads the columns from an .xlsx with English headers, boolean and number cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Nhiệm vụ');
    ws.addRow(['code', 'title', 'unit', 'assigned_by', 'source_doc', 'assigned_at', 'deadline', 'needs_confirmation', 'cooperating', 'assignee']);
    const d = (m: number, day: number) => new Date(Date.UTC(2026, m - 1, day));
    ws.addRow(['NV-1', 'A', 'XA1', 'Sở Nội vụ', '', d(1, 5), d(2, 10), true, 'SNV;TINH', 'CB1']);
    ws.addRow(['NV-2', 'B', 'SNV', 'UBND tỉnh', '', d(1, 5), d(2, 10), 0, null, 'cb2']);
    ws.addRow(['NV-3', 'C', 'SNV', 'UBND tỉnh', '', d(1, 5), d(2, 10), null, 'XA1', null]);
    ws.addRow(['NV-4', 'D', 'SNV', 'UBND tỉnh', '', d(1, 5), d(2, 10), false, null, null]);
    const f = path.join(dir, 'assign.xlsx');
    await wb.xlsx.writeFile(f);
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, inserted: 4 });
    expect(await state()).toEqual({
      'NV-1': { confirm: true, assignee: 'CB1', coop: ['SNV', 'TINH'] },
      'NV-2': { confirm: false, assignee: 'CB2', coop: [] },
      'NV-3': { confirm: true, assignee: null, coop: ['XA1'] },
      'NV-4': { confirm: false, assignee: null, coop: [] },
    });
    // The English header is the column named in a row error.
    const bad = new ExcelJS.Workbook();
    const bs = bad.addWorksheet('Nhiệm vụ');
    bs.addRow(['code', 'title', 'unit', 'assigned_by', 'source_doc', 'assigned_at', 'deadline', 'cooperating']);
    bs.addRow(['NV-1', 'A', 'XA1', 'Sở Nội vụ', '', d(1, 5), d(2, 10), 'XA9']);
    const g = path.join(dir, 'assign-bad.xlsx');
    await bad.xlsx.writeFile(g);
    expect(errorsOf(await importFile(db, 'tasks', g, opts))).toEqual(['dòng 2: cooperating: không có đơn vị mã XA9']);
    expect((await state())['NV-1'].coop).toEqual(['SNV', 'TINH']);
  });
});

describe('config: confirmation', () => {
  const configDir = (json: unknown) => {
    const d = fs.mkdtempSync(path.join(dir, 'cfg-'));
    fs.writeFileSync(path.join(d, 'default.json'), JSON.stringify(json));
    return d;
  };
  const base = JSON.parse(fs.readFileSync(path.resolve('config/default.json'), 'utf8')) as Record<string, unknown>;

  it('reads the default and the per-issuer values from the config (none per issuer as shipped)', () => {
    expect(loadConfig({ NHACVIEC_CONFIG: configDir(base) }).confirmation).toEqual({ default: false, byIssuer: {} });
    const perIssuer = { ...base, confirmation: { default: false, byIssuer: { 'UBND tỉnh': true } } };
    expect(loadConfig({ NHACVIEC_CONFIG: configDir(perIssuer) }).confirmation).toEqual({ default: false, byIssuer: { 'UBND tỉnh': true } });
    const { confirmation: _dropped, ...without } = base;
    expect(loadConfig({ NHACVIEC_CONFIG: configDir(without) }).confirmation).toEqual({ default: false, byIssuer: {} });
  });

  it('refuses a value that is not true or false, naming the key', () => {
    expect(() => loadConfig({ NHACVIEC_CONFIG: configDir({ ...base, confirmation: { default: false, byIssuer: { 'UBND tỉnh': 'có' } } }) })).toThrow(ConfigError);
    expect(() => loadConfig({ NHACVIEC_CONFIG: configDir({ ...base, confirmation: { default: 'yes' } }) })).toThrow(/confirmation\.default/);
  });
});
