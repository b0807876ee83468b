import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  commitmentScore,
  meetsTarget,
  parseTargetValue,
  projectTrend,
  rankUnits,
  targetPeriod,
  targetStatus,
  yearEnd,
  type TargetInput,
} from '../../src/domain/commitments.ts';
import { InvalidInput } from '../../src/domain/errors.ts';

const zone = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();

describe('parseTargetValue', () => {
  it.each([
    ['98,5', 98.5],
    ['98.5', 98.5],
    ['98,5%', 98.5],
    [' 98.5 % ', 98.5],
    ['100', 100],
    ['0', 0],
    ['-2', -2],
    ['+3,25', 3.25],
  ])('%s → %d', (text, n) => expect(parseTargetValue(text)).toBe(n));

  it.each(['', 'abc', '85 điểm', '1.234,5', '98,5%%', '98,', ',5', '9 8', 'NaN', 'Infinity', '1e3'])('refuses %j with one Vietnamese sentence', (text) => {
    expect(() => parseTargetValue(text)).toThrow(InvalidInput);
    try {
      parseTargetValue(text);
    } catch (e) {
      expect((e as Error).message).toMatch(/^(Thiếu giá trị|".*" không phải là số)\. Hãy nhập một số, ví dụ: 98,5/);
    }
  });
});

describe('meetsTarget', () => {
  it('compares with each comparator, exactly on target counting as met', () => {
    expect(meetsTarget(98, '>=', 98)).toBe(true);
    expect(meetsTarget(97.9, '>=', 98)).toBe(false);
    expect(meetsTarget(0, '<=', 0)).toBe(true);
    expect(meetsTarget(1, '<=', 0)).toBe(false);
    expect(meetsTarget(100, '=', 100)).toBe(true);
    expect(meetsTarget(99.99, '=', 100)).toBe(false);
  });

  it('tolerates floating-point noise of a computed rate', () => {
    const rate = (49 / 50) * 100;
    expect(meetsTarget(rate, '>=', 98)).toBe(true);
    expect(meetsTarget(rate, '=', 98)).toBe(true);
    expect(meetsTarget(0.1 + 0.2, '=', 0.3)).toBe(true);
    expect(meetsTarget(0.1 + 0.2, '<=', 0.3)).toBe(true);
  });
});

describe('targetPeriod', () => {
  it('runs from 1/1 to the end of 31/12 local time by default', () => {
    const p = targetPeriod(2026, null, null, zone);
    expect(p.start).toBe(at('2026-01-01T00:00:00'));
    expect(p.due).toBe(at('2026-12-31T23:59:59.999'));
    expect(yearEnd(2026, zone)).toBe(p.due);
  });

  it('starts at the signing date within the year, ends at the end of the due date', () => {
    const p = targetPeriod(2026, at('2026-01-15T09:00'), '2026-06-30', zone);
    expect(p.start).toBe(at('2026-01-15T09:00'));
    expect(p.due).toBe(at('2026-06-30T23:59:59.999'));
    expect(targetPeriod(2026, at('2025-12-28T09:00'), null, zone).start).toBe(at('2026-01-01T00:00'));
  });
});

