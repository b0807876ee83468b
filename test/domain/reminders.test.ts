import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { makeCalendar } from '../../src/domain/calendar.ts';
import { localClock } from '../../src/domain/local-clock.ts';
import {
  dueReminders,
  inQuietHours,
  planForUnit,
  plannedReminders,
  releaseAfterQuiet,
  type ReminderPlan,
  type ReminderRules,
} from '../../src/domain/reminders.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const clock = localClock(ZONE);
const at = (s: string) => DateTime.fromFormat(s, 'yyyy-MM-dd HH:mm', { zone: ZONE }).toMillis();
const endOf = (d: string) => DateTime.fromISO(d, { zone: ZONE }).endOf('day').toMillis();
const show = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm');

const plan: ReminderPlan = { beforeDays: [7, 3, 1, 0], at: '08:00', overdueDailyWorkingDays: 5, overdueWeeklyAfter: true, escalateAfterWorkingDays: 5 };
const rules: ReminderRules = {
  plan,
  quietHours: { start: '21:00', end: '07:00' },
  // 30/4 and 1/5/2024 off, 29/4 swapped with the make-up Saturday 4/5.
  calendar: makeCalendar({ holidays: ['2024-04-29', '2024-04-30', '2024-05-01'], makeUpDays: ['2024-05-04'] }),
  clock,
};
const created = at('2024-01-01 00:00');
const FAR = at('2024-12-31 00:00');

function plannedList(deadline: number, r = rules, until = FAR) {
  return plannedReminders({ effectiveDeadline: deadline, completedAt: null, createdAt: created }, created, until, r).map(
    (x) => `${x.kind}${x.n} ${show(x.plannedAt)}`,
  );
}

describe('reminder plan', () => {
  it('reminds 7, 3, 1 days before and on the day at 08:00, then every working day overdue', () => {
    const list = plannedList(endOf('2024-06-14'), rules, at('2024-06-25 00:00')); // Friday
    expect(list).toEqual([
      'before7 2024-06-07 08:00',
      'before3 2024-06-11 08:00',
      'before1 2024-06-13 08:00',
      'before0 2024-06-14 08:00',
      'overdue1 2024-06-17 08:00',
      'overdue2 2024-06-18 08:00',
      'overdue3 2024-06-19 08:00',
      'overdue4 2024-06-20 08:00',
      'overdue5 2024-06-21 08:00',
      'escalate5 2024-06-21 08:00',
    ]);
  });

  it('moves a reminder on a weekend or holiday to the previous working day', () => {
    // Deadline Thursday 2/5/2024: 1 day before is 1/5 (holiday) → 26/4; 3 days before is 29/4 (swapped off) → 26/4 too.
    const list = plannedList(endOf('2024-05-02'), rules, endOf('2024-05-02'));
    expect(list).toEqual(['before7 2024-04-25 08:00', 'before1 2024-04-26 08:00', 'before0 2024-05-02 08:00']);
  });

  it('keeps only the reminder nearer the deadline when two land on the same instant', () => {
    const list = plannedList(endOf('2024-06-17'), { ...rules, plan: { ...plan, beforeDays: [2, 3] } }, endOf('2024-06-17')); // Monday
    // 2 days before = Saturday → Friday 14/6; 3 days before = Friday 14/6: one reminder, the 2-day one.
    expect(list).toEqual(['before2 2024-06-14 08:00']);
  });

  it('counts overdue working days across the holiday and the make-up Saturday, escalating on the fifth', () => {
    const list = plannedList(endOf('2024-04-26'), rules, at('2024-05-08 00:00')).filter((s) => !s.startsWith('before'));
    expect(list).toEqual([
      'overdue1 2024-05-02 08:00',
      'overdue2 2024-05-03 08:00',
      'overdue3 2024-05-04 08:00',
      'overdue4 2024-05-06 08:00',
      'overdue5 2024-05-07 08:00',
      'escalate5 2024-05-07 08:00',
    ]);
  });

  it('after the daily run sends one overdue notice a week, on the deadline weekday', () => {
    const list = plannedList(endOf('2024-06-14'), rules, at('2024-07-13 00:00')).filter((s) => s.startsWith('weekly'));
    expect(list).toEqual(['weekly2 2024-06-28 08:00', 'weekly3 2024-07-05 08:00', 'weekly4 2024-07-12 08:00']);
  });

  it('skips the on-the-day reminder when the deadline is before 08:00, and starts overdue that day', () => {
    const list = plannedList(at('2024-06-14 07:30'), rules, at('2024-06-15 00:00'));
    expect(list.slice(-2)).toEqual(['before1 2024-06-13 08:00', 'overdue1 2024-06-14 08:00']);
  });

  it('sends nothing for a completed task and nothing planned before the task existed', () => {
    const t = { effectiveDeadline: endOf('2024-06-14'), completedAt: at('2024-06-10 10:00'), createdAt: created };
    expect(plannedReminders(t, created, FAR, rules)).toEqual([]);
    const late = plannedReminders({ ...t, completedAt: null, createdAt: at('2024-06-12 09:00') }, created, at('2024-06-14 09:00'), rules);
    expect(late.map((r) => `${r.kind}${r.n}`)).toEqual(['before1', 'before0']);
  });

  it('applies a unit override over the default plan', () => {
    const p = planForUnit(plan, { 'XA-1': { beforeDays: [2], at: '14:00' } }, 'XA-1');
    expect(p).toEqual({ ...plan, beforeDays: [2], at: '14:00' });
    expect(planForUnit(plan, { 'XA-1': { at: '14:00' } }, 'SO-2')).toBe(plan);
    const list = plannedList(endOf('2024-06-14'), { ...rules, plan: p }, endOf('2024-06-14'));
    expect(list).toEqual(['before2 2024-06-12 14:00']);
  });
});

