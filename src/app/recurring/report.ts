// The yearly table offices need for "thực hiện chế độ báo cáo": per recurring
// rule (each rule belongs to one unit), the occurrences due in the year and how
// many were on time, late, overdue or still in progress as of a date.
import { DateTime } from 'luxon';
import type { Db } from '../../db/open.ts';
import { occurrencesOfRule, rulesAlive } from '../../db/recurring.repo.ts';
import { formatDate } from '../../domain/dates.ts';
import { emptyCounts, isCounted, onTimeRate, taskState, type StatusCounts } from '../../domain/status.ts';
import { viPercent } from '../../domain/text.ts';

export interface RecurringReportRow extends StatusCounts {
  ruleCode: string;
  title: string;
  unitCode: string;
  unitName: string;
  active: boolean;
}

export interface RecurringReport {
  year: number;
  asOf: number;
  rows: RecurringReportRow[];
  totals: StatusCounts;
}

/** Occurrences whose deadline falls in the local year `year`, counted as of `asOf`. */
export async function recurringReport(db: Db, year: number, asOf: number, zone: string): Promise<RecurringReport> {
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone }).toMillis();
  const to = DateTime.fromObject({ year, month: 12, day: 31 }, { zone }).endOf('day').toMillis();
  const totals = emptyCounts();
  const rows: RecurringReportRow[] = [];
  for (const r of await rulesAlive(db, from, to)) {
    const c = emptyCounts();
    for (const o of await occurrencesOfRule(db, r.id, r.code)) {
      if (o.deadline < from || o.deadline > to) continue;
      const s = taskState(o, asOf);
      if (!isCounted(s)) continue;
      c.total++;
      c[s]++;
    }
    if (c.total === 0) continue;
    rows.push({ ruleCode: r.code, title: r.title, unitCode: r.unitCode, unitName: r.unitName, active: r.active, ...c });
    for (const k of Object.keys(c) as (keyof StatusCounts)[]) totals[k] += c[k];
  }
  return { year, asOf, rows, totals };
}

/** The table as text, one line per rule and unit, as offices paste it. */
export function formatRecurringReport(rep: RecurringReport, zone: string): string {
  const lines = [`THỰC HIỆN CHẾ ĐỘ BÁO CÁO ĐỊNH KỲ NĂM ${rep.year} (tính đến ${formatDate(rep.asOf, zone)})`];
  if (rep.rows.length === 0) {
    lines.push('Không có nhiệm vụ định kỳ nào đến hạn trong năm.');
    return lines.join('\n');
  }
  const pct = (c: StatusCounts) => {
    const r = onTimeRate(c);
    return r === null ? 'chưa đến hạn' : `đúng hạn ${viPercent(r)}`;
  };
  rep.rows.forEach((r, i) => {
    lines.push(
      `${i + 1}. ${r.unitName} — ${r.ruleCode} ${r.title}${r.active ? '' : ' (đã dừng)'}: ${r.total} kỳ; đúng hạn ${r.doneOnTime}, chậm ${r.doneLate}, quá hạn ${r.overdue}, đang thực hiện ${r.inProgress} (${pct(r)}).`,
    );
  });
  const t = rep.totals;
  lines.push(`Tổng: ${t.total} kỳ; đúng hạn ${t.doneOnTime}, chậm ${t.doneLate}, quá hạn ${t.overdue}, đang thực hiện ${t.inProgress} (${pct(t)}).`);
  return lines.join('\n');
}
