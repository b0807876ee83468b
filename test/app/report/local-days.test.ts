import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { localDays } from '../../../src/app/report/local-days.ts';
import { calendarDaysBetween } from '../../../src/domain/dates.ts';

describe('localDays', () => {
  // Ho Chi Minh changed its offset in 1975; Berlin and Lord Howe (30-minute DST) shift twice a year.
  for (const zone of ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'Australia/Lord_Howe']) {
    it(`agrees with luxon for any instant in ${zone}, around offset changes too`, () => {
      const days = localDays(zone);
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2060, 0, 1) }), fc.integer({ min: Date.UTC(1960, 0, 1), max: Date.UTC(2060, 0, 1) }), (a, b) => {
          const wall = DateTime.fromMillis(a, { zone });
          expect(days.offset(a)).toBe(wall.offset * 60_000);
          expect(days.wallDate(a).toISOString().slice(0, 19)).toBe(wall.toFormat("yyyy-MM-dd'T'HH:mm:ss"));
          expect(days.dayNumber(b) - days.dayNumber(a)).toBe(calendarDaysBetween(a, b, zone));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('is exact on both sides of a transition inside an hour', () => {
    const zone = 'Australia/Lord_Howe';
    // 2024-10-06 02:00 local (+10:30) becomes 02:30 (+11:00): 2024-10-05T15:30Z.
    const change = Date.UTC(2024, 9, 5, 15, 30);
    const days = localDays(zone);
    expect(days.offset(change - 1)).toBe(10.5 * 3_600_000);
    expect(days.offset(change)).toBe(11 * 3_600_000);
  });
});
