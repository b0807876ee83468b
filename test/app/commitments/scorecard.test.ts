import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { targetsAtRisk, targetsDueSoon, unitsWithReportedTargets } from '../../../src/app/commitments/alerts.ts';
import { scorecard, scorecardToJson } from '../../../src/app/commitments/scorecard.ts';
import { formatScorecardText, scorecardToXlsx } from '../../../src/app/commitments/scorecard-format.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';
import { addCommitment, addTarget, addTask, addUnit, addValue, at, zone } from './fixture.ts';

/** Four units scoring 100, 50, 50 and 0 in 2025, plus a 2026 commitment. */
async function province(): Promise<Db> {
  const db = await testDb();
  const tinh = await addUnit(db, 'TINH', 'UBND tỉnh', null);
  const unit = async (code: string, name: string) => addCommitment(db, await addUnit(db, code, name, tinh), 2025);
  const a = await unit('XA-A', 'UBND xã A');
  const b = await unit('XA-B', 'UBND xã B');
  const c = await unit('XA-C', 'UBND xã C');
  const d = await unit('=XA-D', '@UBND xã D');
  const v = async (cid: number, code: string, value: number | null, over: Partial<Parameters<typeof addTarget>[2]> = {}) => {
    const id = await addTarget(db, cid, { code, comparator: '>=', target: 98, ...over });
    if (value !== null) await addValue(db, id, value, at('2025-11-30T10:00'));
  };
  await v(a, 'T1', 99);
  await v(a, 'T2', 0, { comparator: '<=', target: 0, measure: 'người' });
  await v(b, 'T1', 98);
  await v(b, 'T2', 97);
  await v(c, 'T1', 100);
  await v(c, 'T2', null); // no data counts as not met
  await v(d, 'T1', 10);
  // Valued after year end: does not count for 2025.
  const late = await addTarget(db, d, { code: 'T2', comparator: '>=', target: 1 });
  await addValue(db, late, 5, at('2026-01-05T10:00'));
  // A computed target on the province: its task on time in 2025.
  await addTarget(db, await addCommitment(db, tinh, 2025), { code: 'DH', comparator: '>=', target: 90, computed: 'on_time_rate' });
  await addTask(db, tinh, at('2025-03-01T08:00'), at('2025-04-01T23:59:59'), at('2025-03-20T08:00'));
  return db;
}

describe('scorecard', () => {
  it('ranks units by score with ties sharing a rank, judged as of the end of the year', async () => {
    const card = await scorecard(await province(), { year: 2025, zone });
    expect(card.asOf).toBe(at('2025-12-31T23:59:59.999'));
    expect(scorecardToJson(card)).toEqual({
      year: 2025,
      units: [
        // Equal scores: more targets met listed first, same rank.
        { code: 'XA-A', name: 'UBND xã A', met: 2, missed: 0, noData: 0, score: 100, rank: 1 },
        { code: 'TINH', name: 'UBND tỉnh', met: 1, missed: 0, noData: 0, score: 100, rank: 1 },
        { code: 'XA-B', name: 'UBND xã B', met: 1, missed: 1, noData: 0, score: 50, rank: 3 },
        { code: 'XA-C', name: 'UBND xã C', met: 1, missed: 0, noData: 1, score: 50, rank: 3 },
        { code: '=XA-D', name: '@UBND xã D', met: 0, missed: 1, noData: 1, score: 0, rank: 5 },
      ],
    });
    expect(Object.keys(JSON.parse(JSON.stringify(scorecardToJson(card))))).toEqual(['year', 'units']);
  });

  it('prints "Xếp thứ r/n" lines', async () => {
    const text = formatScorecardText(await scorecard(await province(), { year: 2025, zone }), zone);
    const lines = text.split('\n');
    expect(lines[0]).toBe('Kết quả thực hiện cam kết năm 2025 (tính đến 31/12/2025):');
    expect(lines[3]).toBe('Xếp thứ 3/5: UBND xã B (XA-B) — 50 điểm; đạt 1, không đạt 1, chưa có số liệu 0');
    expect(lines[5]).toBe('Xếp thứ 5/5: @UBND xã D (=XA-D) — 0 điểm; đạt 0, không đạt 1, chưa có số liệu 1');
    expect(formatScorecardText(await scorecard(await province(), { year: 2030, zone }), zone)).toContain('Chưa có đơn vị nào có cam kết năm 2030.');
  });

  it('writes an xlsx where no cell starts a formula', async () => {
    const buf = await scorecardToXlsx(await scorecard(await province(), { year: 2025, zone }), zone);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const rank = wb.getWorksheet('Xếp hạng')!;
    expect(rank.getRow(3).values).toEqual([undefined, '1/5', 'XA-A', 'UBND xã A', 2, 0, 0, 100]);
    expect(rank.getRow(7).values).toEqual([undefined, '5/5', "'=XA-D", "'@UBND xã D", 0, 1, 1, 0]);
    for (const ws of wb.worksheets) {
      ws.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string') expect(cell.value).not.toMatch(/^[=+\-@]/);
        }),
      );
    }
    expect(wb.getWorksheet('Chỉ tiêu')!.rowCount).toBe(1 + 9);
  });
});

