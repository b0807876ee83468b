import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { InvalidInput } from '../../src/domain/errors.ts';
import { describeRule, occurrences, parseRule, splitLeadingRule, type RecurrenceRule } from '../../src/domain/recurrence.ts';

const none = makeCalendar({ holidays: [], makeUpDays: [] });
// 2024: Quốc khánh 2–3/9; Tết 8–14/2; make-up Saturday 4/5.
const vn2024 = makeCalendar({
  holidays: ['2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14', '2024-09-02', '2024-09-03', '2025-01-01'],
  makeUpDays: ['2024-05-04'],
});

const forms: [string, string, RecurrenceRule['pattern']][] = [
  ['hằng tháng ngày 20', 'hang thang ngay 20', { kind: 'monthly', day: 20 }],
  ['hàng tháng ngày 20', 'HANG THANG NGAY 20', { kind: 'monthly', day: 20 }],
  ['báo cáo trước ngày 20 hằng tháng'.replace('báo cáo ', ''), 'truoc ngay 20 hang thang', { kind: 'monthly', day: 20 }],
  ['hằng tháng ngày cuối', 'moi thang ngay cuoi', { kind: 'monthly', day: 31 }],
  ['hằng quý ngày 15 tháng cuối quý', 'hang quy ngay 15 thang cuoi quy', { kind: 'quarterly', day: 15, monthInPeriod: 3 }],
  ['hằng quý ngày 10 tháng đầu quý', 'hang quy ngay 10 thang dau quy', { kind: 'quarterly', day: 10, monthInPeriod: 1 }],
  ['hằng quý ngày 15', 'hang quy ngay 15', { kind: 'quarterly', day: 15, monthInPeriod: 3 }],
  ['hằng 6 tháng ngày 15 tháng cuối kỳ', 'hang 6 thang ngay 15 thang cuoi ky', { kind: 'halfYearly', day: 15, monthInPeriod: 6 }],
  ['nửa năm một lần ngày 15', 'nua nam mot lan ngay 15', { kind: 'halfYearly', day: 15, monthInPeriod: 6 }],
  ['hằng năm ngày 15/12', 'hang nam ngay 15/12', { kind: 'yearly', day: 15, month: 12 }],
  ['hằng năm ngày 15 tháng 12', 'hang nam ngay 15 thang 12', { kind: 'yearly', day: 15, month: 12 }],
  ['thứ sáu hằng tuần', 'thu sau hang tuan', { kind: 'weekly', weekday: 5 }],
  ['hằng tuần vào thứ 2', 'hang tuan vao thu 2', { kind: 'weekly', weekday: 1 }],
  ['5 ngày làm việc sau khi kết thúc quý', '5 ngay lam viec sau khi ket thuc quy', { kind: 'afterPeriod', period: 'quarter', workingDays: 5 }],
  ['3 ngày làm việc sau khi kết thúc tháng', '3 ngay lam viec sau khi ket thuc thang', { kind: 'afterPeriod', period: 'month', workingDays: 3 }],
  ['10 ngày làm việc sau khi kết thúc năm', '10 ngay lam viec sau khi ket thuc nam', { kind: 'afterPeriod', period: 'year', workingDays: 10 }],
  ['5 ngày làm việc sau khi kết thúc 6 tháng', '5 ngay lam viec sau khi ket thuc 6 thang', { kind: 'afterPeriod', period: 'halfYear', workingDays: 5 }],
];

