// /giao: a chair assigns a task from the chat, with or without a deadline, perhaps with co-ordinating
// units (phối hợp); the lead unit's group (or its officers privately) is told, and each co-ordinating unit's.
import { DateTime } from 'luxon';
import type { CommandReply } from '../bot/types.ts';
import { unitChats } from '../db/bindings.repo.ts';
import { privateChatsOfUnit } from '../db/officers.repo.ts';
import { addCooperators } from '../db/task-people.repo.ts';
import { addEvent, insertTaskIfCodeFree, maxCodeSeq } from '../db/tasks.repo.ts';
import { unitByCode, type UnitRow } from '../db/units.repo.ts';
import { parseChatDeadline } from '../domain/chat-date.ts';
import { formatDate } from '../domain/dates.ts';
import { InvalidInput, NotAllowed, NotFound } from '../domain/errors.ts';
import { fold } from '../domain/text.ts';
import { authorize, refusal, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';
import { repliesTo } from './notify.ts';

const MAX_TITLE = 500;
/** Codes tried when other processes take the next ones at the same moment. */
const CODE_ATTEMPTS = 20;
/** More co-ordinating units than this is a typing mistake, not a task. */
const MAX_COOPERATING = 20;

/** The co-ordinating units named: each exists, is not the lead, and is within the chair's reach. */
async function cooperatingUnits(ctx: ChatCtx, actor: Actor, lead: UnitRow, codes: readonly string[]): Promise<UnitRow[]> {
  const unique = [...new Set(codes)];
  if (unique.length > MAX_COOPERATING) throw new InvalidInput(`Nhiều nhất ${MAX_COOPERATING} đơn vị phối hợp cho một nhiệm vụ.`);
  const out: UnitRow[] = [];
  for (const code of unique) {
    const u = await unitByCode(ctx.db, code);
    if (!u) throw new NotFound(`Không có đơn vị phối hợp mã ${code.slice(0, 30)}. Kiểm tra lại mã đơn vị.`);
    if (u.id === lead.id) throw new InvalidInput(`${u.code} là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp.`);
    const why = refusal(actor, 'assign', { unitId: u.id, unitPath: u.path, label: `Đơn vị phối hợp ${u.code}` });
    if (why !== null) throw new NotAllowed(why);
    out.push(u);
  }
  return out;
}

/** deadlineText null: không thời hạn. cooperatingCodes: the co-ordinating units (phối hợp). */
export async function assignTask(
  ctx: ChatCtx,
  actorOrNull: Actor | null,
  unitCode: string,
  deadlineText: string | null,
  titleText: string,
  cooperatingCodes: readonly string[] = [],
): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'assign');
  const { zone } = ctx.config;
  const unit = await unitByCode(ctx.db, unitCode);
  if (!unit) throw new NotFound(`Không có đơn vị mã ${unitCode.slice(0, 30)}. Kiểm tra lại mã đơn vị.`);
  authorize(actor, 'assign', { unitId: unit.id, unitPath: unit.path, label: `Đơn vị ${unit.code}` });
  const cooperating = await cooperatingUnits(ctx, actor, unit, cooperatingCodes);
  const deadline = deadlineText === null ? null : parseChatDeadline(deadlineText, zone, ctx.now);
  if (deadline !== null && deadline <= ctx.now) throw new InvalidInput(`Hạn ${formatDate(deadline, zone)} đã qua. Hãy nhập một ngày sau hôm nay.`);
  const title = titleText.trim().slice(0, MAX_TITLE);
  const prefix = `NV-${DateTime.fromMillis(ctx.now, { zone }).year}-`;
  const code = await ctx.db.tx(async (tx) => {
    // "max + 1" races with another process assigning at the same moment: a taken code is skipped.
    const first = (await maxCodeSeq(tx, prefix)) + 1;
    for (let seq = first; seq < first + CODE_ATTEMPTS; seq++) {
      const c = `${prefix}${String(seq).padStart(4, '0')}`;
      const taskId = await insertTaskIfCodeFree(tx, {
        code: c,
        title,
        unitId: unit.id,
        assignedBy: actor.unitName,
        assignedByKey: fold(actor.unitName),
        sourceDoc: `Giao qua tin nhắn ngày ${formatDate(ctx.now, zone)}`,
        assignedAt: ctx.now,
        deadline,
      });
      if (taskId === undefined) continue;
      await addCooperators(tx, taskId, cooperating.map((u) => u.id));
      const withCoop = cooperating.length > 0 ? `, phối hợp: ${cooperating.map((u) => u.name).join(', ')}` : '';
      await addEvent(tx, { taskId, at: ctx.now, officerId: actor.officerId, kind: 'assigned', detail: `giao cho ${unit.name}${withCoop}` });
      return c;
    }
    throw new Error(`no free task code after ${prefix}${first}`);
  });
  const due = deadline === null ? 'không thời hạn' : formatDate(deadline, zone);
  const coopNames = cooperating.map((u) => u.name).join(', ');
  const news =
    `📌 Nhiệm vụ mới ${code} giao cho ${unit.name}: ${title}\nHạn: ${due}. Người giao: ${actor.fullName}.\n` +
    (cooperating.length > 0 ? `Đơn vị phối hợp: ${coopNames}.\n` : '') +
    `Khi hoàn thành, gõ /xong ${code}.`;
  const targets = await unitNoticeTargets(ctx, unit.id);
  const told = targets.length > 0 ? 'Đã báo cho đơn vị.' : 'Đơn vị chưa có nhóm chat hay tài khoản liên kết nên chưa báo được qua tin nhắn.';
  const coopNews =
    `🤝 Nhiệm vụ mới ${code} (phối hợp) do ${unit.name} chủ trì: ${title}\nHạn: ${due}. Người giao: ${actor.fullName}.\n` +
    `Đơn vị anh/chị phối hợp thực hiện; ${unit.name} báo hoàn thành.`;
  const coopNotices: CommandReply[] = [];
  for (const u of cooperating) coopNotices.push(...repliesTo(ctx, await unitNoticeTargets(ctx, u.id), { text: coopNews }));
  const withCoop = cooperating.length > 0 ? `, phối hợp: ${coopNames}` : '';
  return [
    { text: `Đã giao nhiệm vụ ${code} cho ${unit.name}, ${deadline === null ? 'không thời hạn' : `hạn ${due}`}${withCoop}. ${told}` },
    ...repliesTo(ctx, targets, { text: news, buttons: [[{ text: '✅ Đã hoàn thành', data: `xong:${code}` }]] }),
    ...coopNotices,
  ];
}

/** Where a unit is told: its groups, else its officers' private chats. */
export async function unitNoticeTargets(ctx: ChatCtx, unitId: number): Promise<{ channel: string; chatId: string }[]> {
  const groups = await unitChats(ctx.db, unitId);
  return groups.length > 0 ? groups : privateChatsOfUnit(ctx.db, unitId);
}
