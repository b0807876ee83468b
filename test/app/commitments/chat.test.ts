// /camket, /camket capnhat and /camket tongket through the bot core, over the demo province (23/11/2026).
import { asc, eq, isNotNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { harness, NOW } from '../chat/helpers.ts';
import { addCommitment, addTarget, snapshot } from './fixture.ts';

async function values(db: Db) {
  const { targetValues: v, commitmentTargets: t, commitments: c, units: u, officers: o } = db.t;
  return db.orm
    .select({ unit: u.code, code: t.code, value: v.value, at: v.measuredAt, officer: o.code, source: v.source })
    .from(v)
    .innerJoin(t, eq(t.id, v.targetId))
    .innerJoin(c, eq(c.id, t.commitmentId))
    .innerJoin(u, eq(u.id, c.unitId))
    .leftJoin(o, eq(o.id, v.officerId))
    .where(isNotNull(v.officerId))
    .orderBy(asc(v.id));
}

/** XA-SON signs a commitment too, with a target code XA-AN also has. */
async function withSecondCommitment(db: Db): Promise<void> {
  const { units } = db.t;
  const [son] = await db.orm.select({ id: units.id }).from(units).where(eq(units.code, 'XA-SON'));
  const c = await addCommitment(db, son.id, 2026);
  await addTarget(db, c, { code: 'CCHC-01', comparator: '>=', target: 95, indicator: 'Tỷ lệ hồ sơ giải quyết đúng hạn' });
  await addTarget(db, c, { code: 'KL-01', comparator: '<=', target: 0, measure: 'người', indicator: 'Cán bộ bị kỷ luật' });
}

describe('/camket capnhat', () => {
  it('a head records a value of the own unit; the reply gives the new status and /camket shows it', async () => {
    const h = await harness();
    const head = await h.link('CT-XA-AN');
    expect(await h.say(head, '/camket capnhat cchc-01 98,5% nguồn: Cổng dịch vụ công')).toBe(
      'Đã ghi chỉ tiêu CCHC-01: 98,5% (23/11/2026, nguồn: Cổng dịch vụ công).\nChỉ tiêu ≥ 98% — ✓ đạt.',
    );
    expect(await values(h.db)).toEqual([{ unit: 'XA-AN', code: 'CCHC-01', value: 98.5, at: NOW, officer: 'CT-XA-AN', source: 'Cổng dịch vụ công' }]);
    expect(await h.say(head, '/camket', {}, NOW + 60_000)).toContain('✓ CCHC-01 Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn: ≥ 98%; hiện 98,5%');
    // English form, a value still short of the target.
    expect(await h.say(head, '/commitments update CCHC-02 55.5')).toMatch(/^Đã ghi chỉ tiêu CCHC-02: 55,5% \(23\/11\/2026\)\.\nChỉ tiêu ≥ 60% — ⚠ /);
  });

  it('an officer of the unit (often the statistics officer) records its value too, under their own name', async () => {
    const h = await harness();
    const officer = await h.link('CB-XA-AN');
    expect(await h.say(officer, '/camket capnhat CCHC-01 97 Cổng dịch vụ công')).toMatch(/^Đã ghi chỉ tiêu CCHC-01: 97% \(23\/11\/2026, nguồn: Cổng dịch vụ công\)/);
    expect(await values(h.db)).toMatchObject([{ unit: 'XA-AN', code: 'CCHC-01', value: 97, officer: 'CB-XA-AN' }]);
  });

  it('a chair records for any unit: by target code when only one unit has it, else with the unit code', async () => {
    const h = await harness();
    await withSecondCommitment(h.db);
    const chair = await h.link('CT-TINH');
    expect(await h.say(chair, '/camket capnhat PAR-01 86,2')).toMatch(/^Đã ghi chỉ tiêu PAR-01: 86,2%/);
    expect(await h.say(chair, '/camket capnhat KL-01 0 Thanh tra tỉnh')).toMatch(/^Đã ghi chỉ tiêu KL-01: 0 người \(23\/11\/2026, nguồn: Thanh tra tỉnh\)/);
    expect(await h.say(chair, '/camket capnhat xa-son CCHC-01 96')).toMatch(/^Đã ghi chỉ tiêu CCHC-01: 96%.*\nChỉ tiêu ≥ 95% — ✓ đạt\.$/);
    expect(await values(h.db)).toMatchObject([
      { unit: 'TINH', code: 'PAR-01', value: 86.2, officer: 'CT-TINH' },
      { unit: 'XA-SON', code: 'KL-01', value: 0, source: 'Thanh tra tỉnh' },
      { unit: 'XA-SON', code: 'CCHC-01', value: 96 },
    ]);
  });

  it.each([
    ['unlinked', null, '/camket capnhat CCHC-01 99', /^Anh\/chị chưa liên kết tài khoản/],
    ['an officer, another unit named', 'CB-XA-AN', '/camket capnhat XA-SON KL-01 0', /^Chỉ tiêu cam kết của XA-SON không thuộc đơn vị của anh\/chị \(UBND xã An Bình\)/],
    ['someone of a unit with no commitment', 'QT-NV', '/camket capnhat CCHC-01 99', /^Sở Nội vụ chưa có cam kết năm 2026, nên chưa cập nhật được chỉ tiêu\.$/],
    ['a head, another unit named', 'CT-XA-AN', '/camket capnhat XA-SON KL-01 0', /^Chỉ tiêu cam kết của XA-SON không thuộc đơn vị của anh\/chị \(UBND xã An Bình\)/],
    ['a head, a target of another unit', 'CT-XA-AN', '/camket capnhat KL-01 0', /^Chỉ tiêu KL-01 thuộc cam kết của UBND xã Sơn Thủy, không phải của UBND xã An Bình/],
    ['an unknown target code', 'CT-XA-AN', '/camket capnhat XYZ-9 99', /^Không có chỉ tiêu mã XYZ-9 trong cam kết năm 2026 của UBND xã An Bình\. Các mã có thể cập nhật: CCHC-01, CCHC-02, CCHC-03\.$/],
    ['a value that is not a number', 'CT-XA-AN', '/camket capnhat CCHC-01 chín mươi', /^"chín" không phải là số\. Hãy nhập một số, ví dụ: 98,5 hoặc 98,5%\.$/],
    ['a value with a unit word', 'CT-XA-AN', '/camket capnhat CCHC-01 98,5điểm', /không phải là số/],
    ['a chair, a code of no unit', 'CT-TINH', '/camket capnhat XYZ-9 1', /^Không có chỉ tiêu mã XYZ-9 trong cam kết năm 2026 của đơn vị nào\.$/],
    ['a chair, a code of two units', 'CT-TINH', '/camket capnhat CCHC-01 99', /^Chỉ tiêu CCHC-01 có trong cam kết của nhiều đơn vị \(XA-AN, XA-SON\)\. Hãy gõ kèm mã đơn vị, ví dụ: \/camket capnhat XA-AN CCHC-01 98,5%\.$/],
    ['a chair, an unknown unit', 'CT-TINH', '/camket capnhat XA-KHONG CCHC-01 99', /^Không có đơn vị mã XA-KHONG\./],
  ] as const)('%s: a polite refusal, nothing written', async (_name, who, command, message) => {
    const h = await harness();
    await withSecondCommitment(h.db);
    const user = who === null ? 'stranger' : await h.link(who);
    const before = await snapshot(h.db);
    const text = await h.say(user, command);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
    expect(await snapshot(h.db)).toEqual(before);
  });

  it('says what to type when the value is missing', async () => {
    const h = await harness();
    const head = await h.link('CT-XA-AN');
    expect(await h.say(head, '/camket capnhat CCHC-01')).toBe(
      'Thiếu giá trị. Cách gõ: /camket capnhat [năm] <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat 2025 CCHC-01 98,4%',
    );
  });
});

describe('/camket [mã đơn vị] [năm]', () => {
  it('shows the own unit by default, another unit to a chair only', async () => {
    const h = await harness();
    await withSecondCommitment(h.db);
    const chair = await h.link('CT-TINH');
    const officer = await h.link('CB-XA-AN');
    expect(await h.say(chair, '/camket XA-SON 2026')).toMatch(/^Cam kết năm 2026 của UBND xã Sơn Thủy \(Bản cam kết số 05\/CK-UBND năm 2026\):\n— CCHC-01 /);
    expect(await h.say(chair, '/camket')).toMatch(/^Cam kết năm 2026 của UBND tỉnh Hòa Bình Xanh[\s\S]*PAR-01/);
    expect(await h.say(officer, '/camket xa-an')).toMatch(/^Cam kết năm 2026 của UBND xã An Bình/);
    expect(await h.say(officer, '/camket XA-SON')).toMatch(/^Cam kết của XA-SON không thuộc đơn vị của anh\/chị \(UBND xã An Bình\)/);
    expect(await h.say(chair, '/camket XA-KHONG')).toBe('Không có đơn vị mã XA-KHONG. Hãy kiểm tra lại mã đơn vị.');
    expect(await h.say(chair, '/camket PH-TT')).toBe('UBND phường Trung Tâm chưa có cam kết năm 2026. Hãy gõ /camket kèm năm đã ký cam kết, ví dụ: /camket 2025.');
  });
});

describe('/camket tongket', () => {
  it('gives a chair the ranking as of today, with the xlsx on Telegram', async () => {
    const h = await harness();
    await withSecondCommitment(h.db);
    const chair = await h.link('CT-TINH');
    const r = await h.send(chair, '/camket tongket');
    expect(r).toHaveLength(1);
    expect(r[0].text.split('\n').slice(0, 4)).toEqual([
      'Kết quả thực hiện cam kết năm 2026 (tính đến 23/11/2026):',
      'Xếp thứ 1/3: UBND xã An Bình (XA-AN) — 33,3 điểm; đạt 1, không đạt 2, chưa có số liệu 0',
      'Xếp thứ 2/3: UBND tỉnh Hòa Bình Xanh (TINH) — 0 điểm; đạt 0, không đạt 1, chưa có số liệu 0',
      'Xếp thứ 2/3: UBND xã Sơn Thủy (XA-SON) — 0 điểm; đạt 0, không đạt 0, chưa có số liệu 2',
    ]);
    expect(r[0].document?.filename).toBe('ket-qua-cam-ket-2026.xlsx');
    expect(r[0].document?.content.subarray(0, 2).toString()).toBe('PK');
  });

  it('sends no file on Zalo, nor for a year without commitments', async () => {
    const h = await harness();
    const chair = (await officerByCode(h.db, 'CT-TINH'))!;
    await h.db.tx((tx) => upsertAccount(tx, { channel: 'zalo', externalId: 'z-ct', officerId: chair.id, privateChatId: 'z-ct', now: NOW }));
    const onZalo = await h.send('z-ct', '/camket tong ket', { channel: 'zalo', chatId: 'z-ct' });
    expect(onZalo[0].text).toMatch(/^Kết quả thực hiện cam kết năm 2026/);
    expect(onZalo[0].document).toBeUndefined();
    const past = await h.send(await h.link('CT-TINH'), '/camket tongket 2020');
    expect(past[0].text).toBe('Kết quả thực hiện cam kết năm 2020 (tính đến 31/12/2020):\nChưa có đơn vị nào có cam kết năm 2020.');
    expect(past[0].document).toBeUndefined();
  });

  it.each([
    ['an officer', 'CB-XA-AN'],
    ['a head', 'CT-XA-AN'],
    ['an admin', 'QT-NV'],
  ])('refuses %s in one sentence', async (_name, code) => {
    const h = await harness();
    const r = await h.send(await h.link(code), '/camket tongket 2026');
    expect(r).toEqual([{ text: 'Chỉ Chủ tịch, Phó Chủ tịch UBND mới xem kết quả xếp hạng cam kết của các đơn vị. Gõ /camket để xem cam kết của đơn vị mình.' }]);
  });
});
