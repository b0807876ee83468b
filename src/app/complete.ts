// /xong: a task is reported done. On time or late by N days; a late task needs a reason,
// given inline ("lý do: …") or as the person's next message. A task that needs confirmation
// is only reported (confirm.ts decides); a photo or file sent with /xong is kept as evidence.
import type { CommandReply, Reply } from '../bot/types.ts';
import { clearPrompt, pendingPrompt, setPrompt, type PromptRow } from '../db/accounts.repo.ts';
import { recordReport } from '../db/confirmation.repo.ts';
import { addEvent, recordCompletion, setLateReason, taskById, type Completion, type TaskRow } from '../db/tasks.repo.ts';
import { calendarDaysBetween, formatDate, formatDateTime } from '../domain/dates.ts';
import type { Actor } from './auth.ts';
import { atomically, type ChatCtx } from './chat-context.ts';
import { reportNotices } from './confirm.ts';
import type { EvidenceAdded } from './evidence.ts';
import { attachStaged } from './evidence-chat.ts';
import { findTaskFor } from './task-lookup.ts';

export const LATE_REASON_PROMPT = 'late_reason';
const PROMPT_TTL_MS = 24 * 3_600_000;
const MAX_REASON = 2000;

export async function completeTask(ctx: ChatCtx, actorOrNull: Actor | null, code: string, note?: string, reason?: string): Promise<CommandReply[]> {
  const { actor, task } = await findTaskFor(ctx.db, actorOrNull, 'done', code);
  const { zone } = ctx.config;
  if (task.completedAt !== null) {
    // A second report (or a repeated button press) changes nothing and says what is on record; a file sent with it is kept.
    const by = task.completedByName ? ` bởi ${task.completedByName}` : '';
    const added = await attachStaged(ctx, actor, task);
    return [{ text: withEvidence(`Nhiệm vụ ${task.code} đã được báo hoàn thành lúc ${formatDateTime(task.completedAt, zone)}${by}. Không cần báo lại.`, added) }];
  }
  if (task.reportedAt !== null) {
    const added = await attachStaged(ctx, actor, task);
    return [{ text: withEvidence(`Nhiệm vụ ${task.code} đã được báo hoàn thành lúc ${formatDateTime(task.reportedAt, zone)}, đang chờ lãnh đạo xác nhận.`, added) }];
  }
  // A task without a deadline is never late.
  const due = task.effectiveDeadline;
  const late = due !== null && ctx.now > due;
  const daysLate = late ? Math.max(1, calendarDaysBetween(due, ctx.now, zone)) : 0;
  const lateReason = late && reason ? reason.slice(0, MAX_REASON) : null;
  const cleanNote = note?.slice(0, MAX_REASON) ?? null;
  // Late without a reason: the person's next message is taken as the reason.
  const prompt = late && !lateReason ? { channel: ctx.channel, externalId: ctx.userId, kind: LATE_REASON_PROMPT, expiresAt: ctx.now + PROMPT_TTL_MS } : null;
  if (task.needsConfirmation) return reportTask(ctx, actor, task, { note: cleanNote, lateReason, prompt, daysLate });
  const done = await atomically(ctx.db, (tx) =>
    recordCompletion(tx, { taskId: task.id, officerId: actor.officerId, now: ctx.now, note: cleanNote, lateReason, prompt }),
  );
  if (!done) return completeTask(ctx, actor, code, note, reason);
  const added = await attachStaged(ctx, actor, task);
  if (due === null) return [{ text: withEvidence(`✅ Đã ghi nhận: ${task.code} hoàn thành (nhiệm vụ không thời hạn). Cảm ơn anh/chị.`, added) }];
  const deadline = `hạn ${formatDate(due, zone)}`;
  if (!late) return [{ text: withEvidence(`✅ Đã ghi nhận: ${task.code} hoàn thành đúng hạn (${deadline}). Cảm ơn anh/chị.`, added) }];
  const head = `Đã ghi nhận: ${task.code} hoàn thành chậm ${daysLate} ngày (${deadline}).`;
  if (lateReason) return [{ text: withEvidence(`${head} Đã lưu lý do trễ hạn.`, added) }];
  return [{ text: withEvidence(`${head} Vui lòng gửi lý do trễ hạn trong tin nhắn tiếp theo (ví dụ: Chờ số liệu của Sở Tài chính).`, added) }];
}

