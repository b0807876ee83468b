// /viec: the open tasks of the sender's unit (a chair: of the whole tree), and one task in detail.
import { DateTime } from 'luxon';
import type { Reply } from '../bot/types.ts';
import { extensionsOfTask } from '../db/extensions.repo.ts';
import { assigneeOf, cooperatorsOf, openCooperatingTasks, openTasksOfAssignee } from '../db/task-people.repo.ts';
import { eventsOf, openTasks, type OpenTaskRow, type TaskRow } from '../db/tasks.repo.ts';
import { calendarDaysBetween, formatDate, formatDateTime } from '../domain/dates.ts';
import { awaitingConfirmation, taskState } from '../domain/status.ts';
import { clip } from '../domain/text.ts';
import { authorize, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';
import { listEvidence } from './evidence.ts';
import { EVIDENCE_TEXTS } from './evidence-texts.ts';
import { findTaskFor } from './task-lookup.ts';

const LIST_LIMIT = 30;
/** A title in the list is clipped: thirty titles of up to 500 characters would be a dozen messages. */
const LIST_TITLE_SHOWN = 100;

/** "quá hạn 3 ngày", "hạn hôm nay", "còn 5 ngày", with the flag ❗ overdue, ⚠ near, • otherwise. */
export function deadlinePhrase(deadline: number, now: number, zone: string, nearDays: number): { flag: string; text: string } {
  if (deadline < now) return { flag: '❗', text: `quá hạn ${Math.max(1, calendarDaysBetween(deadline, now, zone))} ngày` };
  const left = calendarDaysBetween(now, deadline, zone);
  const text = left === 0 ? 'hạn hôm nay' : `còn ${left} ngày`;
  return { flag: left <= nearDays ? '⚠' : '•', text };
}

export async function listTasks(ctx: ChatCtx, actorOrNull: Actor | null, filter: 'all' | 'overdue' | 'week' | 'mine'): Promise<Reply[]> {
  const actor = authorize(actorOrNull, 'tasks');
  const { zone } = ctx.config;
  if (filter === 'mine') return myTasks(ctx, actor);
  const wholeTree = actor.role === 'chair';
  const scope = wholeTree ? { pathPrefix: actor.unitPath } : { unitId: actor.unitId };
  const range =
    filter === 'overdue'
      ? { dueBefore: ctx.now - 1 }
      : filter === 'week'
        ? { dueAfter: ctx.now, dueBefore: DateTime.fromMillis(ctx.now, { zone }).endOf('week').toMillis() }
        : {};
  // A recurring task shows only its next occurrence (every overdue one too: those are real debts).
  const seenRules = new Set<number>();
  // Overdue and due lists leave suspended tasks out; the whole list shows them, and then the tasks without a deadline.
  const activeOnly = filter !== 'all';
  const dated = await openTasks(ctx.db, { ...scope, ...range, activeOnly, limit: 2 * LIST_LIMIT + 1 });
  const undated = filter === 'all' && dated.length <= LIST_LIMIT ? await openTasks(ctx.db, { ...scope, undated: true, limit: LIST_LIMIT + 1 }) : [];
  const rows = [...dated, ...undated].filter((t) => {
    if (t.ruleId === null || t.effectiveDeadline === null || t.effectiveDeadline < ctx.now) return true;
    if (seenRules.has(t.ruleId)) return false;
    seenRules.add(t.ruleId);
    return true;
  });
  const where = wholeTree ? `${actor.unitName} và các đơn vị trực thuộc` : actor.unitName;
  const what = filter === 'overdue' ? 'quá hạn chưa hoàn thành' : filter === 'week' ? 'đến hạn trong tuần này' : 'chưa hoàn thành';
  // A unit's view also lists, apart, the tasks it co-ordinates (a chair's view holds them already).
  const cooperating = wholeTree ? [] : (await openCooperatingTasks(ctx.db, actor.unitId, LIST_LIMIT + 1)).filter((t) => keptBy(filter, t, ctx.now, zone));
  if (rows.length === 0 && cooperating.length === 0) return [{ text: `Không có nhiệm vụ ${what} của ${where}.` }];
  const lines = rows.length > 0 ? [`Nhiệm vụ ${what} của ${where}:`] : [`Không có nhiệm vụ ${what} do ${where} chủ trì.`];
  for (const t of rows.slice(0, LIST_LIMIT)) {
    const unit = wholeTree ? ` [${t.unitCode}]` : '';
    lines.push(listLine(t, unit, ctx.now, zone, ctx.config.nearDeadlineDays));
  }
  if (rows.length > LIST_LIMIT) lines.push(`… và các nhiệm vụ khác. Gõ /viec quahan hoặc /viec tuannay để lọc.`);
  if (cooperating.length > 0) {
    lines.push(`Phối hợp (đơn vị khác chủ trì, báo hoàn thành):`);
    for (const t of cooperating.slice(0, LIST_LIMIT)) lines.push(listLine(t, ` [phối hợp, ${t.unitCode} chủ trì]`, ctx.now, zone, ctx.config.nearDeadlineDays));
  }
  lines.push('Báo hoàn thành: /xong <mã>. Xem chi tiết: /viec <mã> (nhiệm vụ định kỳ: /viec <mã quy tắc>).');
  return [{ text: lines.join('\n') }];
}

/** Whether a task shows under the filter (the co-ordinated ones are filtered here, not in SQL). */
function keptBy(filter: 'all' | 'overdue' | 'week', t: OpenTaskRow, now: number, zone: string): boolean {
  if (filter === 'all') return true;
  if (t.suspendedAt !== null || t.effectiveDeadline === null) return false;
  if (filter === 'overdue') return t.effectiveDeadline < now;
  return t.effectiveDeadline >= now && t.effectiveDeadline <= DateTime.fromMillis(now, { zone }).endOf('week').toMillis();
}

function listLine(t: OpenTaskRow, mark: string, now: number, zone: string, nearDays: number): string {
  const w = listWhen(t, now, zone, nearDays);
  // Reported, not yet confirmed: still open (and counted so), but nothing more to do for now.
  const when = t.reportedAt != null ? { flag: '⏳', text: `${w.text}; đã báo hoàn thành, chờ xác nhận` } : w;
  return `${when.flag} ${t.code}${mark} — ${clip(t.title, LIST_TITLE_SHOWN)} (${when.text})`;
}

/** /viec toi: the open tasks the sender is named on (người thực hiện), whatever unit leads them. */
async function myTasks(ctx: ChatCtx, actor: Actor): Promise<Reply[]> {
  const rows = await openTasksOfAssignee(ctx.db, actor.officerId, LIST_LIMIT + 1);
  if (rows.length === 0) return [{ text: 'Anh/chị chưa được phân công nhiệm vụ nào đang thực hiện. Gõ /viec để xem nhiệm vụ của đơn vị.' }];
  const lines = [`Nhiệm vụ anh/chị được phân công (${actor.fullName}):`];
  for (const t of rows.slice(0, LIST_LIMIT)) lines.push(listLine(t, '', ctx.now, ctx.config.zone, ctx.config.nearDeadlineDays));
  if (rows.length > LIST_LIMIT) lines.push('… và các nhiệm vụ khác.');
  lines.push('Báo hoàn thành: /xong <mã>. Xem chi tiết: /viec <mã>.');
  return [{ text: lines.join('\n') }];
}

/** A list line's deadline part: "tạm dừng", "không thời hạn", or the deadline and how far it is. */
function listWhen(t: OpenTaskRow, now: number, zone: string, nearDays: number): { flag: string; text: string } {
  if (t.suspendedAt !== null) return { flag: '⏸', text: 'tạm dừng' };
  if (t.effectiveDeadline === null) return { flag: '•', text: 'không thời hạn' };
  const d = deadlinePhrase(t.effectiveDeadline, now, zone, nearDays);
  return { flag: d.flag, text: `hạn ${formatDate(t.effectiveDeadline, zone)}, ${d.text}` };
}

const EVENT_VI: Record<string, string> = {
  assigned: 'giao nhiệm vụ',
  completed: 'báo hoàn thành',
  late_reason: 'nêu lý do trễ hạn',
  extension_requested: 'xin gia hạn',
  extension_approved: 'duyệt gia hạn',
  extension_rejected: 'từ chối gia hạn',
  delegated: 'phân công',
  suspended: 'tạm dừng',
  resumed: 'cho tiếp tục',
  reported: 'báo hoàn thành, chờ xác nhận',
  confirmed: 'xác nhận hoàn thành',
  returned: 'trả lại báo cáo hoàn thành',
};

const EXT_STATUS_VI = { pending: 'chờ duyệt', approved: 'đã duyệt', rejected: 'bị từ chối' } as const;

/** The detail view stays a few phone screens long however many requests and notes a task gathers. */
const EXTENSIONS_SHOWN = 5;
const EVENTS_SHOWN = 10;
const NOTE_SHOWN = 200;

export function statusLine(t: TaskRow, now: number, zone: string, nearDays: number): string {
  const s = taskState(t, now);
  const due = t.effectiveDeadline;
  const awaiting = awaitingConfirmation(t, now) ? `; đã báo hoàn thành lúc ${formatDateTime(t.reportedAt as number, zone)}, chờ xác nhận` : '';
  if (t.completedAt !== null && t.completedAt <= now) {
    const by = t.completedByName ? ` (${t.completedByName})` : '';
    const late =
      s === 'doneLate' && due !== null ? `chậm ${Math.max(1, calendarDaysBetween(due, t.completedAt, zone))} ngày` : s === 'doneOnTime' ? 'đúng hạn' : '';
    return `Tình trạng: hoàn thành${late ? ` ${late}` : ''}, lúc ${formatDateTime(t.completedAt, zone)}${by}`;
  }
  if (s === 'suspended') {
    const since = `tạm dừng từ ${formatDate(t.suspendedAt as number, zone)}`;
    return `Tình trạng: ${since}${t.suspendReason ? `, lý do: ${clip(t.suspendReason, NOTE_SHOWN)}` : ''}${awaiting}`;
  }
  if (due === null) return `Tình trạng: đang thực hiện, không thời hạn${awaiting}`;
  const d = deadlinePhrase(due, now, zone, nearDays);
  return `Tình trạng: ${s === 'overdue' ? 'quá hạn chưa hoàn thành' : 'đang thực hiện'}, ${d.text} ${d.flag === '•' ? '' : d.flag}`.trimEnd() + awaiting;
}

export async function taskDetail(ctx: ChatCtx, actorOrNull: Actor | null, code: string): Promise<Reply[]> {
  const { actor, task: t } = await findTaskFor(ctx.db, actorOrNull, 'tasks', code);
  const { zone } = ctx.config;
  const lines = [`${t.code} — ${t.title}`, `Đơn vị chủ trì: ${t.unitName} (${t.unitCode})`];
  const cooperating = await cooperatorsOf(ctx.db, t.id);
  if (cooperating.length > 0) lines.push(`Đơn vị phối hợp: ${cooperating.map((u) => `${u.name} (${u.code})`).join(', ')}`);
  const assignee = await assigneeOf(ctx.db, t.id);
  if (assignee) lines.push(`Người thực hiện: ${assignee.fullName}${assignee.title ? ` (${assignee.title})` : ''}`);
  if (t.assignedBy || t.sourceDoc) lines.push(`Giao bởi: ${[t.assignedBy, t.sourceDoc].filter(Boolean).join(', ')}`);
  const extended = t.effectiveDeadline !== null && t.effectiveDeadline !== t.deadline ? `, gia hạn đến ${formatDate(t.effectiveDeadline, zone)}` : '';
  const deadline = t.deadline === null ? 'không thời hạn' : formatDate(t.deadline, zone);
  lines.push(`Ngày giao: ${formatDate(t.assignedAt, zone)}; hạn: ${deadline}${extended}`);
  lines.push(statusLine(t, ctx.now, zone, ctx.config.nearDeadlineDays));
  if (t.lateReason) lines.push(`Lý do trễ hạn: ${t.lateReason}`);
  if (t.note) lines.push(`Ghi chú: ${t.note}`);
  const extensions = await extensionsOfTask(ctx.db, t.id);
  if (extensions.length > EXTENSIONS_SHOWN) lines.push(`(${extensions.length - EXTENSIONS_SHOWN} đề nghị gia hạn trước đó không hiện ở đây)`);
  for (const x of extensions.slice(-EXTENSIONS_SHOWN)) {
    const note = x.decisionNote ? ` (${clip(x.decisionNote, NOTE_SHOWN)})` : '';
    lines.push(`Gia hạn số ${x.id}: đến ${formatDate(x.newDeadline, zone)} — ${EXT_STATUS_VI[x.status]}${note}; lý do: ${clip(x.reason, NOTE_SHOWN)}`);
  }
  const events = await eventsOf(ctx.db, t.id, EVENTS_SHOWN);
  if (events.length > 0) {
    lines.push('Lịch sử:');
    for (const e of events.reverse()) {
      const who = e.officerName ? ` ${e.officerName}` : '';
      const detail = e.detail ? `: ${clip(e.detail, NOTE_SHOWN)}` : '';
      lines.push(`${formatDateTime(e.at, zone)} —${who} ${EVENT_VI[e.kind] ?? e.kind}${detail}`);
    }
  }
  lines.push(EVIDENCE_TEXTS.list(await listEvidence(ctx.db, t.id), zone));
  const reply: Reply = { text: lines.join('\n') };
  const data = `xong:${t.code}`;
  // Only the lead unit reports completion: no button for a co-ordinating unit's people.
  const leads = actor.role === 'chair' || actor.unitId === t.unitId;
  if (leads && t.completedAt === null && t.reportedAt === null && Buffer.byteLength(data) <= 64) reply.buttons = [[{ text: '✅ Đã hoàn thành', data }]];
  return [reply];
}
