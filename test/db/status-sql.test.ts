// The status rule's SQL fragments (src/db/status.sql.ts) agree with taskState,
// awaitingConfirmation and dueSoon (src/domain/status.ts) on generated tasks (with and
// without a deadline, suspended or not, reported and awaiting confirmation or not), on the
// engine under test.
import fc from 'fast-check';
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  awaitingConfirmationSql,
  countedSql,
  doneLateSql,
  doneOnTimeSql,
  dueSoonSql,
  inProgressSql,
  noDeadlineSql,
  overdueSql,
  statusCaseSql,
  suspendedSql,
} from '../../src/db/status.sql.ts';
import { awaitingConfirmation, dueSoon, isCounted, taskState, type TaskState } from '../../src/domain/status.ts';
import { testDb } from '../helpers/db.ts';

interface GenTask {
  assignedAt: number;
  deadline: number | null;
  effectiveDeadline: number | null;
  completedAt: number | null;
  suspendedAt: number | null;
  reportedAt: number | null;
}

const NEAR_DAYS = 3;

// Instants near asOf, often exactly on it or a millisecond away, so equal boundaries come up.
const offset = fc.oneof(fc.constantFrom(0, -1, 1), fc.integer({ min: -5, max: 5 }), fc.integer({ min: -90 * 86_400_000, max: 90 * 86_400_000 }));

const caseArb = fc
  .record({ asOf: fc.integer({ min: 1_500_000_000_000, max: 1_900_000_000_000 }), n: fc.integer({ min: 1, max: 6 }) })
  .chain(({ asOf, n }) => {
    const instant = offset.map((d) => asOf + d);
    const task = fc
      .record({
        assignedAt: instant,
        // null: no deadline.
        deadline: fc.option(instant, { nil: null, freq: 4 }),
        // Extended (or not); sometimes the completion sits exactly on it.
        effectiveDeadline: fc.oneof(instant, fc.constant(null)),
        completedAt: fc.oneof(fc.constant(null), instant, fc.constant('deadline' as const)),
        suspendedAt: fc.option(instant, { nil: null, freq: 3 }),
        // A report: awaiting (completion null), or confirmed (completion = the report).
        report: fc.option(fc.record({ at: instant, confirmed: fc.boolean() }), { nil: null, freq: 3 }),
        // Due soon's boundary: sometimes exactly NEAR_DAYS days after asOf.
        nearEdge: fc.boolean(),
      })
      .map(({ assignedAt, deadline, effectiveDeadline, completedAt, suspendedAt, report, nearEdge }): GenTask => {
        const eff = deadline === null ? null : nearEdge ? asOf + NEAR_DAYS * 86_400_000 : (effectiveDeadline ?? deadline);
        let done = completedAt === 'deadline' ? eff : completedAt;
        if (report) done = report.confirmed ? report.at : null;
        return { assignedAt, deadline, effectiveDeadline: eff, completedAt: done, suspendedAt, reportedAt: report ? report.at : null };
      });
    return fc.record({ asOf: fc.oneof(fc.constant(asOf), instant), tasks: fc.array(task, { minLength: n, maxLength: n }) });
  });

describe('status SQL fragments', () => {
  it('give the status taskStatus gives, for any task and as-of instant', async () => {
    const db = await testDb();
    const { tasks, units } = db.t;
    const [unit] = await db.orm.insert(units).values({ code: 'U', name: 'Đơn vị' }).returning({ id: units.id });
    let seq = 0;
    const flag = (cond: ReturnType<typeof sql>) => sql<number>`CASE WHEN ${cond} THEN 1 ELSE 0 END`;

    await fc.assert(
      fc.asyncProperty(caseArb, async ({ asOf, tasks: gen }) => {
        await db.tx(async (tx) => {
          await tx.orm.delete(tasks);
          await tx.orm.insert(tasks).values(
            gen.map((g) => ({ ...g, code: `T${++seq}`, title: 't', unitId: unit.id, createdAt: g.assignedAt, updatedAt: g.assignedAt })),
          );
        });
        const rows = await db.orm
          .select({
            code: tasks.code,
            effectiveDeadline: tasks.effectiveDeadline,
            completedAt: tasks.completedAt,
            status: statusCaseSql(tasks, asOf),
            onTime: flag(doneOnTimeSql(tasks, asOf)),
            late: flag(doneLateSql(tasks, asOf)),
            overdue: flag(overdueSql(tasks, asOf)),
            inProgress: flag(inProgressSql(tasks, asOf)),
            noDeadline: flag(noDeadlineSql(tasks, asOf)),
            suspended: flag(suspendedSql(tasks, asOf)),
            counted: flag(countedSql(tasks, asOf)),
            // NOT of a fragment: never NULL, so these are the exact complements.
            notOverdue: flag(sql`NOT ${overdueSql(tasks, asOf)}`),
            notSuspended: flag(sql`NOT ${suspendedSql(tasks, asOf)}`),
            awaiting: flag(awaitingConfirmationSql(tasks, asOf)),
            dueSoon: flag(dueSoonSql(tasks, asOf, asOf + NEAR_DAYS * 86_400_000)),
          })
          .from(tasks)
          .where(eq(tasks.unitId, unit.id))
          .orderBy(tasks.id);
        expect(rows).toHaveLength(gen.length);
        rows.forEach((r, i) => {
          const want: TaskState = taskState(gen[i], asOf);
          expect(r.effectiveDeadline).toBe(gen[i].effectiveDeadline);
          expect(r.completedAt).toBe(gen[i].completedAt);
          expect(r.status).toBe(want);
          const flags = {
            doneOnTime: Number(r.onTime),
            doneLate: Number(r.late),
            overdue: Number(r.overdue),
            inProgress: Number(r.inProgress),
            noDeadline: Number(r.noDeadline),
            suspended: Number(r.suspended),
          };
          expect(flags).toEqual({ doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0, noDeadline: 0, suspended: 0, [want]: 1 });
          expect(Number(r.counted)).toBe(isCounted(want) ? 1 : 0);
          expect(Number(r.notOverdue)).toBe(want === 'overdue' ? 0 : 1);
          expect(Number(r.notSuspended)).toBe(want === 'suspended' ? 0 : 1);
          expect(Number(r.awaiting)).toBe(awaitingConfirmation(gen[i], asOf) ? 1 : 0);
          expect(Number(r.dueSoon)).toBe(dueSoon(gen[i], asOf, NEAR_DAYS) ? 1 : 0);
        });
      }),
      { numRuns: 300 },
    );
  });
});
