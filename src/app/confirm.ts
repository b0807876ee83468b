// Confirmation of completion (xác nhận hoàn thành): a task that needs it is reported with /xong
// (complete.ts), the chairs over its unit are told with the report and its evidence, and a
// chair confirms it (/xacnhan: done at the report's instant, by the reporter) or sends it back
// (/tralai: in progress again, the reason to the unit, the report kept in the history).
import type { Button, CommandReply, Notice } from '../bot/types.ts';
import { unitChats } from '../db/bindings.repo.ts';
import { clearReport, confirmReport } from '../db/confirmation.repo.ts';
import { evidenceOfTask } from '../db/evidence.repo.ts';
import { privateChatsOfUnit } from '../db/officers.repo.ts';
import type { Db } from '../db/open.ts';
import { addEvent, type TaskRow } from '../db/tasks.repo.ts';
import { calendarDaysBetween, formatDate, formatDateTime } from '../domain/dates.ts';
import { InvalidInput } from '../domain/errors.ts';
import { clip } from '../domain/text.ts';
import type { Actor } from './auth.ts';
import { atomically, type ChatCtx } from './chat-context.ts';
import { fileRefOf } from './evidence.ts';
import { chairTargets } from './extend.ts';
import { repliesTo } from './notify.ts';
import { findTaskFor } from './task-lookup.ts';

const MAX_REASON = 1000;
/** Evidence files sent with a report to the chairs (the newest). */
const FILES_SENT = 10;

/** The reason a button "Trả lại" records: the button carries no words (a typed /tralai needs a reason). */
export const RETURN_BY_BUTTON_REASON = 'Lãnh đạo trả lại bằng nút bấm, chưa ghi lý do cụ thể; đề nghị liên hệ lãnh đạo và báo cáo lại.';

/** "đúng hạn" / "chậm 3 ngày" / "" (no deadline) of a completion at `at`. */
export function timeliness(due: number | null, at: number, zone: string): string {
  if (due === null) return '';
  return at <= due ? 'đúng hạn' : `chậm ${Math.max(1, calendarDaysBetween(due, at, zone))} ngày`;
}

/** The buttons of a report notice (Telegram), when the code fits in a payload. */
function reportButtons(code: string): Button[][] | undefined {
  const ok = `xacnhan:${code}`;
  const back = `tralai:${code}`;
  if (Buffer.byteLength(back) > 64 || Buffer.byteLength(ok) > 64) return undefined;
  return [[{ text: '✅ Xác nhận', data: ok }, { text: '↩ Trả lại', data: back }]];
}

/**
 * The notices telling the chairs over the task's unit (or the leadership group) of a report:
 * the task, the report, its evidence as stored-file references, and on Telegram two buttons.
 */
export async function reportNotices(ctx: ChatCtx, actor: Actor, task: TaskRow, note: string | null): Promise<Notice[]> {
  const { zone } = ctx.config;
  const evidence = await evidenceOfTask(ctx.db, task.id);
  const due = task.effectiveDeadline;
  const when = timeliness(due, ctx.now, zone);
  const lines = [
    `📝 Báo cáo hoàn thành chờ xác nhận: ${task.code} — ${clip(task.title, 200)} (${task.unitName}).`,
    `Người báo cáo: ${actor.fullName}, lúc ${formatDateTime(ctx.now, zone)}${due !== null ? `; hạn ${formatDate(due, zone)}, ${when}` : '; không thời hạn'}.`,
  ];
  if (note) lines.push(`Ghi chú: ${clip(note, 300)}`);
  lines.push(evidence.length > 0 ? `Minh chứng: ${evidence.length} tệp (gửi kèm).` : 'Minh chứng: chưa có.');
  lines.push(`Xác nhận: /xacnhan ${task.code} — Trả lại: /tralai ${task.code} <lý do>`);
  const buttons = reportButtons(task.code);
  const targets = await chairTargets(ctx.db, task.unitPath);
  const shown = evidence.map((e, i) => ({ e, n: i + 1 })).slice(-FILES_SENT);
  return [
    ...repliesTo(ctx, targets, { text: lines.join('\n'), ...(buttons ? { buttons } : {}) }),
    ...shown.flatMap(({ e, n }) => repliesTo(ctx, targets, { text: `📎 ${task.code}: minh chứng ${n}/${evidence.length}`, file: fileRefOf(e, task.code, n) })),
  ];
}

