// Reading one row's cells into typed values, collecting every problem as
// `dòng N: cột: lý do` instead of stopping at the first.
import { DateTime } from 'luxon';
import { fromExcelDate, parseInstant } from '../../domain/dates.ts';
import { DomainError } from '../../domain/errors.ts';
import type { HeaderMap } from './columns.ts';
import type { Cell } from './table.ts';

export interface RowError {
  row: number;
  column: string;
  reason: string;
}

/**
 * Parsed date strings are cached, across imports too: a province's sheets repeat
 * the same few thousand dates, and parsing through luxon is the slow part.
 */
const sharedDates = new Map<string, { start: Map<string, number | string>; end: Map<string, number | string> }>();
const MAX_CACHED_DATES = 100_000;

export class DateCache {
  /** One map per meaning of a date alone, keyed by the text as written (no key built per cell). */
  private readonly start: Map<string, number | string>;
  private readonly end: Map<string, number | string>;
  constructor(readonly zone: string) {
    let c = sharedDates.get(zone);
    if (!c) sharedDates.set(zone, (c = { start: new Map(), end: new Map() }));
    this.start = c.start;
    this.end = c.end;
  }

  /** ms, or the Vietnamese reason the text is not a date. */
  parse(text: string, mode: 'start' | 'end'): number | string {
    const cache = mode === 'end' ? this.end : this.start;
    let v = cache.get(text);
    if (v === undefined) {
      try {
        v = parseInstant(text, { zone: this.zone, dateOnly: mode }).ms;
      } catch (e) {
        v = e instanceof DomainError ? e.message : 'ngày không hợp lệ';
      }
      if (cache.size >= MAX_CACHED_DATES) cache.clear();
      cache.set(text, v);
    }
    return v;
  }
}

/** An Excel serial day number (days since 1899-12-30) as a wall-clock Date, the way exceljs gives date cells. */
function serialToDate(n: number): Date {
  return new Date(Math.round((n - 25569) * 86_400_000));
}

export class RowReader {
  constructor(
    private readonly map: HeaderMap,
    readonly line: number,
    private readonly cells: Cell[],
    private readonly errors: RowError[],
    private readonly dates: DateCache,
  ) {}

  error(key: string, reason: string): void {
    this.errors.push({ row: this.line, column: this.map.label[key] ?? key, reason });
  }

  has(key: string): boolean {
    return this.map.index[key] !== undefined && this.map.index[key] >= 0;
  }

  raw(key: string): Cell {
    const i = this.map.index[key];
    return i === undefined || i < 0 ? null : (this.cells[i] ?? null);
  }

  /** Trimmed text; '' when empty or absent. */
  text(key: string): string {
    const v = this.raw(key);
    if (v === null) return '';
    if (v instanceof Date) return DateTime.fromJSDate(v, { zone: 'UTC' }).toFormat('dd/MM/yyyy');
    return String(v).trim();
  }

  required(key: string, what: string): string {
    const t = this.text(key);
    if (t === '') this.error(key, `thiếu ${what}`);
    return t;
  }

  /** An instant, or null when empty (an error is recorded if required) or invalid. */
  date(key: string, mode: 'start' | 'end', required: boolean): number | null {
    const v = this.raw(key);
    if (v === null || (typeof v === 'string' && v.trim() === '')) {
      if (required) this.error(key, 'thiếu ngày');
      return null;
    }
    if (v instanceof Date || typeof v === 'number') {
      const d = v instanceof Date ? v : serialToDate(v);
      if (Number.isNaN(d.getTime()) || (typeof v === 'number' && (v < 1 || v > 2_958_465))) {
        this.error(key, `"${String(v)}" không phải ngày`);
        return null;
      }
      return fromExcelDate(d, { zone: this.dates.zone, dateOnly: mode }).ms;
    }
    const r = this.dates.parse(String(v), mode);
    if (typeof r === 'string') {
      this.error(key, r);
      return null;
    }
    return r;
  }

  /** A number written with a comma or a dot as the decimal mark, optionally followed by %. */
  number(key: string, required: boolean): number | null {
    const v = this.raw(key);
    if (typeof v === 'number') return v;
    const t = this.text(key);
    if (t === '') {
      if (required) this.error(key, 'thiếu số');
      return null;
    }
    const n = parseDecimal(t);
    if (n === null) this.error(key, `"${t.slice(0, 40)}" không phải số (ví dụ: 98,5 hoặc 98.5)`);
    return n;
  }
}

/** "98,5", "98.5", "98,5%", "1.234,5"? — a single decimal mark only: "98,5" and "98.5" are both 98.5. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(/\s*%$/, '').replace(/\s+/g, '');
  if (!/^[-+]?\d+([.,]\d+)?$/.test(t)) return null;
  return Number(t.replace(',', '.'));
}
