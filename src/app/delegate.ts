// /phancong: the lead unit's head (or a chair over it) names the officer who carries a task out;
// the officer is told privately.
import type { CommandReply } from '../bot/types.ts';
import { privateChatsOfOfficer } from '../db/accounts.repo.ts';
import { officerBriefByCode, setAssignee } from '../db/task-people.repo.ts';
import { addEvent } from '../db/tasks.repo.ts';
import { formatDate } from '../domain/dates.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import type { Actor } from './auth.ts';
import { atomically, type ChatCtx } from './chat-context.ts';
import { repliesTo } from './notify.ts';
import { findTaskFor } from './task-lookup.ts';

export async function delegateTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string, officerCodeText: string): Promise<CommandReply[]> {
  const { actor, task } = await findTaskFor(ctx.db, actorOrNull, 'delegate', code);
  if (task.completedAt !== null) throw new InvalidInput(`Nhiệm vụ ${task.code} đã hoàn thành, không cần phân công.`);
  const officerCode = normCode(officerCodeText);
  const officer = await officerBriefByCode(ctx.db, officerCode);
  if (!officer) throw new NotFound(`Không có cán bộ mã ${officerCode.slice(0, 30)}. Kiểm tra lại mã cán bộ.`);
  if (officer.unitId !== task.unitId) {
    throw new InvalidInput(`Cán bộ ${officer.fullName} không thuộc ${task.unitName}; chỉ phân công được cán bộ của đơn vị chủ trì.`);
  }
  if (!officer.active) throw new InvalidInput(`Cán bộ ${officer.fullName} đã ngừng hoạt động trên hệ thống, không phân công được.`);
  await atomically(ctx.db, async (tx) => {
    await setAssignee(tx, task.id, officer.id, ctx.now);
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'delegated', detail: officer.fullName });
  });
  const { zone } = ctx.config;
  const due = task.effectiveDeadline === null ? 'không thời hạn' : formatDate(task.effectiveDeadline, zone);
  const news =
    `📌 Anh/chị được phân công thực hiện nhiệm vụ ${task.code}: ${task.title}\n` +
    `Đơn vị chủ trì: ${task.unitName} · Hạn: ${due}. Người phân công: ${actor.fullName}.\n` +
    `Xem nhiệm vụ của mình: /viec toi. Khi hoàn thành, gõ /xong ${task.code}.`;
  const notices = repliesTo(ctx, await privateChatsOfOfficer(ctx.db, officer.id), { text: news });
  const told = notices.length > 0 ? 'Đã báo riêng cho cán bộ.' : officer.id === actor.officerId ? '' : 'Cán bộ chưa liên kết tài khoản nên chưa báo được qua tin nhắn.';
  return [{ text: `Đã phân công ${officer.fullName} thực hiện nhiệm vụ ${task.code}. ${told}`.trimEnd() }, ...notices];
}
