// The first rows of an import file as the officer wrote them, under the kind's columns:
// what the web page's dry run shows beside the count of rows that would be written.
import { DateTime } from 'luxon';
import { COLUMNS, mapHeaders, type ImportKind } from './columns.ts';
import { readTable, type Cell } from './table.ts';

export interface ImportPreview {
  /** The kind's columns present in the file, as headed there. */
  headers: string[];
  /** The first rows: the spreadsheet's line number and the cells under `headers`. */
  rows: { line: number; cells: string[] }[];
}

/** A cell as text; dates (exceljs gives wall-clock dates in UTC fields) as dd/mm/yyyy. */
function cellText(v: Cell): string {
  if (v === null) return '';
  if (v instanceof Date) {
    const d = DateTime.fromJSDate(v, { zone: 'UTC' });
    return d.toFormat(d.hour === 0 && d.minute === 0 ? 'dd/MM/yyyy' : 'dd/MM/yyyy HH:mm');
  }
  return String(v).trim();
}

export async function previewImportFile(file: string, kind: ImportKind, max = 10): Promise<ImportPreview> {
  const table = await readTable(file);
  const map = mapHeaders(kind, table.headers);
  const present = COLUMNS[kind].filter((c) => (map.index[c.key] ?? -1) >= 0);
  const rows: ImportPreview['rows'] = [];
  for (const r of table.rows) {
    if (rows.length >= max) break;
    rows.push({ line: r.line, cells: present.map((c) => cellText(r.cells[map.index[c.key]!] ?? null)) });
  }
  return { headers: present.map((c) => map.label[c.key] ?? c.vi), rows };
}
