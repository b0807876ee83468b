// /giahan asks for an extension; the chairs are told and decide with /duyet or /tuchoi.
// An approved extension becomes the effective deadline; the original stays on record.
import type { CommandReply } from '../bot/types.ts';
import { privateChatsOfOfficer } from '../db/accounts.repo.ts';
import { leadershipChats, unitChats } from '../db/bindings.repo.ts';
import { decideExtension as decideRow, extensionById, extensionsOfTask, insertExtension } from '../db/extensions.repo.ts';
import { activeOfficersByRole } from '../db/officers.repo.ts';
import type { Db } from '../db/open.ts';
import { addEvent, setEffectiveDeadline } from '../db/tasks.repo.ts';
import { unitById } from '../db/units.repo.ts';
import { parseChatDeadline } from '../domain/chat-date.ts';
import { formatDate, formatDateTime } from '../domain/dates.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { authorize, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';
import { repliesTo } from './notify.ts';
import { findTaskFor } from './task-lookup.ts';

const MAX_REASON = 1000;

/**
 * Where the chairs hear about requests (and completion reports to confirm): the leadership
 * group(s), else the private chats of the chairs who may decide it (those over the task's unit).
 */
export async function chairTargets(db: Db, taskUnitPath: string): Promise<{ channel: string; chatId: string }[]> {
  const groups = await leadershipChats(db);
  if (groups.length > 0) return groups;
  const out: { channel: string; chatId: string }[] = [];
  for (const c of await activeOfficersByRole(db, 'chair')) {
    if (taskUnitPath.startsWith(c.unitPath)) out.push(...(await privateChatsOfOfficer(db, c.id)));
  }
  return out;
}

export async function requestExtension(ctx: ChatCtx, actorOrNull: Actor | null, code: string, dateText: string, reasonText: string): Promise<CommandReply[]> {
  const { actor, task } = await findTaskFor(ctx.db, actorOrNull, 'extend', code);
  const { zone } = ctx.config;
  if (task.completedAt !== null) throw new InvalidInput(`Nhiệm vụ ${task.code} đã hoàn thành, không cần gia hạn.`);
  const current = task.effectiveDeadline;
  if (current === null) throw new InvalidInput(`Nhiệm vụ ${task.code} không có thời hạn, không cần gia hạn.`);
  const newDeadline = parseChatDeadline(dateText, zone, ctx.now);
  if (newDeadline <= current) {
    throw new InvalidInput(
      `Hạn mới phải sau hạn hiện tại (${formatDate(current, zone)}). Ví dụ: /giahan ${task.code} ${formatDate(current + 30 * 86_400_000, zone)} lý do.`,
    );
  }
  const pending = (await extensionsOfTask(ctx.db, task.id)).find((x) => x.status === 'pending');
  if (pending) throw new InvalidInput(`Nhiệm vụ ${task.code} đã có đề nghị gia hạn số ${pending.id} đang chờ duyệt. Vui lòng chờ lãnh đạo trả lời.`);
  const reason = reasonText.trim().slice(0, MAX_REASON);
  const id = await ctx.db.tx(async (tx) => {
    const xid = await insertExtension(tx, { taskId: task.id, requestedBy: actor.officerId, now: ctx.now, newDeadline, reason });
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'extension_requested', detail: `đến ${formatDate(newDeadline, zone)}: ${reason}` });
    return xid;
  });
  const ask =
    `Đề nghị gia hạn số ${id}: ${task.code} — ${task.title} (${task.unitName}). ` +
    `Hạn hiện tại ${formatDate(current, zone)}, xin đến ${formatDate(newDeadline, zone)}. ` +
    `Người đề nghị: ${actor.fullName}. Lý do: ${reason}\nDuyệt: /duyet ${id} — Từ chối: /tuchoi ${id} <lý do>`;
  const buttons = [[{ text: '✅ Duyệt', data: `duyet:${id}` }, { text: '✖ Từ chối', data: `tuchoi:${id}` }]];
  return [
    { text: `Đã gửi đề nghị gia hạn số ${id} cho ${task.code} đến ${formatDate(newDeadline, zone)}. Lãnh đạo sẽ duyệt; anh/chị sẽ được báo kết quả.` },
    ...repliesTo(ctx, await chairTargets(ctx.db, task.unitPath), { text: ask, buttons }),
  ];
}

export async function decideExtension(ctx: ChatCtx, actorOrNull: Actor | null, id: number, approve: boolean, note?: string): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'approve');
  const { zone } = ctx.config;
  const x = await extensionById(ctx.db, id);
  if (!x) throw new NotFound(`Không có đề nghị gia hạn số ${id}. Kiểm tra lại số trong tin nhắn đề nghị.`);
  const unit = await unitById(ctx.db, x.unitId);
  if (unit) authorize(actor, 'approve', { unitId: unit.id, unitPath: unit.path, label: `Đề nghị gia hạn số ${id} (${x.taskCode})` });
  if (x.status !== 'pending') {
    const what = x.status === 'approved' ? 'duyệt' : 'từ chối';
    const by = x.deciderName ? ` bởi ${x.deciderName}` : '';
    return [{ text: `Đề nghị gia hạn số ${id} (${x.taskCode}) đã được ${what} lúc ${formatDateTime(x.decidedAt ?? ctx.now, zone)}${by}.` }];
  }
  const decisionNote = note?.trim().slice(0, MAX_REASON) || null;
  const changed = await ctx.db.tx(async (tx) => {
    if (!(await decideRow(tx, id, approve ? 'approved' : 'rejected', actor.officerId, ctx.now, decisionNote))) return false;
    if (approve) await setEffectiveDeadline(tx, x.taskId, x.newDeadline, ctx.now);
    await addEvent(tx, {
      taskId: x.taskId,
      at: ctx.now,
      officerId: actor.officerId,
      kind: approve ? 'extension_approved' : 'extension_rejected',
      detail: approve ? `hạn mới ${formatDate(x.newDeadline, zone)}` : decisionNote,
    });
    return true;
  });
  if (!changed) return decideExtension(ctx, actor, id, approve, note);
  const outcome = approve
    ? `Đề nghị gia hạn số ${id} đã được duyệt: ${x.taskCode} có hạn mới ${formatDate(x.newDeadline, zone)}.`
    : `Đề nghị gia hạn số ${id} cho ${x.taskCode} bị từ chối${decisionNote ? `. Lý do: ${decisionNote}` : ''}. Hạn vẫn giữ nguyên.`;
  const requester = x.requestedBy === null ? [] : await privateChatsOfOfficer(ctx.db, x.requestedBy);
  const targets = requester.length > 0 ? requester : await unitChats(ctx.db, x.unitId);
  return [{ text: approve ? `Đã duyệt. ${outcome}` : `Đã từ chối. ${outcome}` }, ...repliesTo(ctx, targets, { text: outcome })];
}
