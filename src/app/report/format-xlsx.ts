// The report as an .xlsx: a summary sheet and a sheet of every task with its status.
import ExcelJS from 'exceljs';
import type { Db } from '../../db/open.ts';
import { taskRows } from '../../db/report.repo.ts';
import { calendarDaysBetween, formatDate } from '../../domain/dates.ts';
import { taskStatus, type TaskStatus } from '../../domain/status.ts';
import type { ReportData } from '../report.types.ts';
import { toFilter } from '../report.service.ts';
import { asOfLabel, summarySentence } from './format-text.ts';
import { safeCell } from './safe-cell.ts';

export const STATUS_VI: Record<TaskStatus, string> = {
  doneOnTime: 'Hoàn thành đúng hạn',
  doneLate: 'Hoàn thành chậm',
  overdue: 'Quá hạn chưa hoàn thành',
  inProgress: 'Đang thực hiện',
};

function addRow(sheet: ExcelJS.Worksheet, values: unknown[]): void {
  sheet.addRow(values.map(safeCell));
}

export async function reportToXlsx(db: Db, r: ReportData, zone: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'nhacviec';
  const sum = wb.addWorksheet('Tổng hợp');
  addRow(sum, ['Báo cáo kết quả thực hiện nhiệm vụ được giao']);
  addRow(sum, [`Số liệu tính đến ${asOfLabel(r.query.asOf, zone)}`]);
  if (r.unitName) addRow(sum, [`Đơn vị: ${r.unitName}`]);
  addRow(sum, [summarySentence(r)]);
  addRow(sum, []);
  const head = ['Hạng', 'Mã đơn vị', 'Đơn vị', 'Tổng số', 'Đúng hạn', 'Chậm', 'Quá hạn', 'Đang thực hiện', 'Tỷ lệ đúng hạn (%)'];
  sum.addRow(head).font = { bold: true };
  for (const u of r.units) {
    addRow(sum, [u.rank, u.code, u.name, u.total, u.doneOnTime, u.doneLate, u.overdue, u.inProgress, u.onTimeRate === null ? '' : Math.round(u.onTimeRate * 1000) / 10]);
  }
  const t = r.totals;
  addRow(sum, ['', '', 'Tổng cộng', t.total, t.doneOnTime, t.doneLate, t.overdue, t.inProgress]);
  sum.getColumn(3).width = 40;

  const tasks = wb.addWorksheet('Nhiệm vụ');
  tasks.addRow([
    'Mã', 'Nội dung', 'Mã đơn vị', 'Đơn vị chủ trì', 'Cơ quan giao', 'Văn bản giao', 'Ngày giao', 'Hạn hoàn thành',
    'Hạn sau gia hạn', 'Ngày hoàn thành', 'Tình trạng', 'Số ngày chậm', 'Lý do trễ hạn',
  ]).font = { bold: true };
  const asOf = r.query.asOf;
  for (const row of taskRows(db, toFilter(db, r.query))) {
    const status = taskStatus(row, asOf);
    const late =
      status === 'doneLate' ? calendarDaysBetween(row.effectiveDeadline, row.completedAt!, zone)
      : status === 'overdue' ? calendarDaysBetween(row.effectiveDeadline, asOf, zone)
      : '';
    addRow(tasks, [
      row.code, row.title, row.unitCode, row.unitName, row.assignedBy, row.sourceDoc,
      formatDate(row.assignedAt, zone), formatDate(row.deadline, zone),
      row.effectiveDeadline !== row.deadline ? formatDate(row.effectiveDeadline, zone) : '',
      row.completedAt !== null && row.completedAt <= asOf ? formatDate(row.completedAt, zone) : '',
      STATUS_VI[status], late === '' ? '' : Math.max(1, late), row.lateReason ?? '',
    ]);
  }
  tasks.getColumn(2).width = 50;
  tasks.getColumn(4).width = 30;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
