// Binding a group chat to a unit (or as the leadership group): from the chat (/nhom) or the CLI.
import type { Reply } from '../bot/types.ts';
import { allBindings, upsertBinding, type BindingRow } from '../db/bindings.repo.ts';
import type { Db } from '../db/open.ts';
import type { Channel } from '../db/schema.ts';
import { unitByCode } from '../db/units.repo.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import { authorize, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';

export type BindTarget = { unitCode: string } | 'leadership';

/** Binds a chat; returns a sentence saying what it now is. */
export async function bindChat(db: Db, channel: Channel, chatId: string, target: BindTarget, now: number): Promise<string> {
  if (target === 'leadership') {
    await db.tx((tx) => upsertBinding(tx, { channel, chatId, unitId: null, leadership: true, now }));
    return 'Đã gắn nhóm này làm nhóm lãnh đạo: đề nghị gia hạn và báo cáo tổng hợp hằng tuần sẽ gửi vào đây.';
  }
  const code = normCode(target.unitCode);
  const unit = await unitByCode(db, code);
  if (!unit) throw new NotFound(`Không có đơn vị mã ${code.slice(0, 30)}. Kiểm tra lại mã đơn vị.`);
  await db.tx((tx) => upsertBinding(tx, { channel, chatId, unitId: unit.id, leadership: false, now }));
  return `Đã gắn nhóm này với ${unit.name} (${unit.code}): nhắc hạn và nhiệm vụ mới của đơn vị sẽ gửi vào đây.`;
}

export async function bindGroupFromChat(ctx: ChatCtx, actorOrNull: Actor | null, target: BindTarget): Promise<Reply[]> {
  const actor = authorize(actorOrNull, 'bindGroup');
  const unit = target === 'leadership' ? undefined : await unitByCode(ctx.db, normCode(target.unitCode));
  if (unit) authorize(actor, 'bindGroup', { unitId: unit.id, unitPath: unit.path, label: `Đơn vị ${unit.code}` });
  if (ctx.chatType !== 'group') throw new InvalidInput('Lệnh /nhom chỉ dùng trong nhóm: thêm bot vào nhóm rồi gõ /nhom <mã đơn vị> hoặc /nhom lanhdao.');
  return [{ text: await bindChat(ctx.db, ctx.channel, ctx.chatId, target, ctx.now) }];
}

export async function listBindings(db: Db): Promise<BindingRow[]> {
  return allBindings(db);
}
