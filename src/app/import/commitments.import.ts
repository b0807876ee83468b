// Commitments: one row per target. Creates the unit's commitment for the year,
// its targets, and a measured value when "Hiện đạt" is filled and has changed.
import { DateTime } from 'luxon';
import type { Db } from '../../db/open.ts';
import type { Comparator } from '../../db/schema.ts';
import { entryOf, fold, normCode } from '../../domain/text.ts';
import type { RowReader } from './cells.ts';
import type { Prepared } from './prepared.ts';

const COMPARATOR_WORDS: Record<string, Comparator> = { '>=': '>=', '≥': '>=', '=>': '>=', '<=': '<=', '≤': '<=', '=<': '<=', '=': '=', '==': '=' };
export const COMPUTED_FORMULAS = ['on_time_rate', 'overdue_count'] as const;

interface TargetRow {
  unitId: number;
  year: number;
  signedAt: number | null;
  docRef: string;
  signers: string;
  code: string;
  indicator: string;
  comparator: Comparator;
  target: number;
  measure: string;
  current: number | null;
  computed: string | null;
  dueDate: string | null;
}

export function prepareCommitments(db: Db, rows: RowReader[], now: number, zone: string): Prepared {
  const sqlite = db.$client;
  const unitIds = new Map<string, number>();
  for (const u of sqlite.prepare('SELECT id, code FROM units').all() as { id: number; code: string }[]) unitIds.set(u.code, u.id);
  const seen = new Map<string, number>();
  const parsed: TargetRow[] = [];
  for (const r of rows) {
    const unitCode = normCode(r.required('unit', 'mã đơn vị'));
    const yearText = r.required('year', 'năm');
    const signedAt = r.date('signed_at', 'start', false);
    const code = normCode(r.required('target_code', 'mã chỉ tiêu'));
    const indicator = r.required('indicator', 'nội dung chỉ tiêu');
    const cmpText = r.required('comparator', 'phép so sánh (>=, <=, =)');
    const target = r.number('target', true);
    const current = r.number('current', false);
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
    if (unitCode && year !== null && code) {
      const key = `${unitCode}|${year}|${code}`;
      const first = seen.get(key);
      if (first !== undefined) r.error('target_code', `chỉ tiêu ${code} của ${unitCode} năm ${year} bị trùng với dòng ${first}`);
      else seen.set(key, r.line);
    }
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
        computed,
        dueDate: due === null ? null : DateTime.fromMillis(due, { zone }).toISODate(),
      });
    }
  }
  return {
    count: parsed.length,
    apply() {
      const count = () => (sqlite.prepare('SELECT count(*) AS n FROM commitment_targets').get() as { n: number }).n;
      const before = count();
      const upsertCommitment = sqlite.prepare(
        `INSERT INTO commitments (unit_id, year, signed_at, doc_ref, signers) VALUES (?, ?, ?, ?, nullif(?, ''))
         ON CONFLICT(unit_id, year) DO UPDATE SET signed_at = coalesce(excluded.signed_at, commitments.signed_at),
           doc_ref = CASE WHEN excluded.doc_ref = '' THEN commitments.doc_ref ELSE excluded.doc_ref END,
           signers = coalesce(excluded.signers, commitments.signers)
         RETURNING id`,
      );
      const upsertTarget = sqlite.prepare(
        `INSERT INTO commitment_targets (commitment_id, code, indicator, comparator, target, measure, due_date, computed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(commitment_id, code) DO UPDATE SET indicator = excluded.indicator, comparator = excluded.comparator,
           target = excluded.target, measure = excluded.measure, due_date = excluded.due_date, computed = excluded.computed
         RETURNING id`,
      );
      const lastValue = sqlite.prepare('SELECT value FROM target_values WHERE target_id = ? ORDER BY measured_at DESC, id DESC LIMIT 1');
      const addValue = sqlite.prepare(`INSERT INTO target_values (target_id, value, measured_at, source) VALUES (?, ?, ?, 'import')`);
      for (const t of parsed) {
        const { id: commitmentId } = upsertCommitment.get(t.unitId, t.year, t.signedAt, t.docRef, t.signers) as { id: number };
        const { id: targetId } = upsertTarget.get(commitmentId, t.code, t.indicator, t.comparator, t.target, t.measure, t.dueDate, t.computed) as {
          id: number;
        };
        if (t.current !== null && t.computed === null) {
          const last = lastValue.get(targetId) as { value: number } | undefined;
          if (!last || last.value !== t.current) addValue.run(targetId, t.current, now);
        }
      }
      const inserted = count() - before;
      return { inserted, updated: parsed.length - inserted };
    },
  };
}
