// /giao: a chair assigns a task from the chat; the unit's group (or its officers privately) is told.
import { DateTime } from 'luxon';
import type { CommandReply } from '../bot/types.ts';
import { unitChats } from '../db/bindings.repo.ts';
import { privateChatsOfUnit } from '../db/officers.repo.ts';
import { addEvent, insertTaskIfCodeFree, maxCodeSeq } from '../db/tasks.repo.ts';
import { unitByCode } from '../db/units.repo.ts';
import { parseChatDeadline } from '../domain/chat-date.ts';
import { formatDate } from '../domain/dates.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { fold } from '../domain/text.ts';
import { authorize, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';
import { repliesTo } from './notify.ts';

const MAX_TITLE = 500;
/** Codes tried when other processes take the next ones at the same moment. */
const CODE_ATTEMPTS = 20;

export async function assignTask(ctx: ChatCtx, actorOrNull: Actor | null, unitCode: string, deadlineText: string, titleText: string): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'assign');
  const { zone } = ctx.config;
  const unit = await unitByCode(ctx.db, unitCode);
  if (!unit) throw new NotFound(`Không có đơn vị mã ${unitCode.slice(0, 30)}. Kiểm tra lại mã đơn vị.`);
  authorize(actor, 'assign', { unitId: unit.id, unitPath: unit.path, label: `Đơn vị ${unit.code}` });
  const deadline = parseChatDeadline(deadlineText, zone, ctx.now);
  if (deadline <= ctx.now) throw new InvalidInput(`Hạn ${formatDate(deadline, zone)} đã qua. Hãy nhập một ngày sau hôm nay.`);
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
      await addEvent(tx, { taskId, at: ctx.now, officerId: actor.officerId, kind: 'assigned', detail: `giao cho ${unit.name}` });
      return c;
    }
    throw new Error(`no free task code after ${prefix}${first}`);
  });
  const news =
    `📌 Nhiệm vụ mới ${code} giao cho ${unit.name}: ${title}\nHạn: ${formatDate(deadline, zone)}. Người giao: ${actor.fullName}.\n` +
    `Khi hoàn thành, gõ /xong ${code}.`;
  const groups = await unitChats(ctx.db, unit.id);
  const targets = groups.length > 0 ? groups : await privateChatsOfUnit(ctx.db, unit.id);
  const told = targets.length > 0 ? 'Đã báo cho đơn vị.' : 'Đơn vị chưa có nhóm chat hay tài khoản liên kết nên chưa báo được qua tin nhắn.';
  return [
    { text: `Đã giao nhiệm vụ ${code} cho ${unit.name}, hạn ${formatDate(deadline, zone)}. ${told}` },
    ...repliesTo(ctx, targets, { text: news, buttons: [[{ text: '✅ Đã hoàn thành', data: `xong:${code}` }]] }),
  ];
}
