// Inserting a task under a generated code that another process may take at the same moment.
import type { Db } from './db.ts';
import type { NewTask } from './tasks.repo.ts';

/** Inserts the task; its id, or undefined when the code is already taken (then try the next code). */
export async function insertTaskIfCodeFree(db: Db, t: NewTask): Promise<number | undefined> {
  const { tasks } = db.t;
  const [row] = await db.orm
    .insert(tasks)
    .values({
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      assignedBy: t.assignedBy,
      assignedByKey: t.assignedByKey,
      sourceDoc: t.sourceDoc,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.deadline,
      createdAt: t.assignedAt,
      updatedAt: t.assignedAt,
    })
    .onConflictDoNothing({ target: tasks.code })
    .returning({ id: tasks.id });
  return row?.id;
}
