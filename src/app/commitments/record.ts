// /camket capnhat <mã chỉ tiêu> <giá trị> [nguồn]: an officer enters a measured
// value for a reported target of their own unit; it is kept in the history.
// Entered after the target's due date, it is that year's final value, dated at the due date.
import { DateTime } from 'luxon';
import { commitmentYearExists, insertTargetValue, targetsByCode, targetsOfUnitYear } from '../../db/commitments.repo.ts';
import type { Db } from '../../db/open.ts';
import { unitById } from '../../db/units.repo.ts';
import {
  isComputedFormula,
  parseTargetValue,
  STATUS_LABEL,
  STATUS_SYMBOL,
  targetPeriod,
  valueInstant,
  type TargetStatus,
} from '../../domain/commitments.ts';
import { DEFAULT_ZONE, formatDate } from '../../domain/dates.ts';
import { InvalidInput, NotAllowed, NotFound } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';
import { evaluateTargets } from './evaluate.ts';
import { goalText, withMeasure } from './texts.ts';

export interface RecordValueInput {
  officerId: number;
  /** The officer's own unit: only its targets can be updated. */
  unitId: number;
  targetCode: string;
  valueText: string;
  source?: string | null;
  now: number;
  /** The commitment year; default the year of `now`. */
  year?: number;
  zone?: string;
}

export interface RecordedValue {
  valueId: number;
  targetCode: string;
  /** The instant the value is dated at (ms UTC): the entry, or the due date for a final value. */
  measuredAt: number;
  value: number;
  status: TargetStatus;
  text: string;
}

const MAX_SOURCE = 200;

/**
 * Checks everything first (commitment of the year, target code, ownership, not
 * computed, a number), then writes one row. Any bad input throws a DomainError
 * with one Vietnamese sentence and writes nothing.
 */
export async function recordTargetValue(db: Db, input: RecordValueInput): Promise<RecordedValue> {
  const zone = input.zone ?? DEFAULT_ZONE;
  const year = input.year ?? DateTime.fromMillis(input.now, { zone }).year;
  const code = normCode(input.targetCode);
  const unit = await unitById(db, input.unitId);
  if (!unit) throw new NotFound('Không tìm thấy đơn vị của bạn. Hãy liên hệ Phòng Nội vụ.');
  if (!(await commitmentYearExists(db, unit.id, year))) {
    throw new NotFound(`${unit.name} chưa có cam kết năm ${year}, nên chưa cập nhật được chỉ tiêu.`);
  }
  if (code === '') throw new InvalidInput('Thiếu mã chỉ tiêu. Hãy gõ: /camket capnhat <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat CCHC-01 98,5%.');
  const own = await targetsOfUnitYear(db, unit.id, year);
  const target = own.find((t) => t.code === code);
  if (!target) {
    const elsewhere = await targetsByCode(db, year, code);
    if (elsewhere.length > 0) {
      throw new NotAllowed(`Chỉ tiêu ${code} thuộc cam kết của ${elsewhere[0]!.unitName}, không phải của ${unit.name}; bạn chỉ cập nhật được chỉ tiêu của đơn vị mình.`);
    }
    const known = own.filter((t) => !isComputedFormula(t.computed)).map((t) => t.code);
    throw new NotFound(
      `Không có chỉ tiêu mã ${code.slice(0, 30)} trong cam kết năm ${year} của ${unit.name}.` +
        (known.length > 0 ? ` Các mã có thể cập nhật: ${known.join(', ')}.` : ''),
    );
  }
  if (isComputedFormula(target.computed)) {
    throw new InvalidInput(`Chỉ tiêu ${code} được tự tính từ số liệu nhiệm vụ, không nhập tay được.`);
  }
  const value = parseTargetValue(input.valueText);
  const source = input.source?.trim().slice(0, MAX_SOURCE) || null;
  const measuredAt = valueInstant(input.now, targetPeriod(year, target.signedAt, target.dueDate, zone));
  const final = measuredAt < input.now;
  const valueId = await db.tx((tx) => insertTargetValue(tx, { targetId: target.id, value, measuredAt, officerId: input.officerId, source }));
  const [judged] = await evaluateTargets(db, [target], input.now, zone);
  const status = judged!.status;
  const text =
    `Đã ghi chỉ tiêu ${code}: ${withMeasure(value, target.measure)} (${final ? `số liệu cuối năm ${year}, tính đến ` : ''}${formatDate(measuredAt, zone)}${source ? `, nguồn: ${source}` : ''}).\n` +
    `Chỉ tiêu ${goalText(target.comparator, target.target, target.measure)} — ${STATUS_SYMBOL[status]} ${STATUS_LABEL[status]}.`;
  return { valueId, targetCode: code, measuredAt, value, status, text };
}
