// calendarDaysBetween counts local dates; it must agree with luxon's day arithmetic in any zone, DST included.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarDaysBetween, formatDate } from '../../src/domain/dates.ts';

const byLuxon = (from: number, to: number, zone: string) =>
  Math.round(DateTime.fromMillis(to, { zone }).startOf('day').diff(DateTime.fromMillis(from, { zone }).startOf('day'), 'days').days);

describe('calendarDaysBetween', () => {
  it('agrees with startOf(day) + diff in zones with and without daylight saving', () => {
    const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) });
    const zone = fc.constantFrom('Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Apia', 'UTC');
    fc.assert(
      fc.property(instant, fc.integer({ min: -900 * 86_400_000, max: 900 * 86_400_000 }), zone, (a, span, z) => {
        expect(calendarDaysBetween(a, a + span, z)).toBe(byLuxon(a, a + span, z));
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same answers when asked again (remembered values)', () => {
    const now = Date.UTC(2026, 10, 23, 1);
    const deadline = Date.UTC(2026, 10, 19, 16, 59, 59, 999); // end of 19/11 in Hà Nội
    expect(calendarDaysBetween(deadline, now, 'Asia/Ho_Chi_Minh')).toBe(4);
    expect(calendarDaysBetween(deadline, now, 'Asia/Ho_Chi_Minh')).toBe(4);
    expect(calendarDaysBetween(deadline, now, 'America/New_York')).toBe(3);
    expect(formatDate(deadline, 'Asia/Ho_Chi_Minh')).toBe('19/11/2026');
    expect(formatDate(deadline, 'America/New_York')).toBe('19/11/2026');
  });
});
