// A year that has ended: its final values entered in January (chat or import) are judged, dated at the due date.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordFromChat } from '../../../src/app/commitments/chat.ts';
import { recordTargetValue } from '../../../src/app/commitments/record.ts';
import { scorecard } from '../../../src/app/commitments/scorecard.ts';
import { importFile } from '../../../src/app/import/import.service.ts';
import type { Actor } from '../../../src/app/auth.ts';
import { loadConfig } from '../../../src/config.ts';
import type { Db } from '../../../src/db/open.ts';
import { yearEnd } from '../../../src/domain/commitments.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';
import { testDb } from '../../helpers/db.ts';
import { addCommitment, addOfficer, addTarget, addUnit, at, snapshot, zone } from './fixture.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-final-'));
const file = (name: string, content: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, content);
  return f;
};
const HEAD = 'Đơn vị,Năm,Ngày ký,Văn bản,Mã chỉ tiêu,Chỉ tiêu,So sánh,Mục tiêu,Đơn vị tính,Hiện đạt,Hạn';
const JANUARY = at('2026-01-12T09:00');

async function values(db: Db) {
  const v = db.t.targetValues;
  return db.orm.select({ value: v.value, at: v.measuredAt, source: v.source }).from(v).orderBy(asc(v.id));
}

describe('final values of the year just ended', () => {
  let db: Db;
  let xa: number;
  let officer: number;
  beforeEach(async () => {
    db = await testDb();
    xa = await addUnit(db, 'XA1', 'UBND xã A', null);
    officer = await addOfficer(db, 'CB-A', xa);
  });

  it('an import in January dates "Hiện đạt" at the due date, so the 2025 scorecard has data; re-importing adds nothing', async () => {
    const csv =
      `${HEAD}\n` +
      'XA1,2025,15/01/2025,CK 05,CT1,Tỷ lệ hồ sơ đúng hạn,>=,98,%,"98,4",\n' +
      'XA1,2025,15/01/2025,CK 05,CT2,Tỷ lệ giải ngân,>=,95,%,90,30/06/2025\n';
    expect(await importFile(db, 'commitments', file('c.csv', csv), { zone, now: JANUARY })).toMatchObject({ ok: true, inserted: 2 });
    expect(await values(db)).toEqual([
      { value: 98.4, at: yearEnd(2025, zone), source: 'import' },
      { value: 90, at: at('2025-06-30T23:59:59.999'), source: 'import' },
    ]);
    const card = await scorecard(db, { year: 2025, asOf: yearEnd(2025, zone), zone });
    expect(card.units[0]).toMatchObject({ code: 'XA1', met: 1, missed: 1, noData: 0 });
    expect(await importFile(db, 'commitments', file('c.csv', csv), { zone, now: JANUARY + 60_000 })).toMatchObject({ ok: true, inserted: 0 });
    expect(await values(db)).toHaveLength(2);
  });

  it('"Ngày số liệu" dates a value; one after the due date is the final value; a future date or one before the year is refused', async () => {
    const head = `${HEAD},Ngày số liệu`;
    const ok =
      `${head}\n` +
      'XA1,2025,15/01/2025,CK 05,CT1,Tỷ lệ hồ sơ đúng hạn,>=,98,%,97,,30/09/2025\n' +
      'XA1,2025,15/01/2025,CK 05,CT2,Tỷ lệ giải ngân,>=,95,%,96,,05/01/2026\n';
    expect(await importFile(db, 'commitments', file('d.csv', ok), { zone, now: JANUARY })).toMatchObject({ ok: true });
    expect(await values(db)).toEqual([
      { value: 97, at: at('2025-09-30T00:00'), source: 'import' },
      { value: 96, at: yearEnd(2025, zone), source: 'import' },
    ]);
    // The year-end value of CT1 comes later and differs from the September one: it is added.
    const later = `${head}\nXA1,2025,15/01/2025,CK 05,CT1,Tỷ lệ hồ sơ đúng hạn,>=,98,%,"98,2",,\n`;
    expect(await importFile(db, 'commitments', file('e.csv', later), { zone, now: JANUARY })).toMatchObject({ ok: true });
    expect((await values(db))[2]).toEqual({ value: 98.2, at: yearEnd(2025, zone), source: 'import' });

    const before = await snapshot(db);
    const bad =
      `${head}\n` +
      'XA1,2025,15/01/2025,CK 05,CT1,Tỷ lệ hồ sơ đúng hạn,>=,98,%,97,,20/01/2026\n' +
      'XA1,2025,15/01/2025,CK 05,CT2,Tỷ lệ giải ngân,>=,95,%,96,,31/12/2024\n' +
      'XA1,2025,15/01/2025,CK 05,CT3,Số cán bộ bị kỷ luật,<=,0,người,,,10/01/2026\n' +
      'XA1,2025,15/01/2025,CK 05,CT4,Tỷ lệ số hóa,>=,80,%,85,,31/02/2025\n';
    const r = await importFile(db, 'commitments', file('f.csv', bad), { zone, now: JANUARY });
    expect(r.ok).toBe(false);
    const reasons = r.ok ? [] : r.errors.map((e) => `${e.row}: ${e.column}: ${e.reason}`);
    expect(reasons).toEqual([
      '2: Ngày số liệu: ngày số liệu 20/01/2026 chưa đến',
      '3: Ngày số liệu: ngày số liệu 31/12/2024 trước năm 2025 của cam kết',
      '4: Ngày số liệu: có ngày số liệu nhưng thiếu Hiện đạt',
      expect.stringMatching(/^5: Ngày số liệu: .*31\/02\/2025/),
    ]);
    expect(await snapshot(db)).toEqual(before);
  });

  it('/camket capnhat with the year just ended records its final value; another year is refused with nothing written', async () => {
    const c = await addCommitment(db, xa, 2025, at('2025-01-15T08:00'));
    await addTarget(db, c, { code: 'CT1', comparator: '>=', target: 98, indicator: 'Tỷ lệ hồ sơ đúng hạn' });
    await addCommitment(db, xa, 2026, at('2026-01-10T08:00'));
    const r = await recordTargetValue(db, { officerId: officer, unitId: xa, targetCode: 'ct1', valueText: '98,3%', now: JANUARY, year: 2025, zone });
    expect(r).toMatchObject({ measuredAt: yearEnd(2025, zone), status: 'met' });
    expect(r.text).toBe('Đã ghi chỉ tiêu CT1: 98,3% (số liệu cuối năm 2025, tính đến 31/12/2025).\nChỉ tiêu ≥ 98% — ✓ đạt.');

    const actor: Actor = {
      officerId: officer,
      code: 'CB-A',
      fullName: 'Cán bộ CB-A',
      role: 'head',
      title: null,
      unitId: xa,
      unitCode: 'XA1',
      unitName: 'UBND xã A',
      unitPath: `/${xa}/`,
      accountId: 1,
      privateChatId: 'p-a',
    };
    const ctx = (now: number) => ({ db, config: loadConfig({}), now, channel: 'telegram' as const, chatId: 'p-a', chatType: 'private' as const, userId: 'a' });
    const replies = await recordFromChat(ctx(JANUARY + 1000), actor, { targetCode: 'CT1', value: '97', year: 2025 });
    expect(replies[0]!.text).toMatch(/^Đã ghi chỉ tiêu CT1: 97% \(số liệu cuối năm 2025, tính đến 31\/12\/2025\)\.\nChỉ tiêu ≥ 98% — ✗ không đạt\.$/);
    const before = await snapshot(db);
    for (const [now, year] of [
      [at('2026-04-01T08:00'), 2025],
      [JANUARY, 2024],
      [JANUARY, 2027],
    ] as const) {
      await expect(recordFromChat(ctx(now), actor, { targetCode: 'CT1', value: '99', year })).rejects.toThrow(InvalidInput);
    }
    await expect(recordFromChat(ctx(JANUARY), actor, { targetCode: 'CT1', value: '99', year: 2024 })).rejects.toThrow(
      'Chỉ cập nhật được chỉ tiêu năm 2026 và số liệu cuối năm 2025 (đến hết 31/03/2026); năm 2024 không cập nhật được.',
    );
    expect(await snapshot(db)).toEqual(before);
  });
});
