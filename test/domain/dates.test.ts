import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, formatDate, formatDateTime, fromExcelDate, parseInstant } from '../../src/domain/dates.ts';
import { InvalidDate } from '../../src/domain/errors.ts';

const zone = 'Asia/Ho_Chi_Minh';
const p = (s: string, dateOnly: 'start' | 'end' = 'start') => new Date(parseInstant(s, { zone, dateOnly }).ms).toISOString();

describe('parseInstant', () => {
  it('reads dd/mm/yyyy as local midnight, or the end of the day', () => {
    expect(p('15/03/2024')).toBe('2024-03-14T17:00:00.000Z');
    expect(p('15/03/2024', 'end')).toBe('2024-03-15T16:59:59.999Z');
    expect(p('5/3/2024')).toBe('2024-03-04T17:00:00.000Z');
    expect(p('05-03-2024')).toBe('2024-03-04T17:00:00.000Z');
  });

  it('reads dd/mm/yyyy HH:mm as local time (a time is never moved to the end of day)', () => {
    expect(p('15/03/2024 08:30', 'end')).toBe('2024-03-15T01:30:00.000Z');
    expect(p('15/03/2024 8h30')).toBe('2024-03-15T01:30:00.000Z');
  });

  it('reads yyyy-mm-dd and ISO 8601 with or without an offset', () => {
    expect(p('2024-03-15')).toBe('2024-03-14T17:00:00.000Z');
    expect(p('2024-03-15T08:00:00+07:00')).toBe('2024-03-15T01:00:00.000Z');
    expect(p('2024-03-15T08:00:00Z')).toBe('2024-03-15T08:00:00.000Z');
    expect(p('2024-03-15T08:00:00.250+0700')).toBe('2024-03-15T01:00:00.250Z');
    expect(p('2024-03-15 08:00')).toBe('2024-03-15T01:00:00.000Z');
    expect(p('2024-03-15T08:00:00-05:00')).toBe('2024-03-15T13:00:00.000Z');
    expect(p('2024-03-15T23:30:00Z', 'end')).toBe('2024-03-15T23:30:00.000Z');
    expect(p('15/03/2024 23:59:59')).toBe('2024-03-15T16:59:59.000Z');
    expect(p('  15/03/2024  ', 'end')).toBe('2024-03-15T16:59:59.999Z');
    // A date alone with an offset is ambiguous (whose end of day?): refused.
    expect(() => p('2024-03-15+07:00')).toThrow(InvalidDate);
    expect(parseInstant('2024-03-15', { zone, dateOnly: 'end' }).dateOnly).toBe(true);
  });

  it('refuses impossible dates with a sentence saying why', () => {
    expect(() => p('31/02/2023')).toThrow(InvalidDate);
    expect(() => p('31/02/2023')).toThrow(/tháng 2\/2023 chỉ có 28 ngày/);
    expect(() => p('29/02/2023')).toThrow(/28 ngày/);
    expect(p('29/02/2024')).toBe('2024-02-28T17:00:00.000Z');
    expect(() => p('01/13/2024')).toThrow(/không có tháng 13/);
    expect(() => p('15/03/2024 24:00')).toThrow(/Giờ/);
  });

  it('refuses text that is not a date, listing the accepted forms', () => {
    for (const bad of ['', 'hôm qua', '15/03', '2024/03/15x', '😀', 'x'.repeat(5000)]) {
      expect(() => p(bad)).toThrow(InvalidDate);
    }
    expect(() => p('ngày mai')).toThrow(/dd\/mm\/yyyy/);
  });

  it('round-trips: format then parse gives the same instant (to the minute)', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), (raw) => {
        const t = Math.floor(raw / 60_000) * 60_000;
        expect(parseInstant(formatDateTime(t, zone), { zone }).ms).toBe(t);
        const day = parseInstant(formatDate(t, zone), { zone }).ms;
        expect(formatDate(day, zone)).toBe(formatDate(t, zone));
      }),
    );
  });
});

describe('Excel dates and calendar days', () => {
  it('reads an Excel date cell as the local wall time written in it', () => {
    const cell = new Date(Date.UTC(2024, 2, 15)); // what exceljs gives for 15/03/2024
    expect(new Date(fromExcelDate(cell, { zone, dateOnly: 'end' }).ms).toISOString()).toBe('2024-03-15T16:59:59.999Z');
    const withTime = new Date(Date.UTC(2024, 2, 15, 8, 30));
    expect(new Date(fromExcelDate(withTime, { zone, dateOnly: 'end' }).ms).toISOString()).toBe('2024-03-15T01:30:00.000Z');
  });

  it('counts local calendar days', () => {
    const a = parseInstant('15/03/2024', { zone, dateOnly: 'end' }).ms;
    const b = parseInstant('16/03/2024 00:00', { zone }).ms;
    expect(calendarDaysBetween(a, b, zone)).toBe(1);
    expect(calendarDaysBetween(b, a, zone)).toBe(-1);
  });
});
