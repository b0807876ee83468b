// Tasks without a deadline and suspended tasks in the tick's, the weekly summary's and /viec's
// queries: no reminders, not in the due or overdue lists; /viec's whole list still shows them.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/open.ts';
import { countsDueBetween, openTasksByDeadline, overdueTasksOnWeekdays } from '../../src/db/reminder-candidates.repo.ts';
import { openTasksOfUnitBefore } from '../../src/db/summary.repo.ts';
import { openTasks } from '../../src/db/tasks.repo.ts';
import { testDb } from '../helpers/db.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-10T01:00:00Z');
let db: Db;

beforeEach(async () => {
  db = await testDb();
  await db.orm.insert(db.t.units).values([
    { id: 1, code: 'TINH', name: 'UBND tỉnh', parentId: null, path: '/1/' },
    { id: 2, code: 'XA1', name: 'UBND xã A', parentId: 1, path: '/1/2/' },
  ]);
  const row = (code: string, deadline: number | null, suspendedAt: number | null = null) => ({
    code, title: code, unitId: 2, assignedAt: NOW - 30 * DAY, deadline, effectiveDeadline: deadline, suspendedAt, createdAt: NOW - 30 * DAY, updatedAt: NOW,
  });
  await db.orm.insert(db.t.tasks).values([
    row('QUA-HAN', NOW - 2 * DAY),
    row('SAP-HAN', NOW + 2 * DAY),
    row('KHONG-HAN', null),
    row('TAM-DUNG-QUA', NOW - 2 * DAY, NOW - 5 * DAY),
    row('TAM-DUNG-SAP', NOW + 2 * DAY, NOW - 1 * DAY),
  ]);
});

const codes = (rows: { code: string }[]) => rows.map((r) => r.code).sort();

describe('no deadline, suspended', () => {
  it('get no reminder: the tick picks neither by deadline window nor by weekday', async () => {
    expect(codes(await openTasksByDeadline(db, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER))).toEqual(['QUA-HAN', 'SAP-HAN']);
    expect(codes(await overdueTasksOnWeekdays(db, NOW, 0, [0, 1, 2, 3, 4, 5, 6]))).toEqual(['QUA-HAN']);
    const weekday = Math.floor((NOW - 2 * DAY) / DAY) % 7;
    expect(codes(await overdueTasksOnWeekdays(db, NOW, 0, [weekday]))).toEqual(['QUA-HAN']);
  });

  it('are left out of the weekly summary and its counts', async () => {
    expect(codes(await openTasksOfUnitBefore(db, 2, NOW, NOW + 7 * DAY))).toEqual(['QUA-HAN', 'SAP-HAN']);
    expect(await countsDueBetween(db, NOW - 7 * DAY, NOW)).toEqual({ total: 1, doneOnTime: 0, doneLate: 0, overdue: 1, inProgress: 0 });
  });

  it('/viec: the overdue and due lists leave them out; the whole list shows them, the undated ones on request', async () => {
    for (const scope of [{ unitId: 2 }, { pathPrefix: '/1/' }]) {
      expect(codes(await openTasks(db, { ...scope, dueBefore: NOW - 1, activeOnly: true, limit: 10 }))).toEqual(['QUA-HAN']);
      expect(codes(await openTasks(db, { ...scope, dueAfter: NOW, dueBefore: NOW + 7 * DAY, activeOnly: true, limit: 10 }))).toEqual(['SAP-HAN']);
      const all = await openTasks(db, { ...scope, limit: 10 });
      expect(codes(all)).toEqual(['QUA-HAN', 'SAP-HAN', 'TAM-DUNG-QUA', 'TAM-DUNG-SAP']);
      expect(all.find((t) => t.code === 'TAM-DUNG-QUA')?.suspendedAt).toBe(NOW - 5 * DAY);
      expect(await openTasks(db, { ...scope, undated: true, limit: 10 })).toEqual([
        { code: 'KHONG-HAN', title: 'KHONG-HAN', unitCode: 'XA1', effectiveDeadline: null, suspendedAt: null, reportedAt: null, ruleId: null },
      ]);
    }
  });
});
