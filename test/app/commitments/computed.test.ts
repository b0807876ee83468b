import { count, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { computeFormula } from '../../../src/app/commitments/evaluate.ts';
import { showCommitments } from '../../../src/app/commitments/show.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';
import { addCommitment, addTarget, addTask, addUnit, at, zone } from './fixture.ts';

describe('computed targets over the task data of the unit subtree', () => {
  let db: Db;
  let tinh: number;
  let so: number;
  let xa: number;
  let other: number;
  beforeEach(async () => {
    db = await testDb();
    tinh = await addUnit(db, 'TINH', 'UBND tỉnh', null);
    so = await addUnit(db, 'SO-TC', 'Sở Tài chính', tinh);
    xa = await addUnit(db, 'XA-AN', 'UBND xã An', so);
    other = await addUnit(db, 'SO-YT', 'Sở Y tế', tinh);
    const asg = at('2026-02-01T08:00');
    // SO-TC: 2 on time, 1 late, 1 overdue as of 1/7, 1 in progress.
    await addTask(db, so, asg, at('2026-03-31T23:59:59'), at('2026-03-20T10:00'));
    await addTask(db, so, asg, at('2026-03-31T23:59:59'), at('2026-03-31T23:59:59')); // exactly on the deadline: on time
    await addTask(db, so, asg, at('2026-03-31T23:59:59'), at('2026-04-02T10:00'));
    await addTask(db, so, asg, at('2026-05-31T23:59:59'), null);
    await addTask(db, so, asg, at('2026-09-30T23:59:59'), null);
    // XA-AN (under SO-TC): overdue as of 1/7, completed only later (done late after 1/7).
    await addTask(db, xa, asg, at('2026-06-15T23:59:59'), at('2026-07-10T10:00'));
    // Not counted for SO-TC: another branch, last year's task, a task assigned after the as-of instant.
    await addTask(db, other, asg, at('2026-03-31T23:59:59'), null);
    await addTask(db, so, at('2025-11-01T08:00'), at('2025-12-31T23:59:59'), null);
    await addTask(db, so, at('2026-08-01T08:00'), at('2026-08-02T23:59:59'), null);
  });

  const path = async (id: number) => {
    const { units } = db.t;
    return (await db.orm.select({ path: units.path }).from(units).where(eq(units.id, id)))[0]!.path;
  };

  it('on_time_rate = on time / (on time + late + overdue) as of the instant, over the subtree', async () => {
    const asOf = at('2026-07-01T00:00');
    // SO-TC subtree: on time 2, late 1, overdue 2 (SO-TC's May task and XA-AN's June task).
    expect(await computeFormula(db, 'on_time_rate', { unitPath: await path(so), year: 2026, asOf, zone })).toBeCloseTo(40, 10);
    expect(await computeFormula(db, 'overdue_count', { unitPath: await path(so), year: 2026, asOf, zone })).toBe(2);
    // XA-AN alone: only its overdue task.
    expect(await computeFormula(db, 'on_time_rate', { unitPath: await path(xa), year: 2026, asOf, zone })).toBe(0);
    // The province holds everything of 2026 due by then: on time 2, late 1, overdue 3.
    expect(await computeFormula(db, 'overdue_count', { unitPath: await path(tinh), year: 2026, asOf, zone })).toBe(3);
  });

  it('follows the as-of instant: later completions and later assignments count later', async () => {
    const asOf = at('2026-12-31T23:59:59.999');
    // By year end XA-AN's task is done late; the August task is overdue; the September task is overdue.
    // On time 2, late 2, overdue 3 (May, Sep, Aug).
    expect(await computeFormula(db, 'overdue_count', { unitPath: await path(so), year: 2026, asOf, zone })).toBe(3);
    expect(await computeFormula(db, 'on_time_rate', { unitPath: await path(so), year: 2026, asOf, zone })).toBeCloseTo((2 / 7) * 100, 10);
    // Before anything was due or done there is no rate.
    expect(await computeFormula(db, 'on_time_rate', { unitPath: await path(so), year: 2026, asOf: at('2026-03-01T00:00'), zone })).toBeNull();
    expect(await computeFormula(db, 'overdue_count', { unitPath: await path(so), year: 2026, asOf: at('2026-03-01T00:00'), zone })).toBe(0);
  });

  it('is shown in /camket computed on read, with the as-of date', async () => {
    const c = await addCommitment(db, so, 2026);
    await addTarget(db, c, { code: 'DH-01', comparator: '>=', target: 40, computed: 'on_time_rate', indicator: 'Tỷ lệ nhiệm vụ hoàn thành đúng hạn' });
    await addTarget(db, c, { code: 'QH-01', comparator: '<=', target: 0, computed: 'overdue_count', measure: 'nhiệm vụ', indicator: 'Nhiệm vụ quá hạn' });
    const asOf = at('2026-07-01T00:00');
    const { data, text } = await showCommitments(db, { unitCode: 'so-tc', year: 2026, asOf, zone });
    expect(data.targets.map((t) => [t.code, t.status, t.lastValue])).toEqual([
      ['DH-01', 'met', expect.closeTo(40, 9)],
      ['QH-01', 'onTrack', 2],
    ]);
    expect(text).toContain('✓ DH-01 Tỷ lệ nhiệm vụ hoàn thành đúng hạn: ≥ 40%; tự tính 40% (01/07/2026); hạn 31/12/2026');
    expect(text).toContain('⏳ QH-01 Nhiệm vụ quá hạn: ≤ 0 nhiệm vụ; tự tính 2 nhiệm vụ (01/07/2026)');
    expect(await db.orm.select({ n: count() }).from(db.t.targetValues)).toEqual([{ n: 0 }]);
  });
});