describe('parseRule', () => {
  it.each(forms)('%s (and "%s")', (withMarks, without, pattern) => {
    expect(parseRule(withMarks).pattern).toEqual(pattern);
    expect(parseRule(without).pattern).toEqual(pattern);
    expect(parseRule(withMarks).shift).toBe('earlier');
  });

  it('reads an end date, a count and the shift direction', () => {
    expect(parseRule('hằng tháng ngày 20 đến 31/12/2025')).toMatchObject({ endsOn: '2025-12-31' });
    expect(parseRule('hang quy ngay 15, 4 lan')).toMatchObject({ maxCount: 4 });
    expect(parseRule('hằng tháng ngày 20, nếu trùng ngày nghỉ thì lùi sau')).toMatchObject({ shift: 'later' });
    expect(parseRule('hằng tháng ngày 20 dời về trước')).toMatchObject({ shift: 'earlier' });
  });

  it('rejects what it cannot read with the accepted forms and examples', () => {
    for (const bad of ['bla bla', 'hằng tháng', 'hằng tháng ngày 32', 'hằng năm ngày 30/2', 'hằng quý ngày 15 tháng thứ 4 của quý', 'hằng tháng ngày 20 đến 31/02/2025', '']) {
      let err: unknown;
      try {
        parseRule(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(InvalidInput);
      expect((err as Error).message).toContain('hằng quý ngày 15 tháng cuối quý');
    }
  });

  it('describes the rule back in Vietnamese, saying what day 31 means', () => {
    expect(describeRule(parseRule('hằng tháng ngày 20'))).toBe(
      'Hằng tháng, hạn ngày 20; nếu trùng ngày nghỉ thì lùi về ngày làm việc trước đó.',
    );
    expect(describeRule(parseRule('hằng tháng ngày 31'))).toContain('không có ngày 31 thì lấy ngày cuối tháng');
    expect(describeRule(parseRule('hằng 6 tháng ngày 15 tháng cuối kỳ'))).toContain('15/6 và 15/12');
    expect(describeRule(parseRule('hằng tháng ngày 20 đến 31/12/2025 lùi sau'))).toBe(
      'Hằng tháng, hạn ngày 20; nếu trùng ngày nghỉ thì chuyển sang ngày làm việc kế tiếp; đến hết 31/12/2025.',
    );
  });

  it('splits a leading rule from the task title', () => {
    const s = splitLeadingRule('hằng quý ngày 15 tháng cuối quý Báo cáo CCHC quý');
    expect(s?.rest).toBe('Báo cáo CCHC quý');
    expect(s?.rule.pattern).toEqual({ kind: 'quarterly', day: 15, monthInPeriod: 3 });
    expect(splitLeadingRule('30/09/2026 Rà soát hộ nghèo')).toBeNull();
  });
});

const keysAndDates = (r: RecurrenceRule, from: string, n: number, cal = none) =>
  occurrences(r, from, n, cal).map((o) => `${o.periodKey} ${o.deadline}`);

describe('occurrences', () => {
  it('monthly across the year end, day 31 clamped to the month end (leap February)', () => {
    expect(keysAndDates(parseRule('hằng tháng ngày 31 lùi sau'), '2023-12-01', 4)).toEqual([
      '2023-12 2024-01-01',
      '2024-01 2024-01-31',
      '2024-02 2024-02-29',
      '2024-03 2024-04-01',
    ]);
    expect(keysAndDates(parseRule('hằng tháng ngày 30'), '2025-02-01', 1)).toEqual(['2025-02 2025-02-28']);
  });

  it('yearly 29/02 falls on 28/02 in a common year', () => {
    expect(keysAndDates(parseRule('hằng năm ngày 29/02'), '2024-01-01', 3)).toEqual([
      '2024 2024-02-29',
      '2025 2025-02-28',
      '2026 2026-02-27', // 28/02/2026 is a Saturday
    ]);
  });

  it('quarterly and half-yearly keys across the year end', () => {
    expect(keysAndDates(parseRule('hằng quý ngày 15 tháng cuối quý'), '2024-11-01', 3)).toEqual([
      '2024-Q4 2024-12-13',
      '2025-Q1 2025-03-14',
      '2025-Q2 2025-06-13',
    ]);
    expect(keysAndDates(parseRule('hằng 6 tháng ngày 15 tháng cuối kỳ'), '2024-06-20', 2)).toEqual([
      '2024-H2 2024-12-13',
      '2025-H1 2025-06-13',
    ]);
  });

  it('moves a deadline off a holiday, earlier by default or later', () => {
    expect(keysAndDates(parseRule('hằng tháng ngày 2'), '2024-08-25', 1, vn2024)).toEqual(['2024-09 2024-08-30']);
    expect(keysAndDates(parseRule('hằng tháng ngày 2 lùi sau'), '2024-09-01', 1, vn2024)).toEqual(['2024-09 2024-09-04']);
    // Tết 2024: 10/2 is a Saturday, then the holiday runs to 14/2.
    expect(keysAndDates(parseRule('hằng tháng ngày 10 lùi sau'), '2024-02-01', 1, vn2024)).toEqual(['2024-02 2024-02-15']);
  });

  it('a make-up Saturday is a working day and keeps the deadline', () => {
    expect(keysAndDates(parseRule('hằng tháng ngày 4'), '2024-05-01', 1, vn2024)).toEqual(['2024-05 2024-05-04']);
    expect(keysAndDates(parseRule('hằng tháng ngày 4'), '2024-06-01', 1, vn2024)).toEqual(['2024-06 2024-06-04']);
    expect(keysAndDates(parseRule('hằng tháng ngày 4'), '2024-08-01', 1, vn2024)).toEqual(['2024-08 2024-08-02']);
  });

  it('working days after a period counts over holidays and across the year end', () => {
    // Q4 2024 ends 31/12; 1/1 is a holiday: 2,3,6,7,8 January.
    expect(keysAndDates(parseRule('5 ngày làm việc sau khi kết thúc quý'), '2025-01-01', 2, vn2024)).toEqual([
      '2024-Q4 2025-01-08',
      '2025-Q1 2025-04-07',
    ]);
  });

  it('weekly uses ISO week keys across the year end', () => {
    expect(keysAndDates(parseRule('thứ sáu hằng tuần'), '2024-12-25', 3)).toEqual([
      '2024-W52 2024-12-27',
      '2025-W01 2025-01-03',
      '2025-W02 2025-01-10',
    ]);
    expect(keysAndDates(parseRule('thứ hai hằng tuần'), '2020-12-28', 1)).toEqual(['2020-W53 2020-12-28']);
  });

  it('stops at the end date and at the count', () => {
    expect(keysAndDates(parseRule('hằng tháng ngày 20 đến 15/03/2024'), '2024-01-01', 10)).toEqual([
      '2024-01 2024-01-19',
      '2024-02 2024-02-20',
    ]);
    expect(keysAndDates(parseRule('hằng tháng ngày 20, 2 lần'), '2024-01-01', 10)).toHaveLength(2);
  });
});
