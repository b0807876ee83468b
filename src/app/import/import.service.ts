// Import use case: read a spreadsheet, validate every row, then write all of it
// in one transaction — or nothing, with every bad row listed.
import type { ConfirmationDefaults, Holidays } from '../../config.ts';
import type { Db } from '../../db/open.ts';
import { DateCache, RowReader, type RowError } from './cells.ts';
import { mapHeaders, type ImportKind } from './columns.ts';
import { prepareCommitments } from './commitments.import.ts';
import { prepareOfficers } from './officers.import.ts';
import type { Prepared } from './prepared.ts';
import { readTable, type Cell, type RawRow, type RawTable } from './table.ts';
import { prepareTasks } from './tasks.import.ts';
import { prepareUnits } from './units.import.ts';

export interface ImportOptions {
  zone: string;
  now: number;
  dryRun?: boolean;
  /** Days off for the tasks import's repeat column; without it only weekends are days off. */
  calendar?: Holidays;
  /**
   * The tasks import's `Cần xác nhận` when a row leaves it empty or the sheet lacks the column
   * (config.confirmation); without it, no task needs confirmation by default.
   */
  confirmation?: ConfirmationDefaults;
  onProgress?: (done: number, total: number) => void;
}

export type ImportResult =
  | { ok: true; rows: number; inserted: number; updated: number; dryRun: boolean; rules?: number }
  | { ok: false; errors: RowError[] };

export async function importFile(db: Db, kind: ImportKind, file: string, opts: ImportOptions): Promise<ImportResult> {
  return importTable(db, kind, await readTable(file), opts);
}

/**
 * Rows as objects keyed by header (English or Vietnamese); the first row is line 2. Any
 * iterable, read once and in order: a generator lets a caller feed a big sheet without
 * holding an object per row.
 */
export async function importRows(db: Db, kind: ImportKind, rows: Iterable<Record<string, unknown>>, opts: ImportOptions): Promise<ImportResult> {
  const it = rows[Symbol.iterator]();
  const first = it.next();
  const headers = first.done ? [] : Object.keys(first.value);
  return importTable(db, kind, { headers, rows: first.done ? [] : rowCells(first.value, it, headers) }, opts);
}

function* rowCells(first: Record<string, unknown>, rest: Iterator<Record<string, unknown>>, headers: string[]): Generator<RawRow> {
  let line = 2;
  yield { line, cells: headers.map((h) => toCell(first[h])) };
  for (let r = rest.next(); !r.done; r = rest.next()) {
    const row = r.value;
    yield { line: ++line, cells: headers.map((h) => toCell(row[h])) };
  }
}

function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  return String(v);
}

export async function importTable(db: Db, kind: ImportKind, table: RawTable, opts: ImportOptions): Promise<ImportResult> {
  const map = mapHeaders(kind, table.headers);
  const errors: RowError[] = [];
  const dates = new DateCache(opts.zone);
  function* readers(): Generator<RowReader> {
    for (const r of table.rows) yield new RowReader(map, r.line, r.cells, errors, dates);
  }
  // The tasks import reads its rows one by one, keeping only what it writes (a sheet can be
  // a whole province); the others keep a reader per row for checks across rows.
  const prepared = kind === 'tasks' ? await prepareTasks(db, map, readers(), opts) : await prepare(db, kind, Array.from(readers()), opts);
  if (errors.length > 0) {
    errors.sort((a, b) => a.row - b.row);
    return { ok: false, errors };
  }
  if (opts.dryRun) {
    const n = prepared.count;
    return { ok: true, rows: n, inserted: 0, updated: 0, dryRun: true, ...(prepared.rules ? { rules: prepared.rules } : {}) };
  }
  const { inserted, updated, rules } = await db.tx((tx) => prepared.apply(tx, opts.onProgress));
  opts.onProgress?.(prepared.count, prepared.count);
  return { ok: true, rows: prepared.count, inserted, updated, dryRun: false, ...(rules ? { rules } : {}) };
}

function prepare(db: Db, kind: Exclude<ImportKind, 'tasks'>, readers: RowReader[], opts: ImportOptions): Promise<Prepared> {
  switch (kind) {
    case 'units':
      return prepareUnits(db, readers);
    case 'officers':
      return prepareOfficers(db, readers);
    case 'commitments':
      return prepareCommitments(db, readers, opts.now, opts.zone);
  }
}

/** "dòng 7: Hạn hoàn thành: ngày không hợp lệ" — one line per problem. */
export function formatRowErrors(errors: RowError[], max = 200): string {
  const lines = errors.slice(0, max).map((e) => `dòng ${e.row}: ${e.column}: ${e.reason}`);
  if (errors.length > max) lines.push(`… và ${errors.length - max} lỗi khác.`);
  return lines.join('\n');
}
