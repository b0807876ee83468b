// Tasks without a deadline, suspended tasks and completion reports awaiting confirmation in the
// report: out of the four counts and the rate, on lines of their own (text, JSON, .xlsx).
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { reportToJson } from '../../../src/app/report/format-json.ts';
import { formatReportText } from '../../../src/app/report/format-text.ts';
import { reportToXlsx } from '../../../src/app/report/format-xlsx.ts';
import { buildReport } from '../../../src/app/report.service.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';

const zone = 'Asia/Ho_Chi_Minh';
const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const asOf = T0 + 30 * DAY;

async function seed(db: Db): Promise<void> {
  await db.orm.insert(db.t.units).values([
    { id: 1, code: 'TINH', name: 'UBND tỉnh', parentId: null, path: '/1/' },
    { id: 2, code: 'SNV', name: 'Sở Nội vụ', parentId: 1, path: '/1/2/' },
  ]);
  const base = { unitId: 2, title: 'Nhiệm vụ', assignedAt: T0, createdAt: T0, updatedAt: T0 };
  const at = (d: number | null) => (d === null ? null : T0 + d * DAY);
  const rows: { code: string; deadline: number | null; completedAt?: number | null; suspendedAt?: number | null; reportedAt?: number | null }[] = [
    { code: 'DUNG-HAN', deadline: 20, completedAt: 10 },
    { code: 'QUA-HAN', deadline: 20 },
    // Reported on time, not confirmed: overdue now, and awaiting confirmation.
    { code: 'CHO-XN', deadline: 25, reportedAt: 24 },
    { code: 'SAP-HAN', deadline: 32 },
    { code: 'CON-XA', deadline: 60 },
    { code: 'KHONG-HAN', deadline: null },
    { code: 'KHONG-HAN-XONG', deadline: null, completedAt: 5 },
    // Suspended before its deadline passed: neither overdue nor counted.
    { code: 'TAM-DUNG', deadline: 15, suspendedAt: 10 },
  ];
  await db.orm.insert(db.t.tasks).values(
    rows.map((r) => ({
      ...base,
      code: r.code,
      deadline: at(r.deadline),
      effectiveDeadline: at(r.deadline),
      completedAt: at(r.completedAt ?? null),
      suspendedAt: at(r.suspendedAt ?? null),
      reportedAt: at(r.reportedAt ?? null),
    })),
  );
}

describe('report: no deadline, suspended, awaiting confirmation, due soon', () => {
  it('counts them beside the four buckets, and lists none of them as overdue but the awaiting one', async () => {
    const db = await testDb();
    await seed(db);
    const r = await buildReport(db, { asOf, nearDeadlineDays: 3 }, zone);
    expect(r.totals).toEqual({
      total: 5, doneOnTime: 1, doneLate: 0, overdue: 2, inProgress: 2, dueSoon: 1, awaitingConfirmation: 1, noDeadline: 2, suspended: 1,
    });
    expect(r.units[0].onTimeRate).toBeCloseTo(1 / 3);
    expect(r.overdue.map((t) => t.code)).toEqual(['QUA-HAN', 'CHO-XN']);
    // nearDeadlineDays widens or narrows dueSoon only.
    expect((await buildReport(db, { asOf, nearDeadlineDays: 40 }, zone)).totals.dueSoon).toBe(2);

    const json = reportToJson(r, zone) as { totals: Record<string, number>; units: Record<string, number>[] };
    expect(json.totals).toMatchObject({ dueSoon: 1, awaitingConfirmation: 1, noDeadline: 2, suspended: 1 });
    expect(json.units[0]).toMatchObject({ total: 5, dueSoon: 1, awaitingConfirmation: 1, noDeadline: 2, suspended: 1 });

    const text = formatReportText(r, zone);
    expect(text).toContain('Tổng số nhiệm vụ được giao: 5.');
    expect(text).toContain('Sắp đến hạn (trong số đang thực hiện): 1.');
    expect(text).toContain('Đã báo hoàn thành, chờ xác nhận (chưa tính là hoàn thành): 1.');
    expect(text).toContain('Nhiệm vụ không thời hạn (không tính vào các số trên): 2.');
    expect(text).toContain('Nhiệm vụ tạm dừng (không tính vào các số trên): 1.');
    expect(text).toContain('; không thời hạn 2; tạm dừng 1');
    expect(text).not.toContain('TAM-DUNG');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportToXlsx(db, r, zone)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Nhiệm vụ')!;
    const byCode = new Map<string, unknown[]>();
    sheet.eachRow((row) => byCode.set(String(row.getCell(1).value), (row.values as unknown[]).slice(1)));
    expect(byCode.get('KHONG-HAN')?.[7]).toBe('Không thời hạn');
    expect(byCode.get('KHONG-HAN')?.[10]).toBe('Không thời hạn');
    expect(byCode.get('TAM-DUNG')?.[10]).toBe('Tạm dừng');
    expect(byCode.get('TAM-DUNG')?.[11] ?? '').toBe('');
    expect(byCode.get('CHO-XN')?.[10]).toBe('Quá hạn chưa hoàn thành (chờ xác nhận)');
    const summary = wb.getWorksheet('Tổng hợp')!;
    const cells: unknown[] = [];
    summary.eachRow((row) => cells.push(...(row.values as unknown[]).slice(1)));
    expect(cells).toEqual(expect.arrayContaining(['Sắp đến hạn', 'Chờ xác nhận', 'Không thời hạn', 'Tạm dừng', 'Nhiệm vụ tạm dừng (không tính vào các số trên): 1.']));
  });
});
