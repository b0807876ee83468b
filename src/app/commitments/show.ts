// /camket [năm]: a unit's commitment for the year, each target with its status and last value.
import { DateTime } from 'luxon';
import { commitmentHeader, targetsOfUnitYear } from '../../db/commitments.repo.ts';
import type { Db } from '../../db/open.ts';
import { evaluateTargets } from './evaluate.ts';
import { findUnitByCodeOrThrow } from './units.ts';
import { formatDate } from '../../domain/dates.ts';
import { isComputedFormula, type Comparator, type TargetStatus } from '../../domain/commitments.ts';
import { NotFound } from '../../domain/errors.ts';
import { STATUS_LEGEND, targetLine } from './texts.ts';

export interface ShownTarget {
  code: string;
  indicator: string;
  comparator: Comparator;
  target: number;
  measure: string;
  computed: string | null;
  status: TargetStatus;
  lastValue: number | null;
  lastAt: number | null;
  /** End of the due date (ms UTC). */
  dueAt: number;
}

export interface ShownCommitment {
  unit: { code: string; name: string };
  year: number;
  signedAt: number | null;
  docRef: string;
  signers: string | null;
  asOf: number;
  targets: ShownTarget[];
}

/**
 * The commitment of `unitCode` for `year` (default: the year of asOf), judged
 * as of asOf. Throws NotFound for an unknown unit or a year with no commitment.
 */
export async function showCommitments(
  db: Db,
  q: { unitCode: string; year?: number; asOf: number; zone: string },
): Promise<{ data: ShownCommitment; text: string }> {
  const unit = await findUnitByCodeOrThrow(db, q.unitCode);
  const year = q.year ?? DateTime.fromMillis(q.asOf, { zone: q.zone }).year;
  const header = await commitmentHeader(db, unit.id, year);
  if (!header) throw new NotFound(`${unit.name} chưa có cam kết năm ${year}. Hãy gõ /camket kèm năm đã ký cam kết, ví dụ: /camket ${year - 1}.`);
  const evaluated = await evaluateTargets(db, await targetsOfUnitYear(db, unit.id, year), q.asOf, q.zone);
  const data: ShownCommitment = {
    unit: { code: unit.code, name: unit.name },
    year,
    signedAt: header.signedAt,
    docRef: header.docRef,
    signers: header.signers,
    asOf: q.asOf,
    targets: evaluated.map((e) => ({
      code: e.row.code,
      indicator: e.row.indicator,
      comparator: e.row.comparator,
      target: e.row.target,
      measure: e.row.measure,
      computed: e.row.computed,
      status: e.status,
      lastValue: e.last?.value ?? null,
      lastAt: e.last?.at ?? null,
      dueAt: e.period.due,
    })),
  };
  return { data, text: commitmentText(data, q.zone) };
}

export function commitmentText(c: ShownCommitment, zone: string): string {
  const signedOn = c.signedAt !== null ? formatDate(c.signedAt, zone) : '';
  // A document reference often carries its date already ("… ngày 15/01/2026"): do not say it twice.
  const signed = [c.docRef, signedOn && !c.docRef.includes(signedOn) ? `ký ngày ${signedOn}` : '', c.signers ? `người ký: ${c.signers}` : '']
    .filter(Boolean)
    .join(', ');
  const lines = [`Cam kết năm ${c.year} của ${c.unit.name}${signed ? ` (${signed})` : ''}:`];
  if (c.targets.length === 0) lines.push('Chưa có chỉ tiêu nào.');
  for (const t of c.targets) {
    const last = t.lastValue !== null && t.lastAt !== null ? { value: t.lastValue, at: t.lastAt } : null;
    lines.push(targetLine({ ...t, computed: isComputedFormula(t.computed), last, due: t.dueAt }, zone));
  }
  lines.push(STATUS_LEGEND);
  return lines.join('\n');
}
