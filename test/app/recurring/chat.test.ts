// Recurring tasks through the chat core: /giao with a rule, /viec, /viec <mã quy tắc>, /dunglap.
import { count, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../../src/bot/parse.ts';
import { harness, NOW, queuedNotices } from '../chat/helpers.ts';

const DAY = 86_400_000;

describe('parsing /giao with a rule', () => {
  const p = (t: string) => parseCommand(t, { chatType: 'private' });
  it('tells a rule from a deadline', () => {
    expect(p('/giao XA-AN hằng tháng ngày 20 Báo cáo CCHC')).toEqual({
      kind: 'assignRecurring',
      unitCode: 'XA-AN',
      ruleText: 'hằng tháng ngày 20',
      title: 'Báo cáo CCHC',
    });
    expect(p('/giao xa-an 5 ngay lam viec sau khi ket thuc quy Bao cao quy')).toMatchObject({
      kind: 'assignRecurring',
      ruleText: '5 ngay lam viec sau khi ket thuc quy',
      title: 'Bao cao quy',
    });
    expect(p('/giao XA-AN 30/09/2026 Rà soát hộ nghèo')).toEqual({ kind: 'assign', unitCode: 'XA-AN', deadline: '30/09/2026', title: 'Rà soát hộ nghèo' });
    expect(p('/dunglap bc-thang')).toEqual({ kind: 'stopRepeat', code: 'BC-THANG' });
    expect(p('/stoprepeat')).toMatchObject({ kind: 'usage' });
  });

  it('a broken rule gets the reason or the accepted forms', () => {
    expect(p('/giao XA-AN hằng tháng ngày 32 Báo cáo')).toMatchObject({ kind: 'usage', message: expect.stringMatching(/Ngày 32 không hợp lệ/) });
    expect(p('/giao XA-AN hằng tháng vào đầu tháng Báo cáo')).toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('thứ sáu hằng tuần'),
    });
    expect(p('/giao XA-AN hằng quý ngày 15 tháng cuối quý')).toMatchObject({ kind: 'usage', message: expect.stringMatching(/Thiếu nội dung/) });
  });
});

describe('recurring tasks in the chat', () => {
  it('a chair creates a rule; the unit is told; /viec shows only the next occurrence; history; stop', async () => {
    const h = await harness();
    const chair = await h.link('CT-TINH');
    const officer = await h.link('CB-XA-AN');
    // NOW is Monday 23/11/2026: the 20th has passed this month.
    const r = await h.send(chair, '/giao XA-AN hằng tháng ngày 20 Báo cáo tình hình CCHC');
    expect(r[0].text).toMatch(/Đã tạo nhiệm vụ định kỳ DK-001 cho UBND xã An Bình/);
    expect(r[0].text).toMatch(/Kỳ tháng 11\/2026 \(hạn 20\/11\/2026\) đã qua nên bắt đầu từ kỳ tháng 12\/2026/);
    expect(r[0].text).toMatch(/DK-001-2026-12 hạn 18\/12\/2026; DK-001-2027-01 hạn 20\/01\/2027/);
    expect((await queuedNotices(h.db)).some((n) => /Nhiệm vụ định kỳ DK-001/.test(n.text))).toBe(true);

    const list = await h.say(officer, '/viec');
    expect(list).toMatch(/DK-001-2026-12/);
    expect(list).not.toMatch(/DK-001-2027-01/);

    expect(await h.say(officer, '/xong DK-001-2026-12', {}, NOW + 2 * DAY)).toMatch(/hoàn thành đúng hạn/);
    const hist = await h.say(officer, '/viec dk-001', {}, NOW + 2 * DAY);
    expect(hist).toMatch(/DK-001 — Báo cáo tình hình CCHC \(nhiệm vụ định kỳ, đang lặp\)/);
    expect(hist).toMatch(/✅ đúng hạn DK-001-2026-12/);
    expect(hist).toMatch(/đúng hạn 1, chậm 0, quá hạn 0, đang thực hiện 1/);

    expect(await h.say(officer, '/dunglap DK-001')).toMatch(/Chỉ Chủ tịch, Phó Chủ tịch UBND mới dừng lặp/);
    expect(await h.say(chair, '/dunglap DK-001')).toMatch(/Đã dừng lặp nhiệm vụ định kỳ DK-001 .* Giữ nguyên 2 kỳ/);
    expect(await h.say(chair, '/viec DK-001')).toMatch(/đã dừng lặp ngày 23\/11\/2026/);
    expect(await h.say(chair, '/dunglap KHONG-CO')).toMatch(/Không có nhiệm vụ định kỳ mã KHONG-CO/);
  });

  it('only chairs create rules; other units cannot read a rule; a bad rule writes nothing', async () => {
    const h = await harness();
    const head = await h.link('CT-XA-AN');
    const other = await h.link('CB-XA-SON');
    const chair = await h.link('CT-TINH');
    expect(await h.say(head, '/giao XA-AN hằng quý ngày 15 Báo cáo quý')).toMatch(/Chỉ Chủ tịch/);
    expect(await h.say(chair, '/giao XA-AN hằng năm ngày 31/2 Tổng kết')).toMatch(/Tháng 2 không có ngày 31/);
    // The demo's own rule (BC-KTXH) is not counted.
    const { recurringRules } = h.db.t;
    const rules = async () => (await h.db.orm.select({ n: count() }).from(recurringRules).where(like(recurringRules.code, 'DK-%')))[0]!.n;
    expect(await rules()).toBe(0);
    await h.send(chair, '/giao XA-AN thu sau hang tuan Bao cao tuan');
    expect(await rules()).toBe(1);
    expect(await h.say(other, '/viec DK-001')).toMatch(/không thuộc đơn vị/);
  });
});
