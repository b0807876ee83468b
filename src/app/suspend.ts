// /tamdung and /tieptuc: a chair over the task's unit suspends a task (no reminders, out of the
// counts) and lets it go on; the unit is told.
import type { CommandReply } from '../bot/types.ts';
import { setSuspension } from '../db/task-people.repo.ts';
import { addEvent } from '../db/tasks.repo.ts';
import { formatDate } from '../domain/dates.ts';
import { InvalidInput } from '../domain/errors.ts';
import { clip } from '../domain/text.ts';
import { unitNoticeTargets } from './assign.ts';
import type { Actor } from './auth.ts';
import { atomically, type ChatCtx } from './chat-context.ts';
import { repliesTo } from './notify.ts';
import { findTaskFor } from './task-lookup.ts';

const MAX_REASON = 500;

export async function suspendTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string, reasonText: string): Promise<CommandReply[]> {
  const { actor, task } = await findTaskFor(ctx.db, actorOrNull, 'suspend', code);
  const { zone } = ctx.config;
  if (task.completedAt !== null) throw new InvalidInput(`Nhiệm vụ ${task.code} đã hoàn thành, không cần tạm dừng.`);
  if (task.suspendedAt !== null) throw new InvalidInput(`Nhiệm vụ ${task.code} đã tạm dừng từ ${formatDate(task.suspendedAt, zone)}. Gõ /tieptuc ${task.code} để cho tiếp tục.`);
  const reason = reasonText.trim().slice(0, MAX_REASON);
  await atomically(ctx.db, async (tx) => {
    await setSuspension(tx, task.id, ctx.now, reason, ctx.now);
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'suspended', detail: reason });
  });
  const news =
    `⏸ Nhiệm vụ ${task.code} tạm dừng từ ${formatDate(ctx.now, zone)}: ${clip(task.title, 200)}\n` +
    `Lý do: ${reason}. Người quyết định: ${actor.fullName}.\nTrong thời gian tạm dừng không có nhắc hạn.`;
  const notices = repliesTo(ctx, await unitNoticeTargets(ctx, task.unitId), { text: news });
  const told = notices.length > 0 ? 'Đã báo cho đơn vị.' : '';
  return [{ text: `Đã tạm dừng nhiệm vụ ${task.code} (${task.unitName}). ${told}`.trimEnd() }, ...notices];
}

export async function resumeTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string): Promise<CommandReply[]> {
  const { actor, task } = await findTaskFor(ctx.db, actorOrNull, 'suspend', code);
  const { zone } = ctx.config;
  if (task.completedAt !== null) throw new InvalidInput(`Nhiệm vụ ${task.code} đã hoàn thành.`);
  if (task.suspendedAt === null) throw new InvalidInput(`Nhiệm vụ ${task.code} không tạm dừng, đang thực hiện bình thường.`);
  await atomically(ctx.db, async (tx) => {
    await setSuspension(tx, task.id, null, null, ctx.now);
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'resumed', detail: null });
  });
  const due = task.effectiveDeadline === null ? 'không thời hạn' : formatDate(task.effectiveDeadline, zone);
  const news =
    `▶️ Nhiệm vụ ${task.code} tiếp tục thực hiện từ ${formatDate(ctx.now, zone)}: ${clip(task.title, 200)}\n` +
    `Hạn: ${due}. Người quyết định: ${actor.fullName}.\nKhi hoàn thành, gõ /xong ${task.code}.`;
  const notices = repliesTo(ctx, await unitNoticeTargets(ctx, task.unitId), { text: news });
  const told = notices.length > 0 ? 'Đã báo cho đơn vị.' : '';
  return [{ text: `Đã cho tiếp tục nhiệm vụ ${task.code} (${task.unitName}), hạn ${due}. ${told}`.trimEnd() }, ...notices];
}
