// A small tree of units with commitments and tasks, written directly with SQL.
import { DateTime } from 'luxon';
import type { Db } from '../../../src/db/open.ts';

export const zone = 'Asia/Ho_Chi_Minh';
export const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();

export function addUnit(db: Db, code: string, name: string, parentId: number | null): number {
  const s = db.$client;
  const id = Number(s.prepare('INSERT INTO units (code, name, parent_id) VALUES (?, ?, ?)').run(code, name, parentId).lastInsertRowid);
  const parentPath = parentId === null ? '/' : (s.prepare('SELECT path FROM units WHERE id = ?').get(parentId) as { path: string }).path;
  s.prepare('UPDATE units SET path = ? WHERE id = ?').run(`${parentPath}${id}/`, id);
  return id;
}

export function addOfficer(db: Db, code: string, unitId: number): number {
  return Number(
    db.$client.prepare("INSERT INTO officers (code, full_name, unit_id, role) VALUES (?, ?, ?, 'officer')").run(code, `Cán bộ ${code}`, unitId).lastInsertRowid,
  );
}

export function addCommitment(db: Db, unitId: number, year: number, signedAt: number | null = null): number {
  return Number(
    db.$client
      .prepare('INSERT INTO commitments (unit_id, year, signed_at, doc_ref) VALUES (?, ?, ?, ?)')
      .run(unitId, year, signedAt, `Bản cam kết số 05/CK-UBND năm ${year}`).lastInsertRowid,
  );
}

export function addTarget(
  db: Db,
  commitmentId: number,
  t: { code: string; comparator: '>=' | '<=' | '='; target: number; measure?: string; computed?: string; dueDate?: string; indicator?: string },
): number {
  return Number(
    db.$client
      .prepare(
        'INSERT INTO commitment_targets (commitment_id, code, indicator, comparator, target, measure, due_date, computed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(commitmentId, t.code, t.indicator ?? `Chỉ tiêu ${t.code}`, t.comparator, t.target, t.measure ?? '%', t.dueDate ?? null, t.computed ?? null)
      .lastInsertRowid,
  );
}

export function addValue(db: Db, targetId: number, value: number, measuredAt: number): void {
  db.$client.prepare('INSERT INTO target_values (target_id, value, measured_at) VALUES (?, ?, ?)').run(targetId, value, measuredAt);
}

let taskSeq = 0;
export function addTask(db: Db, unitId: number, assignedAt: number, deadline: number, completedAt: number | null): void {
  taskSeq += 1;
  db.$client
    .prepare(
      `INSERT INTO tasks (code, title, unit_id, assigned_at, deadline, effective_deadline, completed_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(`NV-T${taskSeq}`, `Nhiệm vụ ${taskSeq}`, unitId, assignedAt, deadline, deadline, completedAt, assignedAt, assignedAt);
}

/** Rows of the tables a use case may write, to prove that nothing was written. */
export function snapshot(db: Db): unknown {
  const s = db.$client;
  return ['commitments', 'commitment_targets', 'target_values'].map((t) => s.prepare(`SELECT * FROM ${t} ORDER BY id`).all());
}
