// The report as an office pastes it into its written report (and as the chat shows it).
import { endOfLocalDay, formatDate, formatDateTime } from '../../domain/dates.ts';
import { onTimeRate } from '../../domain/status.ts';
import { viPercent } from '../../domain/text.ts';
import type { ReportData } from '../report.types.ts';

export interface TextOptions {
  /** How many overdue tasks to list (default: all in the data). */
  overdueLimit?: number;
  /** How many units of the ranking to list (default: all). */
  unitLimit?: number;
  /** A label for the period, e.g. "9 tháng đầu năm 2026". */
  periodLabel?: string;
}

export function summarySentence(r: ReportData): string {
  const t = r.totals;
  const rate = onTimeRate(t);
  return (
    `Tổng số nhiệm vụ được giao: ${t.total}. Trong đó: hoàn thành đúng hạn ${t.doneOnTime}` +
    `${rate === null ? '' : ` (${viPercent(rate)})`}; hoàn thành chậm ${t.doneLate}; ` +
    `quá hạn chưa hoàn thành ${t.overdue}; đang thực hiện ${t.inProgress}.`
  );
}

/** "hết ngày 22/11/2026" for the end of a day (the usual case), else "22/11/2026 14:30". */
export function asOfLabel(asOf: number, zone: string): string {
  return asOf === endOfLocalDay(asOf, zone) ? `hết ngày ${formatDate(asOf, zone)}` : formatDateTime(asOf, zone);
}

/** The period a report covers: "Kỳ báo cáo: quý 1/2026 (từ 15/12/2025 đến 14/03/2026)", or the dates it was given. */
export function periodLine(r: ReportData, zone: string, label = r.query.period?.label): string {
  const { from, to } = r.query;
  if (label) {
    // A range of dates or a week already says its dates; a named period ("tháng 9/2026") says them after.
    const named = from !== undefined && to !== undefined && !label.includes(formatDate(to, zone));
    return `Kỳ báo cáo: ${label}${named ? ` (từ ${formatDate(from, zone)} đến ${formatDate(to, zone)})` : ''}`;
  }
  if (from !== undefined && to !== undefined) return `Nhiệm vụ giao từ ${formatDate(from, zone)} đến ${formatDate(to, zone)}`;
  if (from !== undefined) return `Nhiệm vụ giao từ ${formatDate(from, zone)}`;
  if (to !== undefined) return `Nhiệm vụ giao đến ${formatDate(to, zone)}`;
  return 'Tất cả nhiệm vụ đã giao';
}

/** Task titles are often whole sentences from the source document; a phone line needs the gist. */
const TITLE_MAX = 80;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1).trimEnd()}…` : s;
}

export function formatReportText(r: ReportData, zone: string, opts: TextOptions = {}): string {
  const lines: string[] = [];
  lines.push('BÁO CÁO KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO');
  if (r.unitName) lines.push(`Đơn vị: ${r.unitName}`);
  if (r.query.assignedBy) lines.push(`Cơ quan giao: ${r.query.assignedBy}`);
  lines.push(`${periodLine(r, zone, opts.periodLabel)}; số liệu tính đến ${asOfLabel(r.query.asOf, zone)}.`);
  lines.push('');
  lines.push(summarySentence(r));

  if (r.units.length > 0) {
    lines.push('');
    lines.push('XẾP HẠNG ĐƠN VỊ (theo tỷ lệ hoàn thành đúng hạn)');
    const shown = opts.unitLimit ? r.units.slice(0, opts.unitLimit) : r.units;
    for (const u of shown) {
      const rate = u.onTimeRate === null ? 'chưa đến hạn' : viPercent(u.onTimeRate);
      lines.push(
        `${u.rank}. ${u.name} (${u.code}): ${rate} — ${u.total} nhiệm vụ; đúng hạn ${u.doneOnTime}, chậm ${u.doneLate}, ` +
          `quá hạn ${u.overdue}, đang thực hiện ${u.inProgress}`,
      );
    }
    if (shown.length < r.units.length) lines.push(`… và ${r.units.length - shown.length} đơn vị khác.`);
  }

  const overdue = opts.overdueLimit !== undefined ? r.overdue.slice(0, opts.overdueLimit) : r.overdue;
  if (r.totals.overdue > 0) {
    lines.push('');
    lines.push(`NHIỆM VỤ QUÁ HẠN CHƯA HOÀN THÀNH (${r.totals.overdue})`);
    for (const t of overdue) {
      lines.push(`❗ ${t.code} — ${t.unitName}: ${clip(t.title, TITLE_MAX)} (hạn ${formatDate(t.effectiveDeadline, zone)}, quá ${t.daysOverdue} ngày)`);
    }
    if (overdue.length < r.totals.overdue) lines.push(`… và ${r.totals.overdue - overdue.length} nhiệm vụ quá hạn khác.`);
  }
  return lines.join('\n');
}
