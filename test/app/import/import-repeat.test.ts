import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { asc, eq, like, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatRowErrors, importFile, importRows, type ImportResult } from '../../../src/app/import/import.service.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';

// The tasks import's optional `Lặp lại` / `repeat` column.
const zone = 'Asia/Ho_Chi_Minh';
const now = DateTime.fromISO('2026-11-22T10:00', { zone }).toMillis();
// 20/01/2027 is a Wednesday made a day off here, so the January occurrence moves to Tuesday 19/01.
const opts = { zone, now, calendar: { holidays: ['2027-01-20'], makeUpDays: [] } };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-imp-repeat-'));
const file = (name: string, content: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};

const HEAD = 'Mã,Nội dung,Đơn vị chủ trì,Cơ quan giao,Văn bản giao,Ngày giao,Hạn hoàn thành,Lặp lại\n';
const GOOD = `${HEAD}NV-1,Báo cáo tình hình kinh tế - xã hội,XA1,UBND tỉnh,KH 02,01/12/2026,20/12/2026,hằng tháng ngày 20\nNV-2,Rà soát thủ tục,XA1,UBND tỉnh,KH 02,01/12/2026,15/12/2026,\n`;

const count = async (db: Db, table: string) => (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`))!.n;
const codes = async (db: Db, prefix: string) => {
  const { tasks } = db.t;
  return (await db.orm.select({ code: tasks.code }).from(tasks).where(like(tasks.code, `${prefix}%`)).orderBy(asc(tasks.code))).map((r) => r.code);
};
const deadlineOf = async (db: Db, code: string) => {
  const { tasks } = db.t;
  const [row] = await db.orm.select({ deadline: tasks.deadline }).from(tasks).where(eq(tasks.code, code));
  return row.deadline === null ? 'không thời hạn' : DateTime.fromMillis(row.deadline, { zone }).toFormat('dd/MM/yyyy');
};
const errorsOf = (r: ImportResult) => (r.ok ? [] : formatRowErrors(r.errors).split('\n'));

let db: Db;
beforeEach(async () => {
  db = await testDb();
  const r = await importFile(db, 'units', file('units.csv', 'Mã,Tên đơn vị,Đơn vị cấp trên,Loại\nTINH,UBND tỉnh,,tỉnh\nXA1,UBND xã Tân Lập,TINH,xã\n'), opts);
  expect(r.ok).toBe(true);
});

describe('tasks import with a repeat column', () => {
  it('makes a task with a rule the first occurrence of a new rule, in the import, and leaves a row without one alone', async () => {
    const r = await importFile(db, 'tasks', file('good.csv', GOOD), opts);
    expect(r).toMatchObject({ ok: true, rows: 2, inserted: 2, updated: 0, rules: 1 });
    const { recurringRules: rr, tasks } = db.t;
    const rule = await db.orm.select({ id: rr.id, code: rr.code, title: rr.title, ruleText: rr.ruleText, active: rr.active }).from(rr);
    expect(rule).toEqual([{ id: rule[0].id, code: 'NV-1-LL', title: 'Báo cáo tình hình kinh tế - xã hội', ruleText: 'hằng tháng ngày 20', active: true }]);
    expect(await db.orm.select({ r: tasks.ruleId }).from(tasks).where(eq(tasks.code, 'NV-1'))).toEqual([{ r: rule[0].id }]);
    expect(await db.orm.select({ r: tasks.ruleId }).from(tasks).where(eq(tasks.code, 'NV-2'))).toEqual([{ r: null }]);
    // The rule starts after the task's deadline (20/12/2026): January and February 2027.
    expect(await codes(db, 'NV-1-LL')).toEqual(['NV-1-LL-2027-01', 'NV-1-LL-2027-02']);
    expect(await deadlineOf(db, 'NV-1-LL-2027-01')).toBe('19/01/2027');
    // 20/02/2027 is a Saturday: the Friday before.
    expect(await deadlineOf(db, 'NV-1-LL-2027-02')).toBe('19/02/2027');
  });

  it('reads the English header and a rule without diacritics', async () => {
    const r = await importRows(
      db,
      'tasks',
      [{ code: 'NV-3', title: 'Báo cáo quý', unit: 'XA1', assigned_by: 'UBND tỉnh', source_doc: '', assigned_at: '01/12/2026', deadline: '15/12/2026', repeat: 'hang quy ngay 15 thang cuoi quy' }],
      opts,
    );
    expect(r).toMatchObject({ ok: true, rules: 1 });
    expect(await codes(db, 'NV-3-LL')).toEqual(['NV-3-LL-2027-Q1', 'NV-3-LL-2027-Q2']);
  });

  it('refuses a bad rule with its row number and the accepted forms, writing nothing at all', async () => {
    const bad = `${HEAD}NV-1,Báo cáo tháng,XA1,UBND tỉnh,,01/12/2026,20/12/2026,hằng tháng ngày 20\nNV-2,Báo cáo tuần,XA1,UBND tỉnh,,01/12/2026,04/12/2026,mỗi khi cần\nNV-3,Báo cáo khác,XA1,UBND tỉnh,,01/12/2026,04/12/2026,hằng tháng ngày 40\n`;
    const r = await importFile(db, 'tasks', file('bad.csv', bad), opts);
    const lines = errorsOf(r);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^dòng 3: Lặp lại: Không hiểu quy tắc lặp lại "mỗi khi cần"\. Các dạng được chấp nhận: "hằng tháng ngày 20";/);
    // The forms are listed once; the next bad rule points back to them.
    expect(lines[1]).toBe('dòng 4: Lặp lại: Ngày 40 không hợp lệ: ngày trong tháng từ 1 đến 31. Xem các dạng được chấp nhận ở dòng 3.');
    expect(await count(db, 'tasks')).toBe(0);
    expect(await count(db, 'recurring_rules')).toBe(0);
  });

  it('refuses a rule that ends before any occurrence after the task', async () => {
    const r = await importFile(db, 'tasks', file('ended.csv', `${HEAD}NV-1,Báo cáo,XA1,UBND tỉnh,,01/12/2026,20/12/2026,hằng tháng ngày 20 đến 31/12/2026\n`), opts);
    expect(errorsOf(r)).toEqual([
      'dòng 2: Lặp lại: quy tắc lặp lại kết thúc trước khi có kỳ nào sau hạn của nhiệm vụ; hãy kiểm tra ngày kết thúc hoặc số lần',
    ]);
    expect(await count(db, 'tasks')).toBe(0);
  });

  it('checks the rules on a dry run without writing anything', async () => {
    const ok = await importFile(db, 'tasks', file('dry.csv', GOOD), { ...opts, dryRun: true });
    expect(ok).toMatchObject({ ok: true, rows: 2, dryRun: true, rules: 1 });
    const bad = await importFile(db, 'tasks', file('dry-bad.csv', `${HEAD}NV-1,Báo cáo,XA1,UBND tỉnh,,01/12/2026,20/12/2026,hằng ngày\n`), { ...opts, dryRun: true });
    expect(errorsOf(bad)[0]).toMatch(/^dòng 2: Lặp lại: Không hiểu quy tắc lặp lại "hằng ngày"/);
    expect(await count(db, 'tasks')).toBe(0);
    expect(await count(db, 'recurring_rules')).toBe(0);
  });

  it('re-importing the same sheet keeps the one rule and its occurrences; a changed rule is refused', async () => {
    const f = file('again.csv', GOOD);
    expect(await importFile(db, 'tasks', f, opts)).toMatchObject({ ok: true, rules: 1 });
    const again = await importFile(db, 'tasks', f, opts);
    expect(again).toMatchObject({ ok: true, inserted: 0, updated: 2 });
    expect(again.ok && again.rules).toBeFalsy();
    expect(await count(db, 'recurring_rules')).toBe(1);
    expect(await codes(db, 'NV-1-LL')).toEqual(['NV-1-LL-2027-01', 'NV-1-LL-2027-02']);
    // The same rule written another way is the same rule.
    const sameOtherWay = await importFile(db, 'tasks', file('same.csv', GOOD.replace('hằng tháng ngày 20', 'hang thang ngay 20')), opts);
    expect(sameOtherWay.ok).toBe(true);
    const changed = await importFile(db, 'tasks', file('changed.csv', GOOD.replace('hằng tháng ngày 20', 'hằng quý ngày 15 tháng cuối quý')), opts);
    expect(errorsOf(changed)).toEqual([
      'dòng 2: Lặp lại: nhiệm vụ NV-1 đã lặp lại theo quy tắc NV-1-LL ("hằng tháng ngày 20"); không đổi quy tắc qua tệp nhập được, hãy giữ quy tắc cũ hoặc để trống ô này',
    ]);
    expect(await count(db, 'recurring_rules')).toBe(1);
  });

  it('starts the rule of an old task from today, never making overdue occurrences of past months', async () => {
    const r = await importFile(db, 'tasks', file('old.csv', `${HEAD}NV-9,Báo cáo tháng 1,XA1,UBND tỉnh,,02/01/2026,20/01/2026,hằng tháng ngày 20\n`), opts);
    expect(r).toMatchObject({ ok: true, rules: 1 });
    // Today is 22/11/2026: November's deadline is past, so December (20/12 is a Sunday: Friday 18/12) comes first.
    expect(await codes(db, 'NV-9-LL')).toEqual(['NV-9-LL-2026-12', 'NV-9-LL-2027-01']);
    expect(await deadlineOf(db, 'NV-9-LL-2026-12')).toBe('18/12/2026');
  });

  it('refuses a repeat on a task that is itself an occurrence of a rule', async () => {
    await importFile(db, 'tasks', file('first.csv', GOOD), opts);
    const r = await importFile(db, 'tasks', file('occ.csv', `${HEAD}NV-1-LL-2027-01,Báo cáo,XA1,UBND tỉnh,,01/01/2027,19/01/2027,hằng tháng ngày 20\n`), opts);
    expect(errorsOf(r)).toEqual(['dòng 2: Lặp lại: nhiệm vụ NV-1-LL-2027-01 là một kỳ của nhiệm vụ định kỳ NV-1-LL, không đặt lặp lại riêng được']);
  });
});
