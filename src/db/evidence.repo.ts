// Evidence (minh chứng) rows: which stored file belongs to which task, who sent it, when.
import { asc, count, eq, inArray } from 'drizzle-orm';
import type { Db } from './open.ts';

export interface NewEvidence {
  taskId: number;
  sha256: string;
  ext: string;
  mime: string;
  size: number;
  originalName: string | null;
  kind: 'photo' | 'document';
  officerId: number | null;
  channel: string;
  at: number;
}

export interface EvidenceRow extends NewEvidence {
  id: number;
  /** The sender's name (null when the officer row is gone or none was recorded). */
  officerName: string | null;
}

export async function insertEvidence(db: Db, row: NewEvidence): Promise<number> {
  const { evidence: e } = db.t;
  const [r] = await db.orm.insert(e).values(row).returning({ id: e.id });
  return r.id;
}

/** A task's evidence, oldest first. */
export async function evidenceOfTask(db: Db, taskId: number): Promise<EvidenceRow[]> {
  const { evidence: e, officers: o } = db.t;
  const rows = await db.orm
    .select({
      id: e.id,
      taskId: e.taskId,
      sha256: e.sha256,
      ext: e.ext,
      mime: e.mime,
      size: e.size,
      originalName: e.originalName,
      kind: e.kind,
      officerId: e.officerId,
      officerName: o.fullName,
      channel: e.channel,
      at: e.at,
    })
    .from(e)
    .leftJoin(o, eq(o.id, e.officerId))
    .where(eq(e.taskId, taskId))
    .orderBy(asc(e.at), asc(e.id));
  return rows.map((r) => ({ ...r, kind: r.kind === 'photo' ? 'photo' : 'document' }));
}

/** How many evidence files each of these tasks has (tasks without any are absent). */
export async function evidenceCounts(db: Db, taskIds: number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const { evidence: e } = db.t;
  for (let i = 0; i < taskIds.length; i += 500) {
    const part = taskIds.slice(i, i + 500);
    const rows = await db.orm.select({ taskId: e.taskId, n: count() }).from(e).where(inArray(e.taskId, part)).groupBy(e.taskId);
    for (const r of rows) out.set(r.taskId, Number(r.n));
  }
  return out;
}

/** The co-ordinating units (phối hợp) of a task. */
export async function cooperatingUnitIds(db: Db, taskId: number): Promise<number[]> {
  const { taskCooperators: c } = db.t;
  const rows = await db.orm.select({ unitId: c.unitId }).from(c).where(eq(c.taskId, taskId));
  return rows.map((r) => r.unitId);
}
