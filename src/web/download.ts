// Tables as .xlsx downloads: cells through the formula-safe writer (safeCell), named in
// Vietnamese when the browser supports it.
import { safeCell } from '../app/report/safe-cell.ts';
import { loadExcelJs } from '../excel.ts';
import type { WebContext } from './types.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type XlsxCell = string | number | Date | null;

/** One sheet: a bold header row, then the rows; text that would run as a formula stays text. */
export async function xlsxTable(sheetName: string, head: string[], rows: XlsxCell[][]): Promise<Uint8Array> {
  const wb = new (await loadExcelJs()).Workbook();
  wb.creator = 'nhacviec';
  // Sheet names: at most 31 characters, none of : \ / ? * [ ].
  const sheet = wb.addWorksheet(sheetName.replace(/[:\\/?*[\]]/g, ' ').slice(0, 31) || 'Bảng');
  sheet.addRow(head.map(safeCell)).font = { bold: true };
  for (const r of rows) sheet.addRow(r.map(safeCell));
  sheet.columns.forEach((c) => (c.width = 18));
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

/** Answers with the bytes as an attachment; `filename` may carry diacritics (RFC 5987). */
export function xlsxResponse(c: WebContext, filename: string, bytes: Uint8Array): Response {
  const ascii = filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\w.-]+/g, '_');
  c.header('content-type', XLSX_TYPE);
  c.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  c.header('cache-control', 'no-store');
  return c.body(bytes as Uint8Array<ArrayBuffer>);
}
