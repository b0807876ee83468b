// A small tree of units with commitments and tasks, written directly through drizzle.
import { asc, eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../../src/db/open.ts';

export const zone = 'Asia/Ho_Chi_Minh';
export const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();

export async function addUnit(db: Db, code: string, name: string, parentId: number | null): Promise<number> {
  const { units } = db.t;
  const [{ id }] = await db.orm.insert(units).values({ code, name, parentId }).returning({ id: units.id });
  const parentPath =
    parentId === null ? '/' : (await db.orm.select({ path: units.path }).from(units).where(eq(units.id, parentId)))[0]!.path;
  await db.orm.update(units).set({ path: `${parentPath}${id}/` }).where(eq(units.id, id));
  return id;
}

export async function addOfficer(db: Db, code: string, unitId: number): Promise<number> {
  const { officers } = db.t;
  const [{ id }] = await db.orm
    .insert(officers)
    .values({ code, fullName: `Cán bộ ${code}`, unitId, role: 'officer' })
    .returning({ id: officers.id });
  return id;
}

export async function addCommitment(db: Db, unitId: number, year: number, signedAt: number | null = null): Promise<number> {
  const { commitments } = db.t;
  const [{ id }] = await db.orm
    .insert(commitments)
    .values({ unitId, year, signedAt, docRef: `Bản cam kết số 05/CK-UBND năm ${year}` })
    .returning({ id: commitments.id });
  return id;
}

export async function addTarget(
  db: Db,
  commitmentId: number,
  t: { code: string; comparator: '>=' | '<=' | '='; target: number; measure?: string; computed?: string; dueDate?: string; indicator?: string },
): Promise<number> {
  const { commitmentTargets } = db.t;
  const [{ id }] = await db.orm
    .insert(commitmentTargets)
    .values({
      commitmentId,
      code: t.code,
      indicator: t.indicator ?? `Chỉ tiêu ${t.code}`,
      comparator: t.comparator,
      target: t.target,
      measure: t.measure ?? '%',
      dueDate: t.dueDate ?? null,
      computed: t.computed ?? null,
    })
    .returning({ id: commitmentTargets.id });
  return id;
}

export async function addValue(db: Db, targetId: number, value: number, measuredAt: number): Promise<void> {
  const { targetValues } = db.t;
  await db.orm.insert(targetValues).values({ targetId, value, measuredAt });
}

let taskSeq = 0;
export async function addTask(db: Db, unitId: number, assignedAt: number, deadline: number, completedAt: number | null): Promise<void> {
  taskSeq += 1;
  const { tasks } = db.t;
  await db.orm.insert(tasks).values({
    code: `NV-T${taskSeq}`,
    title: `Nhiệm vụ ${taskSeq}`,
    unitId,
    assignedAt,
    deadline,
    effectiveDeadline: deadline,
    completedAt,
    createdAt: assignedAt,
    updatedAt: assignedAt,
  });
}

/** Rows of the tables a use case may write, to prove that nothing was written. */
export async function snapshot(db: Db): Promise<unknown> {
  const { commitments, commitmentTargets, targetValues } = db.t;
  return [
    await db.orm.select().from(commitments).orderBy(asc(commitments.id)),
    await db.orm.select().from(commitmentTargets).orderBy(asc(commitmentTargets.id)),
    await db.orm.select().from(targetValues).orderBy(asc(targetValues.id)),
  ];
}
