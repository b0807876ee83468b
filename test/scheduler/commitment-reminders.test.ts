import { eq } from 'drizzle-orm';
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
async function setup() {
  const o = await office();
  const xa = await o.unit('XA-1', 'UBND xã An Bình');
  const pnv = await o.unit('PNV', 'Phòng Nội vụ');
  await o.group('zalo', 'g-xa', xa);
  await o.account('telegram', 'u-1', await o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng'), 'p-1');
  const c = await addCommitment(o.db, xa, 2026, at('2026-01-15 08:00'));
  const cchc = await addTarget(o.db, c, { code: 'CCHC-01', comparator: '>=', target: 98, indicator: 'Tỷ lệ hồ sơ đúng hạn' });
  const kl = await addTarget(o.db, c, { code: 'KL-01', comparator: '<=', target: 0, measure: 'người', indicator: 'Cán bộ bị kỷ luật', dueDate: '2026-06-30' });
  await addValue(o.db, cchc, 96, at('2026-06-01 10:00'));
  await addValue(o.db, await addTarget(o.db, await addCommitment(o.db, pnv, 2026), { code: 'CCHC-09', comparator: '>=', target: 90 }), 100, at('2026-03-01 10:00'));
  const run = async (when: string) => (await enqueueCommitmentReminders(o.db, at(when), o.config, tickEnv(o.config))).messages;
  const rows = async (kind: string) => (await outboxRows(o.db)).filter((r) => r.kind === kind);
  return { ...o, xa, pnv, kl, run, rows };
}

describe('commitment reminders', () => {
  it('reminds the unit group 30 and 7 days before the due date, once each, never a met target', async () => {
    const o = await setup();
    expect(await o.run('2026-11-30 08:00')).toBe(0); // 31 days left
    expect(await o.run('2026-12-01 07:59')).toBe(0); // before the reminder hour
    await o.run('2026-12-01 08:00');
    const [first, ...others] = await o.rows('commitment-due');
    expect(others).toEqual([]);
    expect(first).toMatchObject({ channel: 'zalo', chatId: 'g-xa', status: 'pending' });
    expect(first.text).toBe(
      '⏰ Chỉ tiêu CCHC-01 (Tỷ lệ hồ sơ đúng hạn) của UBND xã An Bình đến hạn 31/12/2026 (còn 30 ngày): cam kết ≥ 98%, hiện 96% — ⚠.\n' +
        'Xem cả cam kết: /camket. Cập nhật số liệu: /camket capnhat <mã chỉ tiêu> <giá trị>.',
    );
    // The same tick again, with the day mark reset, and the next days: nothing new.
    const before = (await outboxRows(o.db)).length;
    expect(await o.run('2026-12-01 08:00')).toBe(0);
    await o.db.orm.delete(o.db.t.meta).where(eq(o.db.t.meta.key, LAST_COMMITMENT_DAY_KEY));
    expect(await o.run('2026-12-01 09:30')).toBe(0);
    expect(await o.run('2026-12-02 08:00')).toBe(0);
    expect(await o.run('2026-12-23 08:00')).toBe(0); // 8 days left
    expect(await outboxRows(o.db)).toHaveLength(before);
    expect(await o.run('2026-12-24 08:00')).toBe(1); // 7 days left
    expect((await o.rows('commitment-due'))[1].text).toMatch(/^⏰ Chỉ tiêu CCHC-01 .* đến hạn 31\/12\/2026 \(còn 7 ngày\)/);
    expect(await o.run('2026-12-28 08:00')).toBe(0);
    // The met target of PNV never had a reminder.
    expect((await o.rows('commitment-due')).map((r) => r.chatId)).toEqual(['g-xa', 'g-xa']);
  });

  it('waits for a working day: 30 days before 30/06 is a Sunday, the reminder goes on Monday with the days left', async () => {
    const o = await setup();
    expect(await o.run('2026-05-29 08:00')).toBe(0); // Friday, 32 days left
    expect(await o.run('2026-05-31 08:00')).toBe(0); // Sunday
    await o.run('2026-06-01 08:00');
    const due = await o.rows('commitment-due');
    expect(due).toHaveLength(1);
    expect(due[0].text).toMatch(/^⏰ Chỉ tiêu KL-01 \(Cán bộ bị kỷ luật\) của UBND xã An Bình đến hạn 30\/06\/2026 \(còn 29 ngày\): cam kết ≤ 0 người, chưa có số liệu — —\./);
  });

  it('asks units with reported targets for values on the first working day of the month, once a month', async () => {
    const o = await setup();
    expect(await o.run('2026-09-01 08:00')).toBe(0); // 01–02/09 are public holidays
    expect(await o.rows('commitment-prompt')).toEqual([]);
    await o.run('2026-09-03 08:00');
    const prompts = await o.rows('commitment-prompt');
    expect(prompts.map((r) => [r.channel, r.chatId])).toEqual([
      ['telegram', 'p-1'], // PNV has no group: its linked officer
      ['zalo', 'g-xa'],
    ]);
    expect(prompts[1].text).toBe(
      '📊 Đề nghị UBND xã An Bình cập nhật số liệu các chỉ tiêu cam kết năm 2026: CCHC-01, KL-01.\n' +
        'Gõ: /camket capnhat <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat CCHC-01 98,5%.',
    );
    await o.db.orm.delete(o.db.t.meta).where(eq(o.db.t.meta.key, LAST_COMMITMENT_DAY_KEY));
    expect(await o.run('2026-09-03 10:00')).toBe(0);
    expect(await o.run('2026-09-04 08:00')).toBe(0);
    expect(await o.run('2026-09-30 08:00')).toBe(0);
    await o.run('2026-10-01 08:00');
    expect(await o.rows('commitment-prompt')).toHaveLength(4);
  });

  it('catches up a missed prompt in the first week of the month only', async () => {
    const late = await setup();
    await late.run('2026-08-07 08:00'); // first working day Monday 03/08, the bot was down until Friday
    expect(await late.rows('commitment-prompt')).toHaveLength(2);
    const tooLate = await setup();
    await tooLate.run('2026-08-12 08:00');
    expect(await tooLate.rows('commitment-prompt')).toEqual([]);
  });

  it('runs inside tick(): counted in its messages, a rerun of the tick writes nothing', async () => {
    const o = await setup();
    const first = await tick(o.db, at('2026-12-01 08:00'), o.config);
    expect(first.messages).toBe(3); // the due reminder and two monthly prompts
    const n = (await outboxRows(o.db)).length;
    expect((await tick(o.db, at('2026-12-01 08:00'), o.config)).messages).toBe(0);
    expect((await tick(o.db, at('2026-12-01 08:05'), o.config)).messages).toBe(0);
    expect(await outboxRows(o.db)).toHaveLength(n);
  });
});

describe('weekly summary and commitments', () => {
  it('lists the targets at risk and those missed for the leadership', async () => {
    const o = await setup();
    await o.group('telegram', 'g-lead', null, true);
    await addValue(o.db, o.kl, 2, at('2026-05-20 10:00'));
    await enqueueWeeklySummaryIfDue(o.db, at('2026-11-23 08:00'), o.config);
    const lead = (await outboxRows(o.db)).find((r) => r.chatId === 'g-lead' && r.kind === 'summary');
    const lines = lead?.text.split('\n') ?? [];
    expect(lines.slice(-3)).toEqual([
      '🎯 Chỉ tiêu cam kết có nguy cơ không đạt (1):',
      '⚠ UBND xã An Bình: CCHC-01 Tỷ lệ hồ sơ đúng hạn ≥ 98%, hiện 96%, hạn 31/12/2026',
      '✗ Chỉ tiêu đã quá hạn mà không đạt (1): XA-1 KL-01.',
    ]);
    // The unit groups get their own part, without the province's targets.
    expect((await outboxRows(o.db)).find((r) => r.chatId === 'g-xa')?.text).not.toContain('CCHC-01');
  });
});
