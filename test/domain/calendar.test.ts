import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import {
  addWorkingDays,
  dayNumber,
  isWorkingDay,
  localDate,
  makeCalendar,
  previousWorkingDay,
  weekday,
  workingDaysBetween,
} from '../../src/domain/calendar.ts';

const cal = makeCalendar(loadConfig({}).calendar);

describe('working-day calendar', () => {
  it('converts dates to day numbers and back', () => {
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(localDate(dayNumber('2024-02-29'))).toBe('2024-02-29');
    expect(weekday(dayNumber('2024-05-04'))).toBe(6);
    expect(() => dayNumber('2023-02-29')).toThrow(RangeError);
    expect(() => dayNumber('04/05/2024')).toThrow(RangeError);
  });

  it('counts Monday to Friday, minus holidays, plus make-up Saturdays', () => {
    expect(isWorkingDay(cal, '2024-05-03')).toBe(true); // Friday
    expect(isWorkingDay(cal, '2024-05-05')).toBe(false); // Sunday
    expect(isWorkingDay(cal, '2024-04-30')).toBe(false); // 30/4
    expect(isWorkingDay(cal, '2024-04-29')).toBe(false); // swapped day off
    expect(isWorkingDay(cal, '2024-05-04')).toBe(true); // make-up Saturday
    expect(isWorkingDay(cal, '2025-01-29')).toBe(false); // Tết Ất Tỵ
    expect(isWorkingDay(cal, '2025-09-01')).toBe(false); // Quốc khánh, second day
  });

  it('finds the previous working day across a holiday block', () => {
    expect(previousWorkingDay(cal, '2025-02-03')).toBe('2025-01-24'); // Tết 27–31/1 and two weekends
    expect(previousWorkingDay(cal, '2024-05-06')).toBe('2024-05-04'); // the make-up Saturday
    expect(previousWorkingDay(cal, '2024-05-07')).toBe('2024-05-06');
  });

  it('adds working days forwards and backwards', () => {
    expect(addWorkingDays(cal, '2024-04-26', 1)).toBe('2024-05-02');
    expect(addWorkingDays(cal, '2024-04-26', 2)).toBe('2024-05-03');
    expect(addWorkingDays(cal, '2024-04-26', 3)).toBe('2024-05-04');
    expect(addWorkingDays(cal, '2024-05-02', -1)).toBe('2024-04-26');
    expect(addWorkingDays(cal, '2024-05-02', 0)).toBe('2024-05-02');
  });

  it('counts working days between two dates', () => {
    expect(workingDaysBetween(cal, '2024-04-26', '2024-05-06')).toBe(4); // 2, 3, 4 (Sat, make-up), 6
    expect(workingDaysBetween(cal, '2024-05-06', '2024-04-26')).toBe(-4);
    expect(workingDaysBetween(cal, '2024-06-03', '2024-06-03')).toBe(0);
  });

  it('holds every year 2018–2027 with Tết and no holiday listed on a weekend', () => {
    const raw = loadConfig({}).calendar;
    for (let y = 2018; y <= 2027; y++) {
      const days = raw.holidays.filter((d) => d.startsWith(`${y}-`));
      expect(days.length, `năm ${y}`).toBeGreaterThanOrEqual(9);
      expect(days.some((d) => d.startsWith(`${y}-01`) || d.startsWith(`${y}-02`))).toBe(true);
    }
    for (const d of raw.holidays) expect([0, 6]).not.toContain(weekday(dayNumber(d)));
    for (const d of raw.makeUpDays) expect(weekday(dayNumber(d))).toBe(6);
  });
});
