// A rule and the history of its occurrences (/viec <mã quy tắc>).
import type { Db } from '../../db/open.ts';
import { occurrencesOfRule, type OccurrenceRow, type RuleRow } from '../../db/recurring.repo.ts';
import { formatDate } from '../../domain/dates.ts';
import { describeRule } from '../../domain/recurrence.ts';
import { emptyCounts, isCounted, taskState, type StatusCounts, type TaskState } from '../../domain/status.ts';
import { specOf } from './rule-spec.ts';
import { findRule } from './stop.ts';

export interface RuleHistory {
  rule: RuleRow;
  description: string;
  items: (OccurrenceRow & { status: TaskState })[];
  counts: StatusCounts;
}

export async function ruleHistory(db: Db, code: string, asOf: number): Promise<RuleHistory> {
  const rule = await findRule(db, code);
  const items = (await occurrencesOfRule(db, rule.id, rule.code)).map((o) => ({ ...o, status: taskState(o, asOf) }));
  const counts = emptyCounts();
  for (const i of items) {
    if (!isCounted(i.status)) continue;
    counts.total++;
    counts[i.status]++;
  }
  return { rule, description: describeRule(specOf(rule)), items, counts };
}

const STATUS_VI: Record<TaskState, string> = {
  noDeadline: '• không thời hạn',
  suspended: '⏸ tạm dừng',
  doneOnTime: '✅ đúng hạn',
  doneLate: '🕒 chậm',
  overdue: '❗ quá hạn',
  inProgress: '• đang thực hiện',
};

/** The history as a phone-sized message: the last `limit` occurrences. */
export function formatRuleHistory(h: RuleHistory, zone: string, limit = 12): string {
  const r = h.rule;
  const state = r.active ? 'đang lặp' : `đã dừng lặp ngày ${formatDate(r.stoppedAt!, zone)}`;
  const lines = [`${r.code} — ${r.title} (nhiệm vụ định kỳ, ${state})`, `Đơn vị: ${r.unitName} (${r.unitCode})`, `Quy tắc: ${h.description}`];
  const c = h.counts;
  lines.push(`Các kỳ: ${c.total}; đúng hạn ${c.doneOnTime}, chậm ${c.doneLate}, quá hạn ${c.overdue}, đang thực hiện ${c.inProgress}.`);
  const shown = h.items.slice(-limit);
  if (h.items.length > shown.length) lines.push(`(${shown.length} kỳ gần nhất)`);
  for (const i of shown) {
    const done = i.completedAt !== null && (i.status === 'doneOnTime' || i.status === 'doneLate') ? `, xong ${formatDate(i.completedAt, zone)}` : '';
    lines.push(`${STATUS_VI[i.status]} ${i.code} — hạn ${formatDate(i.effectiveDeadline, zone)}${done}`);
  }
  if (r.active) lines.push(`Dừng lặp: /dunglap ${r.code}`);
  return lines.join('\n');
}
