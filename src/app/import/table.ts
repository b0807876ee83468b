// Reads a .csv or .xlsx file into a header row and data rows of raw cells.
import fs from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { loadExcelJs } from '../../excel.ts';
import { InvalidInput } from '../../domain/errors.ts';
import { csvRecords, decodeCsv, type CsvRecord } from './csv.ts';

export type Cell = string | number | boolean | Date | null;

/** `line`: the row number the officer sees in the spreadsheet (header = 1 for xlsx, its line for csv). */
export interface RawRow {
  line: number;
  cells: Cell[];
}

export interface RawTable {
  headers: string[];
  /** Read once, in order. */
  rows: Iterable<RawRow>;
}

export async function readTable(file: string): Promise<RawTable> {
  const label = path.basename(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new InvalidInput(`Không tìm thấy tệp ${file}. Kiểm tra lại đường dẫn.`);
  }
  if (stat.isDirectory()) throw new InvalidInput(`${file} là một thư mục, không phải tệp .csv hoặc .xlsx.`);
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv' || ext === '.txt') return readCsvFile(file, label);
  if (ext === '.xlsx') return readXlsxFile(file, label);
  throw new InvalidInput(`Tệp ${label} không đọc được: chỉ nhận tệp .csv hoặc .xlsx.`);
}

function readBytes(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InvalidInput(`Không đọc được tệp ${file}: ${(e as NodeJS.ErrnoException).code ?? 'lỗi đọc tệp'}.`);
  }
}

function readCsvFile(file: string, label: string): RawTable {
  const records = csvRecords(decodeCsv(readBytes(file), label));
  const head = records.next();
  if (head.done) throw new InvalidInput(`Tệp ${label} trống: không có dòng tiêu đề nào.`);
  return { headers: head.value.fields, rows: csvRows(records) };
}

/** The records after the header, as rows, parsed as they are read. */
function* csvRows(records: Iterator<CsvRecord>): Generator<RawRow> {
  for (let r = records.next(); !r.done; r = records.next()) yield { line: r.value.line, cells: r.value.fields };
}

function cellValue(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ('text' in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ('error' in v) return null;
  }
  return String(v);
}

async function readXlsxFile(file: string, label: string): Promise<RawTable> {
  const bytes = readBytes(file);
  if (bytes.length === 0) throw new InvalidInput(`Tệp ${label} trống.`);
  const wb = new (await loadExcelJs()).Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw new InvalidInput(`Tệp ${label} không phải tệp Excel .xlsx hợp lệ (có thể bị hỏng hoặc là .xls cũ). Hãy mở và lưu lại dưới dạng .xlsx.`);
  }
  const sheet = wb.worksheets[0];
  if (!sheet || sheet.rowCount === 0) throw new InvalidInput(`Tệp ${label} trống: trang tính đầu tiên không có dữ liệu.`);
  let headers: string[] | null = null;
  const rows: RawRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[]; // 1-based
    const cells: Cell[] = [];
    for (let c = 1; c < values.length; c++) cells.push(cellValue(values[c]));
    if (headers === null) headers = cells.map((c) => (c === null ? '' : String(c)));
    else rows.push({ line: rowNumber, cells });
  });
  if (headers === null) throw new InvalidInput(`Tệp ${label} trống: không có dòng tiêu đề nào.`);
  return { headers, rows };
}
