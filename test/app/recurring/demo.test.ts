// The demo province's monthly socio-economic report (BC-KTXH), as a user meets it in the chat.
import { describe, expect, it } from 'vitest';
import { harness } from '../chat/helpers.ts';

describe('the demo recurring report', () => {
  it('/viec shows only its next occurrence; /viec BC-KTXH shows the rule and its history', async () => {
    const h = await harness();
    const officer = await h.link('CB-TC');
    // NOW is 23/11/2026: November's report is done; December's is due Friday 18/12 (20/12 is a Sunday).
    const list = await h.say(officer, '/viec');
    expect(list).toContain('• BC-KTXH-2026-12 — Báo cáo tình hình kinh tế - xã hội (tháng 12/2026) (hạn 18/12/2026, còn 25 ngày)');
    expect(list).not.toContain('BC-KTXH-2027-01');
    const rule = await h.say(officer, '/viec BC-KTXH');
    expect(rule).toContain('Quy tắc: Hằng tháng, hạn ngày 20');
    expect(rule).toContain('Các kỳ: 5; đúng hạn 2, chậm 1, quá hạn 0, đang thực hiện 2.');
    expect(rule).toContain('🕒 chậm BC-KTXH-2026-09 — hạn 18/09/2026, xong 22/09/2026');
    expect(rule).toContain('Dừng lặp: /dunglap BC-KTXH');
  });
});
