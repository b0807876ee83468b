// Extension requests (gia hạn): pending, approved or rejected.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

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

const SELECT = `SELECT x.id, x.task_id AS taskId, t.code AS taskCode, t.title AS taskTitle, t.unit_id AS unitId,
  x.requested_by AS requestedBy, r.full_name AS requesterName, x.requested_at AS requestedAt, x.new_deadline AS newDeadline,
  x.reason, x.status, x.decided_at AS decidedAt, d.full_name AS deciderName, x.decision_note AS decisionNote
  FROM extensions x JOIN tasks t ON t.id = x.task_id
  LEFT JOIN officers r ON r.id = x.requested_by LEFT JOIN officers d ON d.id = x.decided_by`;

export function extensionById(db: Db, id: number): ExtensionRow | undefined {
  return stmt(db, `${SELECT} WHERE x.id = ?`).get(id) as ExtensionRow | undefined;
}

export function extensionsOfTask(db: Db, taskId: number): ExtensionRow[] {
  return stmt(db, `${SELECT} WHERE x.task_id = ? ORDER BY x.requested_at, x.id`).all(taskId) as ExtensionRow[];
}

export function insertExtension(db: Db, e: { taskId: number; requestedBy: number; now: number; newDeadline: number; reason: string }): number {
  const r = stmt(
    db,
    "INSERT INTO extensions (task_id, requested_by, requested_at, new_deadline, reason, status) VALUES (?, ?, ?, ?, ?, 'pending')",
  ).run(e.taskId, e.requestedBy, e.now, e.newDeadline, e.reason);
  return Number(r.lastInsertRowid);
}

/** Decides a pending request; false when it was decided in the meantime. */
export function decideExtension(db: Db, id: number, status: 'approved' | 'rejected', officerId: number, now: number, note: string | null): boolean {
  return (
    stmt(db, "UPDATE extensions SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ? AND status = 'pending'").run(
      status,
      officerId,
      now,
      note,
      id,
    ).changes === 1
  );
}