/** The unit's groups, else its officers' private chats. */
async function unitTargets(db: Db, unitId: number): Promise<{ channel: string; chatId: string }[]> {
  const groups = await unitChats(db, unitId);
  return groups.length > 0 ? groups : privateChatsOfUnit(db, unitId);
}

/** The task with a report waiting, checked for a chair over its unit; one sentence otherwise. */
async function awaitingTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string): Promise<{ actor: Actor; task: TaskRow & { reportedAt: number } }> {
  const { actor, task } = await findTaskFor(ctx.db, actorOrNull, 'confirm', code);
  const { zone } = ctx.config;
  if (task.completedAt !== null) {
    throw new InvalidInput(`Nhiệm vụ ${task.code} đã hoàn thành lúc ${formatDateTime(task.completedAt, zone)}, không có báo cáo nào chờ xác nhận.`);
  }
  if (task.reportedAt === null) {
    throw new InvalidInput(`Nhiệm vụ ${task.code} chưa có báo cáo hoàn thành nào chờ xác nhận. Gõ /viec ${task.code} để xem tình trạng.`);
  }
  return { actor, task: { ...task, reportedAt: task.reportedAt } };
}

const justHandled = (code: string) => `Báo cáo của nhiệm vụ ${code} vừa được người khác xử lý. Gõ /viec ${code} để xem tình trạng.`;

export async function confirmTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string): Promise<CommandReply[]> {
  const { actor, task } = await awaitingTask(ctx, actorOrNull, code);
  const { zone } = ctx.config;
  const at = formatDateTime(task.reportedAt, zone);
  await atomically(ctx.db, async (tx) => {
    if (!(await confirmReport(tx, task.id, ctx.now))) throw new InvalidInput(justHandled(task.code));
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'confirmed', detail: `hoàn thành tính từ lúc báo cáo ${at}` });
  });
  const when = timeliness(task.effectiveDeadline, task.reportedAt, zone);
  const done = `hoàn thành${when ? ` ${when}` : ''} (tính từ lúc báo cáo ${at})`;
  const news = `✅ ${actor.fullName} đã xác nhận nhiệm vụ ${task.code} — ${clip(task.title, 120)}: ${done}.`;
  return [{ text: `Đã xác nhận ${task.code} ${done}.` }, ...repliesTo(ctx, await unitTargets(ctx.db, task.unitId), { text: news })];
}

export async function returnTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string, reasonText: string | undefined): Promise<CommandReply[]> {
  const { actor, task } = await awaitingTask(ctx, actorOrNull, code);
  const reason = (reasonText?.trim() || RETURN_BY_BUTTON_REASON).slice(0, MAX_REASON);
  await atomically(ctx.db, async (tx) => {
    if (!(await clearReport(tx, task.id, ctx.now))) throw new InvalidInput(justHandled(task.code));
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'returned', detail: reason });
  });
  const news =
    `↩ ${actor.fullName} trả lại báo cáo hoàn thành nhiệm vụ ${task.code} — ${clip(task.title, 120)}.\nLý do: ${reason}\n` +
    `Nhiệm vụ tiếp tục thực hiện; khi xong, gõ /xong ${task.code}.`;
  return [
    { text: `Đã trả lại báo cáo ${task.code} cho ${task.unitName}; nhiệm vụ tiếp tục thực hiện. Lý do: ${clip(reason, 300)}` },
    ...repliesTo(ctx, await unitTargets(ctx.db, task.unitId), { text: news }),
  ];
}