/** The answer, then the sentence about the file sent with it (if any). */
function withEvidence(text: string, added: EvidenceAdded | null): string {
  return added ? `${text}\n${added.text}` : text;
}

/**
 * /xong on a task that needs confirmation: the report is recorded (who, when, note, a task_events
 * row, the file sent with it), the task stays open, and the chairs over the unit are told.
 */
async function reportTask(
  ctx: ChatCtx,
  actor: Actor,
  task: TaskRow,
  r: { note: string | null; lateReason: string | null; prompt: Completion['prompt']; daysLate: number },
): Promise<CommandReply[]> {
  const { zone } = ctx.config;
  const recorded = await atomically(ctx.db, async (tx) => {
    if (!(await recordReport(tx, { taskId: task.id, officerId: actor.officerId, now: ctx.now, note: r.note }))) return false;
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'reported', detail: r.note });
    if (r.lateReason !== null) {
      await setLateReason(tx, task.id, r.lateReason, ctx.now);
      await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'late_reason', detail: r.lateReason });
    }
    if (r.prompt) await setPrompt(tx, { ...r.prompt, taskId: task.id, now: ctx.now });
    return true;
  });
  if (!recorded) return completeTask(ctx, actor, task.code);
  const added = await attachStaged(ctx, actor, task);
  const notices = await reportNotices(ctx, actor, task, r.note);
  const due = task.effectiveDeadline;
  let text = `Đã ghi nhận báo cáo hoàn thành ${task.code}, chờ lãnh đạo xác nhận.`;
  if (r.daysLate > 0 && due !== null) {
    text += ` Báo cáo chậm ${r.daysLate} ngày so với hạn ${formatDate(due, zone)}.`;
    text += r.lateReason ? ' Đã lưu lý do trễ hạn.' : ' Vui lòng gửi lý do trễ hạn trong tin nhắn tiếp theo.';
  }
  if (notices.length === 0) text += ' Chưa có nhóm lãnh đạo hay tài khoản lãnh đạo liên kết nên chưa báo được qua tin nhắn.';
  return [{ text: withEvidence(text, added) }, ...notices];
}

/** Whether answerPendingPrompt may write for this message (it follows the same steps): the core then gives it a savepoint. */
export function promptMayWrite(p: PromptRow | null, text: string, now: number): boolean {
  if (!p || p.kind !== LATE_REASON_PROMPT || p.taskId === null) return false;
  if (p.expiresAt < now) return true;
  const reason = text.trim();
  return reason !== '' && !reason.startsWith('/');
}

/**
 * If the bot is waiting for this person's late reason, stores `text` as that
 * reason and answers; otherwise returns null and the message is handled as usual.
 * `known`: the pending question as already read with the sender (null: none), else looked up.
 */
export async function answerPendingPrompt(ctx: ChatCtx, actor: Actor, text: string, known?: PromptRow | null): Promise<Reply[] | null> {
  const p = known === undefined ? await pendingPrompt(ctx.db, ctx.channel, ctx.userId) : known;
  if (!p || p.kind !== LATE_REASON_PROMPT || p.taskId === null) return null;
  if (p.expiresAt < ctx.now) {
    await atomically(ctx.db, (tx) => clearPrompt(tx, ctx.channel, ctx.userId));
    return null;
  }
  const reason = text.trim();
  if (reason === '' || reason.startsWith('/')) return null;
  const task = await taskById(ctx.db, p.taskId);
  if (!task) {
    await atomically(ctx.db, (tx) => clearPrompt(tx, ctx.channel, ctx.userId));
    return null;
  }
  await atomically(ctx.db, async (tx) => {
    await setLateReason(tx, task.id, reason.slice(0, MAX_REASON), ctx.now);
    await addEvent(tx, { taskId: task.id, at: ctx.now, officerId: actor.officerId, kind: 'late_reason', detail: reason.slice(0, MAX_REASON) });
    await clearPrompt(tx, ctx.channel, ctx.userId);
  });
  return [{ text: `Đã lưu lý do trễ hạn của ${task.code}: ${reason.slice(0, 300)}${reason.length > 300 ? '…' : ''}\nCảm ơn anh/chị.` }];
}
