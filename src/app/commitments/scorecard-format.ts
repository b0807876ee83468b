// The scorecard as offices publish it: text ("Xếp thứ 1/13: …") and .xlsx.
import { loadExcelJs } from '../../excel.ts';
import { formatDate } from '../../domain/dates.ts';
import { STATUS_LABEL, STATUS_SYMBOL } from '../../domain/commitments.ts';
import { viNumber } from '../../domain/text.ts';
import { safeCell } from '../report/safe-cell.ts';
import type { Scorecard } from './scorecard.ts';

function scoreText(score: number | null): string {
  return score === null ? 'chưa có chỉ tiêu' : `${viNumber(score, 1)} điểm`;
}

export function formatScorecardText(s: Scorecard, zone: string): string {
  const n = s.units.length;
  const lines = [`Kết quả thực hiện cam kết năm ${s.year} (tính đến ${formatDate(s.asOf, zone)}):`];
  if (n === 0) lines.push(`Chưa có đơn vị nào có cam kết năm ${s.year}.`);
  for (const u of s.units) {
    lines.push(
      `Xếp thứ ${u.rank}/${n}: ${u.name} (${u.code}) — ${scoreText(u.score)}; đạt ${u.met}, không đạt ${u.missed}, chưa có số liệu ${u.noData}`,
    );
  }
  if (n > 0) lines.push('Điểm = số chỉ tiêu đạt / tổng số chỉ tiêu × 100; chỉ tiêu chưa có số liệu tính là không đạt.');
  return lines.join('\n');
}

/** A ranking sheet and a sheet of every target with its status. No cell can start a formula. */
export async function scorecardToXlsx(s: Scorecard, zone: string): Promise<Buffer> {
  const wb = new (await loadExcelJs()).Workbook();
  wb.creator = 'nhacviec';
  const rank = wb.addWorksheet('Xếp hạng');
  rank.addRow([`Kết quả thực hiện cam kết năm ${s.year}, tính đến ${formatDate(s.asOf, zone)}`]).font = { bold: true };
  const head = rank.addRow(['Xếp thứ', 'Mã đơn vị', 'Đơn vị', 'Đạt', 'Không đạt', 'Chưa có số liệu', 'Điểm']);
  head.font = { bold: true };
  for (const u of s.units) rank.addRow([`${u.rank}/${s.units.length}`, u.code, u.name, u.met, u.missed, u.noData, u.score].map(safeCell));
  rank.columns.forEach((c, i) => (c.width = [10, 14, 40, 8, 12, 16, 10][i]));
  const detail = wb.addWorksheet('Chỉ tiêu');
  detail.addRow(['Mã đơn vị', 'Đơn vị', 'Mã chỉ tiêu', 'Chỉ tiêu', 'Giá trị', 'Đơn vị tính', 'Tình trạng']).font = { bold: true };
  for (const u of s.units) {
    for (const t of u.targets) {
      detail.addRow(
        [u.code, u.name, t.code, t.indicator, t.lastValue, t.measure, `${STATUS_SYMBOL[t.status]} ${STATUS_LABEL[t.status]}`].map(safeCell),
      );
    }
  }
  detail.columns.forEach((c, i) => (c.width = [14, 30, 14, 50, 10, 12, 26][i]));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
