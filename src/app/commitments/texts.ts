// Vietnamese texts for commitments: one line per target, short enough for a phone.
import { formatDate } from '../../domain/dates.ts';
import { STATUS_LABEL, STATUS_SYMBOL, type Comparator, type TargetStatus } from '../../domain/commitments.ts';
import { viNumber } from '../../domain/text.ts';

const CMP_VI: Record<Comparator, string> = { '>=': '≥', '<=': '≤', '=': '=' };

/** 98.5 with "%" → "98,5%"; with "điểm" → "98,5 điểm". */
export function withMeasure(n: number, measure: string): string {
  const num = viNumber(n, 2);
  if (!measure) return num;
  return measure === '%' ? `${num}%` : `${num} ${measure}`;
}

/** "≥ 98%" */
export function goalText(comparator: Comparator, target: number, measure: string): string {
  return `${CMP_VI[comparator]} ${withMeasure(target, measure)}`;
}

export interface TargetLineInput {
  status: TargetStatus;
  code: string;
  indicator: string;
  comparator: Comparator;
  target: number;
  measure: string;
  computed: boolean;
  last: { value: number; at: number } | null;
  due: number;
}

/** "⚠ CCHC-01 Tỷ lệ hồ sơ đúng hạn: ≥ 98%; hiện 96,5% (15/06/2026); hạn 31/12/2026" */
export function targetLine(t: TargetLineInput, zone: string): string {
  const now =
    t.last === null
      ? 'chưa có số liệu'
      : `${t.computed ? 'tự tính' : 'hiện'} ${withMeasure(t.last.value, t.measure)} (${formatDate(t.last.at, zone)})`;
  return `${STATUS_SYMBOL[t.status]} ${t.code} ${t.indicator}: ${goalText(t.comparator, t.target, t.measure)}; ${now}; hạn ${formatDate(t.due, zone)}`;
}

/** The legend under a list of targets. */
export const STATUS_LEGEND = (['met', 'onTrack', 'atRisk', 'missed', 'noData'] as const)
  .map((s) => `${STATUS_SYMBOL[s]} ${STATUS_LABEL[s]}`)
  .join(' · ');
