import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../src/domain/errors.ts';
import { checkCutoffDay, monthsSpan, parsePeriod, periodDates, reportingYear } from '../../src/domain/period.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const NOW = at('2026-11-25T10:00:00');
const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss.SSS');

describe('parsePeriod with a cutoff day', () => {
  const cases: [string, number, string, string, string][] = [
    ['thang 9', 15, '2026-08-15 00:00:00.000', '2026-09-14 23:59:59.999', 'tháng 9/2026'],
    // Month and year edges: January starts in December of the year before; March after a leap February.
    ['thang 1/2026', 15, '2025-12-15 00:00:00.000', '2026-01-14 23:59:59.999', 'tháng 1/2026'],
    ['thang 12/2026', 15, '2026-11-15 00:00:00.000', '2026-12-14 23:59:59.999', 'tháng 12/2026'],
    ['thang 3/2024', 28, '2024-02-28 00:00:00.000', '2024-03-27 23:59:59.999', 'tháng 3/2024'],
    ['thang 3/2024', 2, '2024-02-02 00:00:00.000', '2024-03-01 23:59:59.999', 'tháng 3/2024'],
    ['quy 1/2026', 15, '2025-12-15 00:00:00.000', '2026-03-14 23:59:59.999', 'quý 1/2026'],
    ['quy IV/2026', 15, '2026-09-15 00:00:00.000', '2026-12-14 23:59:59.999', 'quý 4/2026'],
    ['6 thang/2026', 15, '2025-12-15 00:00:00.000', '2026-06-14 23:59:59.999', '6 tháng đầu năm 2026'],
    ['9 thang 2026', 15, '2025-12-15 00:00:00.000', '2026-09-14 23:59:59.999', '9 tháng đầu năm 2026'],
    ['nam 2026', 15, '2025-12-15 00:00:00.000', '2026-12-14 23:59:59.999', 'năm 2026'],
    ['', 20, '2025-12-20 00:00:00.000', '2026-12-19 23:59:59.999', 'năm 2026'],
    // 1 is the calendar month.
    ['thang 2/2026', 1, '2026-02-01 00:00:00.000', '2026-02-28 23:59:59.999', 'tháng 2/2026'],
  ];
  it.each(cases)('"%s", cutoff %i', (text, cutoff, from, to, label) => {
    const p = parsePeriod(text, NOW, ZONE, cutoff);
    expect([local(p.from), local(p.to), p.label, p.cutoffDay]).toEqual([from, to, label, cutoff === 1 ? null : cutoff]);
  });

  it('moves neither a week nor a range of dates', () => {
    const week = parsePeriod('tuan nay', NOW, ZONE, 15);
    expect([local(week.from), week.cutoffDay]).toEqual(['2026-11-23 00:00:00.000', null]);
    const range = parsePeriod('01/01/2026-31/03/2026', NOW, ZONE, 15);
    expect([local(range.from), local(range.to), range.cutoffDay]).toEqual(['2026-01-01 00:00:00.000', '2026-03-31 23:59:59.999', null]);
  });

  it('gives consecutive months that touch without a gap or an overlap, a year of twelve of them', () => {
    for (const c of [2, 10, 15, 28]) {
      let prevEnd = monthsSpan(2025, 12, 1, ZONE, c)[1].toMillis();
      for (let m = 1; m <= 12; m++) {
        const [s, e] = monthsSpan(2026, m, 1, ZONE, c);
        expect(s.toMillis(), `cutoff ${c}, month ${m}`).toBe(prevEnd + 1);
        prevEnd = e.toMillis();
      }
      const year = parsePeriod('nam 2026', NOW, ZONE, c);
      expect(year.to).toBe(prevEnd);
      expect(year.from).toBe(monthsSpan(2026, 1, 1, ZONE, c)[0].toMillis());
    }
  });

  it('takes a period without a year from the reporting year holding today', () => {
    expect(reportingYear(at('2026-12-14T23:59:59'), ZONE, 15)).toBe(2026);
    expect(reportingYear(at('2026-12-15T00:00:00'), ZONE, 15)).toBe(2027);
    expect(reportingYear(at('2026-12-31T12:00:00'), ZONE, null)).toBe(2026);
    const p = parsePeriod('thang 1', at('2026-12-20T09:00:00'), ZONE, 15);
    expect([p.label, local(p.from)]).toEqual(['tháng 1/2027', '2026-12-15 00:00:00.000']);
    expect(parsePeriod('', at('2026-12-20T09:00:00'), ZONE, 15).label).toBe('năm 2027');
    expect(parsePeriod('', at('2026-12-20T09:00:00'), ZONE, null).label).toBe('năm 2026');
  });

  it('refuses a cutoff of 0, 29, 30, 31 or a fraction with one sentence naming 1 to 28', () => {
    for (const c of [0, 29, 30, 31, -5, 14.5, Number.NaN]) {
      expect(() => checkCutoffDay(c), String(c)).toThrow(InvalidInput);
      expect(() => parsePeriod('thang 9', NOW, ZONE, c), String(c)).toThrow(/từ 1 đến 28/);
    }
    try {
      checkCutoffDay(31);
    } catch (e) {
      expect((e as Error).message.split('. ').length).toBe(1);
      expect((e as Error).message).toMatch(/^Ngày chốt số liệu "31" không hợp lệ/);
    }
    expect([checkCutoffDay(undefined), checkCutoffDay(null), checkCutoffDay(1), checkCutoffDay(28)]).toEqual([null, null, null, 28]);
  });

  it('prints a period as its first and last day', () => {
    expect(periodDates(parsePeriod('quy 1/2026', NOW, ZONE, 15), ZONE)).toEqual({ from: '15/12/2025', to: '14/03/2026' });
  });
});
