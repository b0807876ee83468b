import { describe, expect, it } from 'vitest';
import { enqueueCommitmentReminders, LAST_COMMITMENT_DAY_KEY } from '../../src/scheduler/commitment-reminders.ts';
import { enqueueWeeklySummaryIfDue } from '../../src/scheduler/summary.ts';
import { tick, tickEnv } from '../../src/scheduler/tick.ts';
import { addCommitment, addTarget, addValue } from '../app/commitments/fixture.ts';
import { at, office, outboxRows } from './fixture.ts';

/**
 * XA-1 (a bound Zalo group): CCHC-01 ≥ 98% (96% in June, due 31/12) and KL-01
 * ≤ 0 người due 30/06. PNV (no group, one linked officer): CCHC-09 ≥ 90%, met.
 */
function setup() {
  const o = office();
  const xa = o.unit('XA-1', 'UBND xã An Bình');
  const pnv = o.unit('PNV', 'Phòng Nội vụ');
  o.group('zalo', 'g-xa', xa);
  o.account('telegram', 'u-1', o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng'), 'p-1');
  const c = addCommitment(o.db, xa, 2026, at('2026-01-15 08:00'));
  const cchc = addTarget(o.db, c, { code: 'CCHC-01', comparator: '>=', target: 98, indicator: 'Tỷ lệ hồ sơ đúng hạn' });
  const kl = addTarget(o.db, c, { code: 'KL-01', comparator: '<=', target: 0, measure: 'người', indicator: 'Cán bộ bị kỷ luật', dueDate: '2026-06-30' });
  addValue(o.db, cchc, 96, at('2026-06-01 10:00'));
  addValue(o.db, addTarget(o.db, addCommitment(o.db, pnv, 2026), { code: 'CCHC-09', comparator: '>=', target: 90 }), 100, at('2026-03-01 10:00'));
  const run = (when: string) => enqueueCommitmentReminders(o.db, at(when), o.config, tickEnv(o.config)).messages;
  const rows = (kind: string) => outboxRows(o.db).filter((r) => r.kind === kind);
  return { ...o, xa, pnv, kl, run, rows };
}

describe('commitment reminders', () => {
  it('reminds the unit group 30 and 7 days before the due date, once each, never a met target', () => {
    const o = setup();
    expect(o.run('2026-11-30 08:00')).toBe(0); // 31 days left
    expect(o.run('2026-12-01 07:59')).toBe(0); // before the reminder hour
    o.run('2026-12-01 08:00');
    const [first, ...others] = o.rows('commitment-due');
    expect(others).toEqual([]);
    expect(first).toMatchObject({ channel: 'zalo', chatId: 'g-xa', status: 'pending' });
    expect(first.text).toBe(
      '⏰ Chỉ tiêu CCHC-01 (Tỷ lệ hồ sơ đúng hạn) của UBND xã An Bình đến hạn 31/12/2026 (còn 30 ngày): cam kết ≥ 98%, hiện 96% — ⚠.\n' +
        'Xem cả cam kết: /camket. Cập nhật số liệu: /camket capnhat <mã chỉ tiêu> <giá trị>.',
    );
    // The same tick again, with the day mark reset, and the next days: nothing new.
    const before = outboxRows(o.db).length;
    expect(o.run('2026-12-01 08:00')).toBe(0);
    o.db.$client.prepare('DELETE FROM meta WHERE key = ?').run(LAST_COMMITMENT_DAY_KEY);
    expect(o.run('2026-12-01 09:30')).toBe(0);
    expect(o.run('2026-12-02 08:00')).toBe(0);
    expect(o.run('2026-12-23 08:00')).toBe(0); // 8 days left
    expect(outboxRows(o.db)).toHaveLength(before);
    expect(o.run('2026-12-24 08:00')).toBe(1); // 7 days left
    expect(o.rows('commitment-due')[1].text).toMatch(/^⏰ Chỉ tiêu CCHC-01 .* đến hạn 31\/12\/2026 \(còn 7 ngày\)/);
    expect(o.run('2026-12-28 08:00')).toBe(0);
    // The met target of PNV never had a reminder.
    expect(o.rows('commitment-due').map((r) => r.chatId)).toEqual(['g-xa', 'g-xa']);
  });

  it('waits for a working day: 30 days before 30/06 is a Sunday, the reminder goes on Monday with the days left', () => {
    const o = setup();
    expect(o.run('2026-05-29 08:00')).toBe(0); // Friday, 32 days left
    expect(o.run('2026-05-31 08:00')).toBe(0); // Sunday
    o.run('2026-06-01 08:00');
    const due = o.rows('commitment-due');
    expect(due).toHaveLength(1);
    expect(due[0].text).toMatch(/^⏰ Chỉ tiêu KL-01 \(Cán bộ bị kỷ luật\) của UBND xã An Bình đến hạn 30\/06\/2026 \(còn 29 ngày\): cam kết ≤ 0 người, chưa có số liệu — —\./);
  });

  it('asks units with reported targets for values on the first working day of the month, once a month', () => {
    const o = setup();
    expect(o.run('2026-09-01 08:00')).toBe(0); // 01–02/09 are public holidays
    expect(o.rows('commitment-prompt')).toEqual([]);
    o.run('2026-09-03 08:00');
    const prompts = o.rows('commitment-prompt');
    expect(prompts.map((r) => [r.channel, r.chatId])).toEqual([
      ['telegram', 'p-1'], // PNV has no group: its linked officer
      ['zalo', 'g-xa'],
    ]);
    expect(prompts[1].text).toBe(
      '📊 Đề nghị UBND xã An Bình cập nhật số liệu các chỉ tiêu cam kết năm 2026: CCHC-01, KL-01.\n' +
        'Gõ: /camket capnhat <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat CCHC-01 98,5%.',
    );
    o.db.$client.prepare('DELETE FROM meta WHERE key = ?').run(LAST_COMMITMENT_DAY_KEY);
    expect(o.run('2026-09-03 10:00')).toBe(0);
    expect(o.run('2026-09-04 08:00')).toBe(0);
    expect(o.run('2026-09-30 08:00')).toBe(0);
    o.run('2026-10-01 08:00');
    expect(o.rows('commitment-prompt')).toHaveLength(4);
  });

  it('catches up a missed prompt in the first week of the month only', () => {
    const late = setup();
    late.run('2026-08-07 08:00'); // first working day Monday 03/08, the bot was down until Friday
    expect(late.rows('commitment-prompt')).toHaveLength(2);
    const tooLate = setup();
    tooLate.run('2026-08-12 08:00');
    expect(tooLate.rows('commitment-prompt')).toEqual([]);
  });

  it('runs inside tick(): counted in its messages, a rerun of the tick writes nothing', () => {
    const o = setup();
    const first = tick(o.db, at('2026-12-01 08:00'), o.config);
    expect(first.messages).toBe(3); // the due reminder and two monthly prompts
    const n = outboxRows(o.db).length;
    expect(tick(o.db, at('2026-12-01 08:00'), o.config).messages).toBe(0);
    expect(tick(o.db, at('2026-12-01 08:05'), o.config).messages).toBe(0);
    expect(outboxRows(o.db)).toHaveLength(n);
  });
});

describe('weekly summary and commitments', () => {
  it('lists the targets at risk and those missed for the leadership', () => {
    const o = setup();
    o.group('telegram', 'g-lead', null, true);
    addValue(o.db, o.kl, 2, at('2026-05-20 10:00'));
    enqueueWeeklySummaryIfDue(o.db, at('2026-11-23 08:00'), o.config);
    const lead = outboxRows(o.db).find((r) => r.chatId === 'g-lead' && r.kind === 'summary');
    const lines = lead?.text.split('\n') ?? [];
    expect(lines.slice(-3)).toEqual([
      '🎯 Chỉ tiêu cam kết có nguy cơ không đạt (1):',
      '⚠ UBND xã An Bình: CCHC-01 Tỷ lệ hồ sơ đúng hạn ≥ 98%, hiện 96%, hạn 31/12/2026',
      '✗ Chỉ tiêu đã quá hạn mà không đạt (1): XA-1 KL-01.',
    ]);
    // The unit groups get their own part, without the province's targets.
    expect(outboxRows(o.db).find((r) => r.chatId === 'g-xa')?.text).not.toContain('CCHC-01');
  });
});
