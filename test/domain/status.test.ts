import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/domain/dates.ts';
import { onTimeRate, taskStatus } from '../../src/domain/status.ts';

const zone = 'Asia/Ho_Chi_Minh';
const ms = (iso: string) => Date.parse(iso);
// Deadline 15/03/2024 written as a date alone: the end of that day, local time.
const deadline = parseInstant('15/03/2024', { zone, dateOnly: 'end' }).ms;
const asOf = ms('2024-04-01T00:00:00Z');

describe('taskStatus', () => {
  it('a date-alone deadline is 23:59:59.999 local, i.e. 16:59:59.999Z', () => {
    expect(new Date(deadline).toISOString()).toBe('2024-03-15T16:59:59.999Z');
  });

  it('completion at 23:59:59 local on the deadline day is on time', () => {
    expect(taskStatus({ effectiveDeadline: deadline, completedAt: ms('2024-03-15T16:59:59Z') }, asOf)).toBe('doneOnTime');
  });

  it('completion at 00:00:01 local the next day is late', () => {
    expect(taskStatus({ effectiveDeadline: deadline, completedAt: ms('2024-03-15T17:00:01Z') }, asOf)).toBe('doneLate');
  });

  it('a completion after the as-of instant does not count yet', () => {
    const completedAt = ms('2024-04-02T00:00:00Z');
    expect(taskStatus({ effectiveDeadline: deadline, completedAt }, asOf)).toBe('overdue');
    expect(taskStatus({ effectiveDeadline: ms('2024-05-01T00:00:00Z'), completedAt }, asOf)).toBe('inProgress');
  });

  it('a deadline equal to the as-of instant is still in progress; a millisecond later it is overdue', () => {
    expect(taskStatus({ effectiveDeadline: asOf, completedAt: null }, asOf)).toBe('inProgress');
    expect(taskStatus({ effectiveDeadline: asOf, completedAt: null }, asOf + 1)).toBe('overdue');
  });

  it('a completion exactly at the deadline and exactly at as-of is on time', () => {
    expect(taskStatus({ effectiveDeadline: asOf, completedAt: asOf }, asOf)).toBe('doneOnTime');
  });

  it('onTimeRate ignores tasks in progress and is null when nothing is due', () => {
    expect(onTimeRate({ total: 120, doneOnTime: 96, doneLate: 12, overdue: 3, inProgress: 9 })).toBeCloseTo(96 / 111);
    expect(onTimeRate({ total: 5, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 5 })).toBeNull();
  });
});