describe('quiet hours', () => {
  const q = { start: '21:00', end: '07:00' };
  it('holds what falls inside them until they end', () => {
    expect(show(releaseAfterQuiet(at('2024-06-14 22:30'), q, clock))).toBe('2024-06-15 07:00');
    expect(show(releaseAfterQuiet(at('2024-06-15 03:00'), q, clock))).toBe('2024-06-15 07:00');
    expect(releaseAfterQuiet(at('2024-06-15 07:00'), q, clock)).toBe(at('2024-06-15 07:00'));
    expect(inQuietHours(at('2024-06-14 21:00'), q, clock)).toBe(true);
    expect(inQuietHours(at('2024-06-14 20:59'), q, clock)).toBe(false);
    expect(inQuietHours(at('2024-06-14 12:00'), { start: '12:00', end: '13:00' }, clock)).toBe(true);
    expect(inQuietHours(at('2024-06-14 13:00'), { start: '12:00', end: '13:00' }, clock)).toBe(false);
  });

  it('delays a reminder planned inside them: nothing due at 22:00, due at 07:00 the next day', () => {
    const r = { ...rules, plan: { ...plan, beforeDays: [1], at: '22:00', overdueDailyWorkingDays: 0, overdueWeeklyAfter: false, escalateAfterWorkingDays: 0 } };
    const task = { effectiveDeadline: endOf('2024-06-14'), completedAt: null, createdAt: created };
    expect(plannedReminders(task, at('2024-06-13 21:59'), at('2024-06-13 22:01'), r)).toEqual([]);
    const due = plannedReminders(task, at('2024-06-14 06:59'), at('2024-06-14 07:00'), r);
    expect(due).toHaveLength(1);
    expect(show(due[0].plannedAt)).toBe('2024-06-13 22:00');
    expect(show(due[0].dueAt)).toBe('2024-06-14 07:00');
  });
});

describe('due reminders in a tick window', () => {
  const task = { effectiveDeadline: endOf('2024-06-14'), completedAt: null, createdAt: created };

  it('gives the one reminder due in a one-minute window, not a catch-up', () => {
    const due = dueReminders(task, at('2024-06-11 07:59'), at('2024-06-11 08:00'), rules);
    expect(due).toEqual([expect.objectContaining({ kind: 'before', n: 3, catchUp: false })]);
    expect(dueReminders(task, at('2024-06-11 08:00'), at('2024-06-11 08:01'), rules)).toEqual([]);
  });

  it('after a ten-day gap gives only the latest reminder, marked catch-up, plus the escalation', () => {
    const due = dueReminders(task, at('2024-06-12 09:00'), at('2024-06-22 10:00'), rules);
    expect(due.map((r) => `${r.kind}${r.n} ${show(r.plannedAt)} ${r.catchUp}`)).toEqual([
      'overdue5 2024-06-21 08:00 true',
      'escalate5 2024-06-21 08:00 true',
    ]);
  });
});
