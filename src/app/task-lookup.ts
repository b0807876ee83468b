// Finding a task by the code a person typed, and checking it is theirs to touch.
import { cooperatingUnitIds } from '../db/evidence.repo.ts';
import type { Db } from '../db/open.ts';
import { taskByCode, type TaskRow } from '../db/tasks.repo.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import { authorize, refusal, type Action, type Actor } from './auth.ts';

export async function findTaskFor(db: Db, actor: Actor | null, action: Action, rawCode: string): Promise<{ actor: Actor; task: TaskRow }> {
  const code = normCode(rawCode);
  // Refuse unlinked people before saying whether a code exists.
  authorize(actor, action);
  const task = await taskByCode(db, code);
  if (!task) throw new NotFound(`Không có nhiệm vụ mã ${code.slice(0, 40)}. Gõ /viec để xem mã các nhiệm vụ của đơn vị.`);
  // Evidence and the task's detail are also the co-ordinating units' business; completion is the lead unit's.
  const cooperating = action === 'evidence' || action === 'tasks' || action === 'done' ? await cooperatingUnitIds(db, task.id) : [];
  const target = { unitId: task.unitId, unitPath: task.unitPath, label: `Nhiệm vụ ${task.code}`, cooperatingUnitIds: cooperating };
  if (action === 'done' && actor && refusal(actor, action, target) !== null && cooperating.includes(actor.unitId)) {
    throw new InvalidInput(`Đơn vị anh/chị phối hợp thực hiện ${task.code}; ${task.unitName} là đơn vị chủ trì và báo hoàn thành.`);
  }
  const a = authorize(actor, action, target);
  if (action === 'done' && task.suspendedAt !== null && task.completedAt === null) {
    throw new InvalidInput(`Nhiệm vụ ${task.code} đang tạm dừng, chưa báo hoàn thành được; lãnh đạo UBND gõ /tieptuc ${task.code} để cho tiếp tục.`);
  }
  return { actor: a, task };
}