describe('alerts for the scheduler', () => {
  async function year2026(): Promise<Db> {
    const db = await testDb();
    const xa = await addUnit(db, 'XA-AN', 'UBND xã An', null);
    const c = await addCommitment(db, xa, 2026);
    const risky = await addTarget(db, c, { code: 'CCHC-01', comparator: '>=', target: 98, indicator: 'Hồ sơ đúng hạn' });
    await addValue(db, risky, 90, at('2026-10-01T10:00'));
    const fine = await addTarget(db, c, { code: 'CCHC-02', comparator: '>=', target: 60, dueDate: '2026-12-07' });
    await addValue(db, fine, 64, at('2026-10-01T10:00'));
    await addTarget(db, c, { code: 'CCHC-03', comparator: '>=', target: 100, dueDate: '2026-11-28' });
    await addTarget(db, c, { code: 'DH-01', comparator: '>=', target: 90, computed: 'on_time_rate' });
    return db;
  }

  it('lists targets at risk with a line containing the code', async () => {
    const risks = await targetsAtRisk(await year2026(), { asOf: at('2026-11-20T08:00'), zone });
    expect(risks.map((r) => r.code)).toEqual(['CCHC-01']);
    expect(risks[0]!.text).toBe('⚠ UBND xã An: CCHC-01 Hồ sơ đúng hạn ≥ 98%, hiện 90%, hạn 31/12/2026');
  });

  it('gives targets not met whose due date is near, with the reminder bucket reached', async () => {
    const due = await targetsDueSoon(await year2026(), { asOf: at('2026-11-22T08:00'), days: [30, 7], zone });
    expect(due.map((d) => [d.code, d.daysLeft, d.bucket])).toEqual([['CCHC-03', 6, 7]]);
    expect(due[0]!.text).toContain('CCHC-03');
    expect(due[0]!.text).toContain('đến hạn 28/11/2026 (còn 6 ngày)');
    const later = await targetsDueSoon(await year2026(), { asOf: at('2026-12-01T08:00'), days: [30, 7], zone });
    // CCHC-02 is met: no reminder. CCHC-03 is past due. DH-01 has no data yet.
    expect(later.map((d) => [d.code, d.daysLeft, d.bucket])).toEqual([
      ['CCHC-01', 30, 30],
      ['DH-01', 30, 30],
    ]);
    expect(await targetsDueSoon(await year2026(), { asOf: at('2026-10-01T08:00'), days: [30, 7], zone })).toEqual([]);
  });

  it('lists units with reported targets for the monthly prompt', async () => {
    const units = await unitsWithReportedTargets(await year2026(), 2026);
    expect(units.map((u) => [u.code, u.targetCodes])).toEqual([['XA-AN', ['CCHC-01', 'CCHC-02', 'CCHC-03']]]);
    expect(units[0]!.text).toContain('/camket capnhat CCHC-01 98,5%');
    expect(await unitsWithReportedTargets(await year2026(), 2027)).toEqual([]);
  });
});
