// Finding a task by the code a person typed, and checking it is theirs to touch.
import { cooperatingUnitIds } from '../db/evidence.repo.ts';
import type { Db } from '../db/open.ts';
import { taskByCode, type TaskRow } from '../db/tasks.repo.ts';
import { NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import { authorize, type Action, type Actor } from './auth.ts';

export async function findTaskFor(db: Db, actor: Actor | null, action: Action, rawCode: string): Promise<{ actor: Actor; task: TaskRow }> {
  const code = normCode(rawCode);
  // Refuse unlinked people before saying whether a code exists.
  authorize(actor, action);
  const task = await taskByCode(db, code);
  if (!task) throw new NotFound(`Không có nhiệm vụ mã ${code.slice(0, 40)}. Gõ /viec để xem mã các nhiệm vụ của đơn vị.`);
  // Evidence is also the co-ordinating units' business.
  const cooperating = action === 'evidence' ? { cooperatingUnitIds: await cooperatingUnitIds(db, task.id) } : {};
  const a = authorize(actor, action, { unitId: task.unitId, unitPath: task.unitPath, label: `Nhiệm vụ ${task.code}`, ...cooperating });
  return { actor: a, task };
}
