// The chat side of commitments: /camket [mã đơn vị] [năm], /camket capnhat …, /camket tongket [năm].
// Who may do what is checked here, before anything is read or written.
import { DateTime } from 'luxon';
import type { CommandReply } from '../../bot/types.ts';
import { targetsByCode } from '../../db/commitments.repo.ts';
import { unitById, type UnitRow } from '../../db/units.repo.ts';
import { checkUpdatableYear, yearEnd } from '../../domain/commitments.ts';
import { NotFound } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';
import { authorize, type Actor } from '../auth.ts';
import type { ChatCtx } from '../chat-context.ts';
import { recordTargetValue } from './record.ts';
import { scorecard } from './scorecard.ts';
import { formatScorecardText, scorecardToXlsx } from './scorecard-format.ts';
import { showCommitments } from './show.ts';
import { findUnitByCodeOrThrow } from './units.ts';

async function ownUnit(ctx: ChatCtx, actor: Actor): Promise<UnitRow> {
  const unit = await unitById(ctx.db, actor.unitId);
  if (!unit) throw new NotFound('Không tìm thấy đơn vị của anh/chị. Hãy liên hệ Phòng Nội vụ.');
  return unit;
}

function yearOfNow(ctx: ChatCtx): number {
  return DateTime.fromMillis(ctx.now, { zone: ctx.config.zone }).year;
}

/** /camket [mã đơn vị] [năm]: the own unit's commitment; another unit's for chairs. */
export async function commitmentsFromChat(ctx: ChatCtx, actorOrNull: Actor | null, q: { unitCode?: string; year?: number }): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'commitments');
  const unit = q.unitCode ? await findUnitByCodeOrThrow(ctx.db, q.unitCode) : await ownUnit(ctx, actor);
  authorize(actor, 'commitments', { unitId: unit.id, unitPath: unit.path, label: `Cam kết của ${unit.code}` });
  const { text } = await showCommitments(ctx.db, { unitCode: unit.code, year: q.year, asOf: ctx.now, zone: ctx.config.zone });
  return [{ text }];
}

/**
 * The unit whose target a chair means when no unit code was typed: the only
 * unit with that target code in the year's commitments.
 */
async function unitOfTargetCode(ctx: ChatCtx, code: string, year: number): Promise<UnitRow> {
  const found = await targetsByCode(ctx.db, year, normCode(code));
  if (found.length === 0) throw new NotFound(`Không có chỉ tiêu mã ${normCode(code).slice(0, 30)} trong cam kết năm ${year} của đơn vị nào.`);
  if (found.length > 1) {
    const units = found.map((t) => t.unitCode);
    throw new NotFound(
      `Chỉ tiêu ${found[0]!.code} có trong cam kết của nhiều đơn vị (${units.slice(0, 5).join(', ')}${units.length > 5 ? ', …' : ''}). ` +
        `Hãy gõ kèm mã đơn vị, ví dụ: /camket capnhat ${units[0]} ${found[0]!.code} 98,5%.`,
    );
  }
  return findUnitByCodeOrThrow(ctx.db, found[0]!.unitCode);
}

/**
 * /camket capnhat [mã đơn vị] <mã chỉ tiêu> <giá trị> [nguồn] [năm]: the head of a
 * unit for the own unit, a chair for any unit. The year is the current one, or
 * the one just ended until 31/03 (its final values, dated at the due date).
 * Nothing is written on a refusal.
 */
export async function recordFromChat(
  ctx: ChatCtx,
  actorOrNull: Actor | null,
  q: { unitCode?: string; targetCode: string; value: string; source?: string; year?: number },
): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'recordTarget');
  const year = q.year ?? yearOfNow(ctx);
  checkUpdatableYear(year, ctx.now, ctx.config.zone);
  let unit: UnitRow;
  if (q.unitCode) unit = await findUnitByCodeOrThrow(ctx.db, q.unitCode);
  else if (actor.role === 'chair') unit = await unitOfTargetCode(ctx, q.targetCode, year);
  else unit = await ownUnit(ctx, actor);
  authorize(actor, 'recordTarget', { unitId: unit.id, unitPath: unit.path, label: `Chỉ tiêu cam kết của ${unit.code}` });
  const recorded = await recordTargetValue(ctx.db, {
    officerId: actor.officerId,
    unitId: unit.id,
    targetCode: q.targetCode,
    valueText: q.value,
    source: q.source ?? null,
    now: ctx.now,
    year,
    zone: ctx.config.zone,
  });
  return [{ text: recorded.text }];
}

/**
 * /camket tongket [năm], chairs only: the ranking text, and the .xlsx where the channel takes files
 * (built by the core after the update's transaction, from the scorecard already read).
 */
export async function scorecardFromChat(ctx: ChatCtx, actorOrNull: Actor | null, year?: number): Promise<CommandReply[]> {
  const actor = authorize(actorOrNull, 'scorecard');
  const { zone } = ctx.config;
  const y = year ?? yearOfNow(ctx);
  // A year still running is judged as of now, a past one as of its end; a chair ranks the units of the own subtree.
  const card = await scorecard(ctx.db, { year: y, asOf: Math.min(ctx.now, yearEnd(y, zone)), zone, underPath: actor.unitPath });
  const text = formatScorecardText(card, zone);
  // Zalo takes no files: it would only get a note that the file could not be sent.
  if (card.units.length === 0 || ctx.channel === 'zalo') return [{ text }];
  return [{ text, documentLater: { filename: `ket-qua-cam-ket-${y}.xlsx`, build: () => scorecardToXlsx(card, zone) } }];
}
