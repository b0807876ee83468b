// The report as an .xlsx: a summary sheet and a sheet of every task with its
// status. Written with exceljs's streaming writer, one unit's tasks at a time,
// so a province's year (hundreds of thousands of rows) fits in little memory
// and the database is never held by a long-running read.
import { PassThrough, type Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../excel.ts';
import type { Db } from '../../db/open.ts';
import { evidenceCounts } from '../../db/evidence.repo.ts';
import { findUnitByCode, unitTaskRows } from '../../db/report.repo.ts';
import { awaitingConfirmation, taskState, type TaskState } from '../../domain/status.ts';
import type { ReportData } from '../report.types.ts';
import { toFilter } from '../report.service.ts';
import { asideLines, asOfLabel, periodLine, summarySentence } from './format-text.ts';
import { localDays } from './local-days.ts';
import { safeCell } from './safe-cell.ts';

export const STATUS_VI: Record<TaskState, string> = {
  noDeadline: 'Không thời hạn',
  suspended: 'Tạm dừng',
  doneOnTime: 'Hoàn thành đúng hạn',
  doneLate: 'Hoàn thành chậm',
  overdue: 'Quá hạn chưa hoàn thành',
  inProgress: 'Đang thực hiện',
};

const DATE_FMT = 'dd/mm/yyyy';

function addRow(sheet: ExcelJS.Worksheet, values: unknown[]): ExcelJS.Row {
  const row = sheet.addRow(values.map(safeCell));
  row.commit();
  return row;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes the workbook to `stream` (a file, an HTTP response…) and resolves when it is complete. */
export async function writeReportXlsx(db: Db, r: ReportData, zone: string, stream: Writable): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  const wb = new (await loadExcelJs()).stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  wb.creator = 'nhacviec';

  const sum = wb.addWorksheet('Tổng hợp');
  sum.columns = [{ width: 7 }, { width: 14 }, { width: 40 }, ...Array.from({ length: 10 }, () => ({ width: 14 }))];
  addRow(sum, ['Báo cáo kết quả thực hiện nhiệm vụ được giao']);
  addRow(sum, [periodLine(r, zone)]);
  addRow(sum, [`Số liệu tính đến ${asOfLabel(r.query.asOf, zone)}`]);
  if (r.unitName) addRow(sum, [`Đơn vị: ${r.unitName}`]);
  addRow(sum, [summarySentence(r)]);
  addRow(sum, []);
  const head = addRow(sum, ['Hạng', 'Mã đơn vị', 'Đơn vị', 'Tổng số', 'Đúng hạn', 'Chậm', 'Quá hạn', 'Đang thực hiện', 'Tỷ lệ đúng hạn (%)',
    // Beside the four buckets: not in Tổng số, nor in the rate (chờ xác nhận is also in Đang thực hiện or Quá hạn).
    'Sắp đến hạn', 'Chờ xác nhận', 'Không thời hạn', 'Tạm dừng',
  ]);
  head.font = { bold: true };
  for (const u of r.units) {
    const rate = u.onTimeRate === null ? '' : Math.round(u.onTimeRate * 1000) / 10;
    addRow(sum, [
      u.rank, u.code, u.name, u.total, u.doneOnTime, u.doneLate, u.overdue, u.inProgress, rate,
      u.dueSoon, u.awaitingConfirmation, u.noDeadline, u.suspended,
    ]);
  }
  const t = r.totals;
  addRow(sum, [
    '', '', 'Tổng cộng', t.total, t.doneOnTime, t.doneLate, t.overdue, t.inProgress, '',
    t.dueSoon, t.awaitingConfirmation, t.noDeadline, t.suspended,
  ]).font = { bold: true };
  addRow(sum, []);
  for (const line of asideLines(r.totals)) addRow(sum, [line]);
  sum.commit();

  const tasks = wb.addWorksheet('Nhiệm vụ');
  const widths = [14, 50, 12, 30, 24, 28, 12, 12, 12, 12, 22, 10, 40, 12];
  tasks.columns = widths.map((width, i) => ({ width, style: i >= 6 && i <= 9 ? { numFmt: DATE_FMT } : {} }));
  const header = addRow(tasks, [
    'Mã', 'Nội dung', 'Mã đơn vị', 'Đơn vị chủ trì', 'Cơ quan giao', 'Văn bản giao', 'Ngày giao', 'Hạn hoàn thành',
    'Hạn sau gia hạn', 'Ngày hoàn thành', 'Tình trạng', 'Số ngày chậm', 'Lý do trễ hạn', 'Số minh chứng',
  ]);
  header.font = { bold: true };

  const asOf = r.query.asOf;
  const days = localDays(zone);
  const f = await toFilter(db, r.query);
  const codes = r.units.map((u) => u.code).sort();
  for (const code of codes) {
    const unit = await findUnitByCode(db, code);
    if (!unit) continue;
    const rows = await unitTaskRows(db, f, unit.id);
    const evidence = await evidenceCounts(db, rows.map((r) => r.id));
    for (const row of rows) {
      const status = taskState(row, asOf);
      const due = row.effectiveDeadline;
      const lateUntil = status === 'doneLate' ? row.completedAt : status === 'overdue' ? asOf : null;
      const awaiting = awaitingConfirmation(row, asOf) ? ' (chờ xác nhận)' : '';
      addRow(tasks, [
        row.code, row.title, unit.code, unit.name, row.assignedBy, row.sourceDoc,
        days.wallDate(row.assignedAt), row.deadline === null ? 'Không thời hạn' : days.wallDate(row.deadline),
        due !== null && due !== row.deadline ? days.wallDate(due) : '',
        row.completedAt !== null && row.completedAt <= asOf ? days.wallDate(row.completedAt) : '',
        STATUS_VI[status] + awaiting,
        lateUntil === null || due === null ? '' : Math.max(1, days.dayNumber(lateUntil) - days.dayNumber(due)),
        row.lateReason ?? '',
        evidence.get(row.id) ?? 0,
      ]);
    }
    // Let the zip stream drain between units.
    await yieldToEventLoop();
  }
  tasks.commit();
  await wb.commit();
  await done;
}

/** The workbook in memory (for a chat attachment or a test). */
export async function reportToXlsx(db: Db, r: ReportData, zone: string): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  await writeReportXlsx(db, r, zone, sink);
  return Buffer.concat(chunks);
}
