// Commitments: one row per target. Creates the unit's commitment for the year,
// its targets, and a measured value when "Hiện đạt" is filled and has changed.
// The value is dated at "Ngày số liệu" when given, else at the import; either
// way no later than the target's due date: one measured after it is that year's
// final value (a January import of last year's results).
import { DateTime } from 'luxon';
import type { Db } from '../../db/open.ts';
import { unitIdsByCode, upsertImportedTargets, type ImportedTarget } from '../../db/import.repo.ts';
import type { Comparator } from '../../db/schema.ts';
import { targetPeriod, valueInstant } from '../../domain/commitments.ts';
import { formatDate } from '../../domain/dates.ts';
import { entryOf, fold, normCode } from '../../domain/text.ts';
import type { RowReader } from './cells.ts';
import type { Prepared } from './prepared.ts';

const COMPARATOR_WORDS: Record<string, Comparator> = { '>=': '>=', '≥': '>=', '=>': '>=', '<=': '<=', '≤': '<=', '=<': '<=', '=': '=', '==': '=' };
export const COMPUTED_FORMULAS = ['on_time_rate', 'overdue_count'] as const;

export async function prepareCommitments(db: Db, rows: RowReader[], now: number, zone: string): Promise<Prepared> {
  const unitIds = await unitIdsByCode(db);
  const seen = new Map<string, number>();
  const parsed: ImportedTarget[] = [];
  for (const r of rows) {
    const unitCode = normCode(r.required('unit', 'mã đơn vị'));
    const yearText = r.required('year', 'năm');
    const signedAt = r.date('signed_at', 'start', false);
    const code = normCode(r.required('target_code', 'mã chỉ tiêu'));
    const indicator = r.required('indicator', 'nội dung chỉ tiêu');
    const cmpText = r.required('comparator', 'phép so sánh (>=, <=, =)');
    const target = r.number('target', true);
    const current = r.number('current', false);
    const measuredAt = r.date('measured_at', 'start', false);
    const computedText = fold(r.text('computed'));
    const due = r.date('due_date', 'start', false);
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : null;
    if (yearText && year === null) r.error('year', `"${yearText.slice(0, 20)}" không phải năm (ví dụ: 2026)`);
    const unitId = unitCode ? unitIds.get(unitCode) : undefined;
    if (unitCode && unitId === undefined) r.error('unit', `không có đơn vị mã ${unitCode}`);
    const comparator = cmpText ? entryOf(COMPARATOR_WORDS, cmpText.replace(/\s+/g, '')) : undefined;
    if (cmpText && !comparator) r.error('comparator', `phép so sánh "${cmpText.slice(0, 10)}" không hợp lệ (>=, <=, =)`);
    let computed: string | null = null;
    if (computedText) {
      computed = computedText.replace(/\s+/g, '_');
      if (!(COMPUTED_FORMULAS as readonly string[]).includes(computed)) {
        r.error('computed', `công thức "${computedText.slice(0, 20)}" không có (${COMPUTED_FORMULAS.join(', ')})`);
        computed = null;
      }
    }
    if (measuredAt !== null && current === null) r.error('measured_at', 'có ngày số liệu nhưng thiếu Hiện đạt');
    if (measuredAt !== null && measuredAt > now) r.error('measured_at', `ngày số liệu ${formatDate(measuredAt, zone)} chưa đến`);
    if (measuredAt !== null && year !== null && DateTime.fromMillis(measuredAt, { zone }).year < year) {
      r.error('measured_at', `ngày số liệu ${formatDate(measuredAt, zone)} trước năm ${year} của cam kết`);
    }
    if (unitCode && year !== null && code) {
      const key = `${unitCode}|${year}|${code}`;
      const first = seen.get(key);
      if (first !== undefined) r.error('target_code', `chỉ tiêu ${code} của ${unitCode} năm ${year} bị trùng với dòng ${first}`);
      else seen.set(key, r.line);
    }
    const dueDate = due === null ? null : DateTime.fromMillis(due, { zone }).toISODate();
    if (unitId !== undefined && year !== null && code && indicator && comparator && target !== null) {
      parsed.push({
        unitId,
        year,
        signedAt,
        docRef: r.text('doc_ref'),
        signers: r.text('signers'),
        code,
        indicator,
        comparator,
        target,
        measure: r.text('measure'),
        current,
        currentAt: valueInstant(measuredAt ?? now, targetPeriod(year, signedAt, dueDate, zone)),
        computed,
        dueDate,
      });
    }
  }
  return {
    count: parsed.length,
    apply: (tx) => upsertImportedTargets(tx, parsed),
  };
}
