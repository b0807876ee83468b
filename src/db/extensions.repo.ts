// Extension requests (gia hạn): pending, approved or rejected.
import { and, asc, eq } from 'drizzle-orm';
// Same code as sqlite-core's alias (a proxy over any table); db.orm is typed as the PostgreSQL builder.
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from './open.ts';

export interface ExtensionRow {
  id: number;
  taskId: number;
  taskCode: string;
  taskTitle: string;
  unitId: number;
  requestedBy: number | null;
  requesterName: string | null;
  requestedAt: number;
  newDeadline: number;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedAt: number | null;
  deciderName: string | null;
  decisionNote: string | null;
}

function select(db: Db) {
  const { extensions: x, tasks: t, officers } = db.t;
  const r = alias(officers, 'r');
  const d = alias(officers, 'd');
  return db.orm
    .select({
      id: x.id,
      taskId: x.taskId,
      taskCode: t.code,
      taskTitle: t.title,
      unitId: t.unitId,
      requestedBy: x.requestedBy,
      requesterName: r.fullName,
      requestedAt: x.requestedAt,
      newDeadline: x.newDeadline,
      reason: x.reason,
      status: x.status,
      decidedAt: x.decidedAt,
      deciderName: d.fullName,
      decisionNote: x.decisionNote,
    })
    .from(x)
    .innerJoin(t, eq(t.id, x.taskId))
    .leftJoin(r, eq(r.id, x.requestedBy))
    .leftJoin(d, eq(d.id, x.decidedBy));
}

export async function extensionById(db: Db, id: number): Promise<ExtensionRow | undefined> {
  const rows = await select(db).where(eq(db.t.extensions.id, id)).limit(1);
  return rows[0];
}

export async function extensionsOfTask(db: Db, taskId: number): Promise<ExtensionRow[]> {
  const { extensions: x } = db.t;
  return select(db)
    .where(eq(x.taskId, taskId))
    .orderBy(asc(x.requestedAt), asc(x.id));
}

export async function insertExtension(db: Db, e: { taskId: number; requestedBy: number; now: number; newDeadline: number; reason: string }): Promise<number> {
  const { extensions: x } = db.t;
  const rows = await db.orm
    .insert(x)
    .values({ taskId: e.taskId, requestedBy: e.requestedBy, requestedAt: e.now, newDeadline: e.newDeadline, reason: e.reason, status: 'pending' })
    .returning({ id: x.id });
  return rows[0]!.id;
}

/** Decides a pending request; false when it was decided in the meantime. */
export async function decideExtension(
  db: Db,
  id: number,
  status: 'approved' | 'rejected',
  officerId: number,
  now: number,
  note: string | null,
): Promise<boolean> {
  const { extensions: x } = db.t;
  const rows = await db.orm
    .update(x)
    .set({ status, decidedBy: officerId, decidedAt: now, decisionNote: note })
    .where(and(eq(x.id, id), eq(x.status, 'pending')))
    .returning({ id: x.id });
  return rows.length === 1;
}