describe('targetStatus', () => {
  const period = { start: at('2026-01-01T00:00'), due: at('2026-12-31T23:59:59.999') };
  const base = (history: TargetInput['history'], over: Partial<TargetInput> = {}): TargetInput => ({
    comparator: '>=',
    target: 98,
    period,
    history,
    ...over,
  });
  const mid = at('2026-06-01T12:00');

  it('no data without a value by then; a value measured later does not count yet', () => {
    expect(targetStatus(base([]), mid).status).toBe('noData');
    expect(targetStatus(base([{ value: 99, at: at('2026-07-01') }]), mid).status).toBe('noData');
  });

  it('met exactly on target, for each comparator', () => {
    expect(targetStatus(base([{ value: 98, at: mid }]), mid).status).toBe('met');
    expect(targetStatus(base([{ value: 0, at: mid }], { comparator: '<=', target: 0 }), mid).status).toBe('met');
    expect(targetStatus(base([{ value: 100, at: mid }], { comparator: '=', target: 100 }), mid).status).toBe('met');
  });

  it('judges the latest value, not the best', () => {
    const h = [
      { value: 99, at: at('2026-03-01') },
      { value: 97, at: at('2026-05-01') },
    ];
    expect(targetStatus(base(h), mid)).toMatchObject({ status: 'atRisk', last: { value: 97 } });
  });

  it('on track when not met, plenty of time left and no trend', () => {
    expect(targetStatus(base([{ value: 90, at: mid }]), mid).status).toBe('onTrack');
  });

  it('at risk from the instant less than a quarter of the period is left', () => {
    const quarterLeft = period.due - (period.due - period.start) / 4;
    const h = [{ value: 90, at: at('2026-02-01') }];
    expect(targetStatus(base(h), Math.floor(quarterLeft)).status).toBe('onTrack');
    expect(targetStatus(base(h), Math.floor(quarterLeft) + 1).status).toBe('atRisk');
    expect(targetStatus(base(h), period.due).status).toBe('atRisk');
  });

  it('the quarter is counted from the signing date when there is one', () => {
    const signed = { start: at('2026-07-01T00:00'), due: period.due };
    const h = [{ value: 90, at: at('2026-07-15') }];
    // 1/11 → 61 of 184 days left: a third, not yet the last quarter of July–December.
    expect(targetStatus(base(h, { period: signed }), at('2026-11-01T00:00')).status).toBe('onTrack');
    expect(targetStatus(base(h, { period: signed }), at('2026-12-01T00:00')).status).toBe('atRisk');
  });

  it('missed from the day after the due date, not on the due date itself', () => {
    const h = [{ value: 90, at: mid }];
    expect(targetStatus(base(h), at('2026-12-31T23:59:59.999')).status).toBe('atRisk');
    expect(targetStatus(base(h), at('2027-01-01T00:00')).status).toBe('missed');
    expect(targetStatus(base([{ value: 98.5, at: mid }]), at('2027-01-01T00:00')).status).toBe('met');
  });

  it('after the due date, values measured later do not change the verdict', () => {
    const h = [
      { value: 90, at: mid },
      { value: 99, at: at('2027-01-10') },
    ];
    expect(targetStatus(base(h), at('2027-02-01')).status).toBe('missed');
    expect(targetStatus(base([{ value: 99, at: at('2027-01-10') }]), at('2027-02-01')).status).toBe('noData');
  });

  it('at risk early in the year when the trend will not reach the target', () => {
    const falling = [
      { value: 95, at: at('2026-02-01') },
      { value: 94, at: at('2026-03-01') },
      { value: 93, at: at('2026-04-01') },
    ];
    const v = targetStatus(base(falling), at('2026-04-02'));
    expect(v.status).toBe('atRisk');
    expect(v.projected).toBeLessThan(98);
  });

  it('on track when the trend reaches the target by the due date', () => {
    const rising = [
      { value: 80, at: at('2026-02-01') },
      { value: 85, at: at('2026-03-01') },
      { value: 90, at: at('2026-04-01') },
    ];
    const v = targetStatus(base(rising), at('2026-04-02'));
    expect(v.status).toBe('onTrack');
    expect(v.projected).toBeGreaterThan(98);
  });

  it('trend for a ≤ target: a falling count that reaches zero is on track', () => {
    const h = [
      { value: 10, at: at('2026-02-01') },
      { value: 8, at: at('2026-03-01') },
    ];
    expect(targetStatus(base(h, { comparator: '<=', target: 0 }), at('2026-03-02')).status).toBe('onTrack');
    const rising = [
      { value: 2, at: at('2026-02-01') },
      { value: 3, at: at('2026-03-01') },
    ];
    expect(targetStatus(base(rising, { comparator: '<=', target: 0 }), at('2026-03-02')).status).toBe('atRisk');
  });
});

describe('projectTrend', () => {
  it('fits a line by least squares and needs two distinct instants', () => {
    expect(projectTrend([{ value: 1, at: 0 }], 10)).toBeNull();
    expect(
      projectTrend(
        [
          { value: 1, at: 5 },
          { value: 2, at: 5 },
        ],
        10,
      ),
    ).toBeNull();
    const pts = [
      { value: 1, at: 1_700_000_000_000 },
      { value: 3, at: 1_700_000_000_000 + 2 * 86_400_000 },
      { value: 2, at: 1_700_000_000_000 + 86_400_000 },
    ];
    expect(projectTrend(pts, 1_700_000_000_000 + 4 * 86_400_000)).toBeCloseTo(5, 9);
  });
});

describe('score and ranking', () => {
  it('scores met / all targets × 100 with one decimal; no data counts as not met', () => {
    expect(commitmentScore({ met: 2, missed: 0, noData: 1 })).toBe(66.7);
    expect(commitmentScore({ met: 3, missed: 0, noData: 0 })).toBe(100);
    expect(commitmentScore({ met: 0, missed: 0, noData: 0 })).toBeNull();
  });

  it('equal scores share a rank: 1, 2, 2, 4; no targets come last', () => {
    const u = (code: string, met: number, missed: number) => ({ code, name: code, met, missed, noData: 0, score: commitmentScore({ met, missed, noData: 0 }) });
    const ranked = rankUnits([u('D', 1, 3), u('B', 2, 2), u('A', 4, 0), u('C', 1, 1), u('E', 0, 0)]);
    expect(ranked.map((r) => [r.code, r.rank])).toEqual([
      ['A', 1],
      ['B', 2],
      ['C', 2],
      ['D', 4],
      ['E', 5],
    ]);
  });
});
