// Fuzz: the date, period and recurrence parsers refuse only with the project's input
// errors in Vietnamese; dates round-trip (format → parse) across years, month ends,
// leap days and zones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/domain/dates.ts';
import { InvalidDate } from '../../src/domain/errors.ts';
import { calendarDay, dateText, instantMinute, instantMs, periodText, ZONES } from './arbitraries.ts';
import { dateProblem, dayRoundTripProblem, instantRoundTripProblem, isoRoundTripProblem, periodProblem, ruleProblem } from './checks.ts';

const SEED = 20261129;
const NOW = Date.UTC(2026, 10, 23, 1);
const zone = fc.constantFrom(...ZONES);

describe('fuzz: dates and periods', () => {
  it('parseInstant: a finite instant or an InvalidDate in Vietnamese', () => {
    fc.assert(fc.property(dateText, zone, (t, z) => {
      expect(dateProblem(t, z)).toBeNull();
    }), { seed: SEED, numRuns: 500 });
  });

  it('parsePeriod: a period from ≤ to, or an InvalidInput in Vietnamese', () => {
    fc.assert(fc.property(periodText, zone, (t, z) => {
      expect(periodProblem(t, NOW, z)).toBeNull();
    }), { seed: SEED, numRuns: 500 });
  });

  it('parseRule: a rule, or an input error in Vietnamese', () => {
    fc.assert(fc.property(periodText, (t) => {
      expect(ruleProblem(t)).toBeNull();
    }), { seed: SEED, numRuns: 300 });
  });

  it('a day written dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd comes back as the same day, start and end, in any zone', () => {
    fc.assert(fc.property(calendarDay, zone, (d, z) => {
      expect(dayRoundTripProblem(d, z)).toBeNull();
    }), { seed: SEED, numRuns: 500 });
  });

  it('an instant formatted dd/mm/yyyy HH:mm parses back to the same instant', () => {
    fc.assert(fc.property(instantMinute, zone, (ms, z) => {
      expect(instantRoundTripProblem(ms, z)).toBeNull();
    }), { seed: SEED, numRuns: 500 });
  });

  it('an instant written as ISO 8601 with its offset parses back to the same millisecond, read in any zone', () => {
    fc.assert(
      fc.property(instantMs, zone, zone, (ms, z, reader) => {
        expect(isoRoundTripProblem(ms, z, reader)).toBeNull();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('29 February exists only in leap years (2000 yes, 1900 and 2100 no)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2400 }), (y) => {
        const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        const parse = () => parseInstant(`29/02/${y}`, { zone: 'Asia/Ho_Chi_Minh' });
        if (leap) expect(parse().dateOnly).toBe(true);
        else expect(parse).toThrow(InvalidDate);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
