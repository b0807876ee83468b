import { asc, count } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordTargetValue } from '../../../src/app/commitments/record.ts';
import { showCommitments } from '../../../src/app/commitments/show.ts';
import type { Db } from '../../../src/db/open.ts';
import { DomainError, InvalidInput, NotAllowed, NotFound } from '../../../src/domain/errors.ts';
import { testDb } from '../../helpers/db.ts';
import { addCommitment, addOfficer, addTarget, addUnit, addValue, at, snapshot, zone } from './fixture.ts';

describe('/camket capnhat: recording a measured value', () => {
  let db: Db;
  let xa: number;
  let officer: number;
  let target: number;
  const now = at('2026-06-10T09:00');
  beforeEach(async () => {
    db = await testDb();
    const tinh = await addUnit(db, 'TINH', 'UBND tỉnh', null);
    xa = await addUnit(db, 'XA-AN', 'UBND xã An', tinh);
    const son = await addUnit(db, 'XA-SON', 'UBND xã Sơn', tinh);
    officer = await addOfficer(db, 'CB-AN', xa);
    const c = await addCommitment(db, xa, 2026, at('2026-01-15T08:00'));
    target = await addTarget(db, c, { code: 'CCHC-01', comparator: '>=', target: 98, indicator: 'Tỷ lệ hồ sơ giải quyết đúng hạn' });
    await addTarget(db, c, { code: 'DH-01', comparator: '>=', target: 90, computed: 'on_time_rate' });
    await addTarget(db, await addCommitment(db, son, 2026), { code: 'SON-01', comparator: '<=', target: 0, measure: 'người' });
  });

  const record = (over: Partial<Parameters<typeof recordTargetValue>[1]> = {}) =>
    recordTargetValue(db, { officerId: officer, unitId: xa, targetCode: 'cchc-01', valueText: '98,5%', source: 'Cổng dịch vụ công', now, zone, ...over });

  it('writes one value with who, when and the source, and says the status', async () => {
    const r = await record();
    expect(r).toMatchObject({ targetCode: 'CCHC-01', value: 98.5, status: 'met' });
    expect(r.text).toBe('Đã ghi chỉ tiêu CCHC-01: 98,5% (10/06/2026, nguồn: Cổng dịch vụ công).\nChỉ tiêu ≥ 98% — ✓ đạt.');
    const v = db.t.targetValues;
    expect(
      await db.orm
        .select({ target_id: v.targetId, value: v.value, measured_at: v.measuredAt, officer_id: v.officerId, source: v.source })
        .from(v)
        .orderBy(asc(v.id)),
    ).toEqual([{ target_id: target, value: 98.5, measured_at: now, officer_id: officer, source: 'Cổng dịch vụ công' }]);
    // The year defaults to the year of now; the history keeps every entry.
    await record({ valueText: '97.2', source: null, now: now + 1000 });
    const { data } = await showCommitments(db, { unitCode: 'XA-AN', asOf: now + 2000, zone });
    // The latest entry is judged, and falling from 98,5 to 97,2 is a trend that will not reach 98.
    expect(data.targets.find((t) => t.code === 'CCHC-01')).toMatchObject({ lastValue: 97.2, status: 'atRisk' });
    expect(await db.orm.select({ n: count() }).from(db.t.targetValues)).toEqual([{ n: 2 }]);
  });

  it.each([
    ['a value that is not a number', { valueText: '98,5 điểm' }, InvalidInput, /không phải là số\. Hãy nhập một số, ví dụ: 98,5/],
    ['an empty value', { valueText: ' ' }, InvalidInput, /^Thiếu giá trị\./],
    ['an unknown target code', { targetCode: 'XYZ-9' }, NotFound, /^Không có chỉ tiêu mã XYZ-9 trong cam kết năm 2026 của UBND xã An\. Các mã có thể cập nhật: CCHC-01\.$/],
    ['a target of another unit', { targetCode: 'son-01' }, NotAllowed, /^Chỉ tiêu SON-01 thuộc cam kết của UBND xã Sơn, không phải của UBND xã An/],
    ['a computed target', { targetCode: 'DH-01' }, InvalidInput, /^Chỉ tiêu DH-01 được tự tính từ số liệu nhiệm vụ, không nhập tay được\.$/],
    ['a year with no commitment', { year: 2025 }, NotFound, /^UBND xã An chưa có cam kết năm 2025, nên chưa cập nhật được chỉ tiêu\.$/],
    ['a missing target code', { targetCode: '  ' }, InvalidInput, /^Thiếu mã chỉ tiêu\./],
  ] as const)('%s: one Vietnamese sentence, nothing written', async (_name, over, type, message) => {
    await addValue(db, target, 90, at('2026-03-01'));
    const before = await snapshot(db);
    let thrown: unknown;
    try {
      await record(over);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(type);
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toMatch(/\n|at .*\.ts/);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe('/camket: showing a commitment', () => {
  it('lists each target with status, goal, last value and its date, due date; refuses a year without commitment', async () => {
    const db = await testDb();
    const xa = await addUnit(db, 'XA-AN', 'UBND xã An', null);
    const c = await addCommitment(db, xa, 2026, at('2026-01-15T08:00'));
    const t1 = await addTarget(db, c, { code: 'CCHC-01', comparator: '>=', target: 98, indicator: 'Tỷ lệ hồ sơ đúng hạn' });
    await addTarget(db, c, { code: 'KL-01', comparator: '<=', target: 0, measure: 'người', indicator: 'Cán bộ bị kỷ luật', dueDate: '2026-06-30' });
    await addValue(db, t1, 96.5, at('2026-11-01T10:00'));
    const { data, text } = await showCommitments(db, { unitCode: 'XA-AN', year: 2026, asOf: at('2026-11-20T10:00'), zone });
    expect(data).toMatchObject({ unit: { code: 'XA-AN', name: 'UBND xã An' }, year: 2026, signedAt: at('2026-01-15T08:00') });
    expect(text.split('\n').slice(0, 3)).toEqual([
      'Cam kết năm 2026 của UBND xã An (Bản cam kết số 05/CK-UBND năm 2026, ký ngày 15/01/2026):',
      '⚠ CCHC-01 Tỷ lệ hồ sơ đúng hạn: ≥ 98%; hiện 96,5% (01/11/2026); hạn 31/12/2026',
      '— KL-01 Cán bộ bị kỷ luật: ≤ 0 người; chưa có số liệu; hạn 30/06/2026',
    ]);
    await expect(showCommitments(db, { unitCode: 'XA-AN', year: 2025, asOf: at('2026-11-20T10:00'), zone })).rejects.toThrow(
      /^UBND xã An chưa có cam kết năm 2025\./,
    );
    await expect(showCommitments(db, { unitCode: 'XA-ZZ', asOf: at('2026-11-20T10:00'), zone })).rejects.toThrow(NotFound);
  });
});
