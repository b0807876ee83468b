// The chat side of recurring tasks: /giao with a rule, /dunglap, /viec <mã quy tắc>.
import type { CommandReply } from '../../bot/types.ts';
import { unitChats } from '../../db/bindings.repo.ts';
import { privateChatsOfUnit } from '../../db/officers.repo.ts';
import { ruleByCode } from '../../db/recurring.repo.ts';
import { unitByCode } from '../../db/units.repo.ts';
import { formatDate } from '../../domain/dates.ts';
import { normCode } from '../../domain/text.ts';
import { authorize, type Actor } from '../auth.ts';
import type { ChatCtx } from '../chat-context.ts';
import { repliesTo } from '../notify.ts';
import { createRule } from './create.ts';
import { formatRuleHistory, ruleHistory } from './history.ts';
import { periodLabel } from './rule-spec.ts';
import { stopRule } from './stop.ts';

/** /giao <đơn vị> <quy tắc> <nội dung> by a chair: creates the rule; the unit is told about it. */
export async function assignRecurring(
  ctx: ChatCtx,
  actorOrNull: Actor | null,
  unitCode: string,
  ruleText: string,
  title: string,
): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'assign');
  const { zone } = ctx.config;
  const unit = await unitByCode(ctx.db, normCode(unitCode));
  if (unit) authorize(actor, 'assign', { unitId: unit.id, unitPath: unit.path, label: `Đơn vị ${unit.code}` });
  const created = await createRule(
    ctx.db,
    { unitCode, ruleText, title, assignedBy: actor.unitName, sourceDoc: `Giao qua tin nhắn ngày ${formatDate(ctx.now, zone)}` },
    ctx.now,
    ctx.config,
  );
  const { rule, upcoming } = created;
  const first = upcoming[0];
  const firstCode = `${rule.code}-${first.periodKey}`;
  const [y, m, d] = first.deadline.split('-');
  const news =
    `🔁 Nhiệm vụ định kỳ ${rule.code} giao cho ${rule.unitName}: ${rule.title}\n${created.description}\n` +
    `Kỳ đầu: ${firstCode} (${periodLabel(first.periodKey)}), hạn ${d}/${m}/${y}. Người giao: ${actor.fullName}.\n` +
    `Khi hoàn thành mỗi kỳ, gõ /xong <mã kỳ>, ví dụ /xong ${firstCode}.`;
  const groups = await unitChats(ctx.db, rule.unitId);
  const targets = groups.length > 0 ? groups : await privateChatsOfUnit(ctx.db, rule.unitId);
  const told = targets.length > 0 ? 'Đã báo cho đơn vị.' : 'Đơn vị chưa có nhóm chat hay tài khoản liên kết nên chưa báo được qua tin nhắn.';
  const data = `xong:${firstCode}`;
  const buttons = Buffer.byteLength(data) <= 64 ? [[{ text: '✅ Đã hoàn thành kỳ này', data }]] : undefined;
  return [
    { text: `${created.text}\n${told}\nDừng lặp: /dunglap ${rule.code}` },
    ...repliesTo(ctx, targets, { text: news, ...(buttons ? { buttons } : {}) }),
  ];
}

/** /dunglap <mã> by a chair: no more occurrences; the past ones stay on record. */
export async function stopRepeat(ctx: ChatCtx, actorOrNull: Actor | null, code: string): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'stopRepeat');
  const target = await ruleByCode(ctx.db, normCode(code));
  if (target) authorize(actor, 'stopRepeat', { unitId: target.unitId, unitPath: target.unitPath, label: `Nhiệm vụ định kỳ ${target.code}` });
  const { rule, kept } = await stopRule(ctx.db, code, ctx.now);
  return [{ text: `Đã dừng lặp nhiệm vụ định kỳ ${rule.code} (${rule.title}). Giữ nguyên ${kept} kỳ đã tạo; các kỳ chưa hoàn thành vẫn cần báo /xong.` }];
}

/** /viec <mã quy tắc>: the rule and the history of its occurrences; null when the code is not a rule. */
export async function ruleDetail(ctx: ChatCtx, actorOrNull: Actor | null, rawCode: string): Promise<CommandReply[] | null> {
  authorize(actorOrNull, 'tasks');
  const rule = await ruleByCode(ctx.db, normCode(rawCode));
  if (!rule) return null;
  authorize(actorOrNull, 'tasks', { unitId: rule.unitId, unitPath: rule.unitPath, label: `Nhiệm vụ định kỳ ${rule.code}` });
  return [{ text: formatRuleHistory(await ruleHistory(ctx.db, rule.code, ctx.now), ctx.config.zone) }];
}

