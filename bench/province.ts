// A synthetic province for the benchmarks: 5,000 units in a tree of any depth,
// tasks over three years, written through the real import path.
import type { Cell } from '../src/app/import/table.ts';
import { importRows } from '../src/app/import/import.service.ts';
import type { Db } from '../src/db/open.ts';

export const ZONE = 'Asia/Ho_Chi_Minh';
export const YEARS = [2024, 2025, 2026];

/** A small deterministic PRNG so every run builds the same province. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function unitRows(n: number): Record<string, Cell>[] {
  const rows: Record<string, Cell>[] = [{ code: 'TINH', name: 'UBND tỉnh', parent: '', kind: 'tỉnh' }];
  // 30 sở and 120 xã / phường under the province, then phòng / trường / thôn below them, three levels deep.
  for (let i = 1; i <= 30; i++) rows.push({ code: `SO${i}`, name: `Sở ${i}`, parent: 'TINH', kind: 'sở' });
  for (let i = 1; i <= 120; i++) rows.push({ code: `XA${i}`, name: `UBND xã ${i}`, parent: 'TINH', kind: 'xã' });
  let k = 0;
  while (rows.length < n) {
    const parent = rows[1 + (k % (rows.length - 1))].code as string;
    rows.push({ code: `DV${k}`, name: `Đơn vị ${k}`, parent, kind: 'phòng' });
    k++;
  }
  return rows;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Task rows of a batch; dates written as officers write them (dd/mm/yyyy). */
export function taskRows(from: number, count: number, unitCodes: string[], random: () => number): Record<string, Cell>[] {
  const rows: Record<string, Cell>[] = new Array(count);
  const bodies = ['UBND tỉnh', 'Chủ tịch UBND tỉnh', 'Sở Nội vụ', 'Văn phòng UBND tỉnh'];
  for (let i = 0; i < count; i++) {
    const year = YEARS[Math.floor(random() * YEARS.length)];
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const len = 5 + Math.floor(random() * 60);
    const dl = new Date(Date.UTC(year, month - 1, day + len));
    const r = random();
    let done = '';
    if (r < 0.75) {
      const off = Math.floor(random() * (len + 20)) - 5;
      const d = new Date(Date.UTC(year, month - 1, day + Math.max(0, off)));
      done = `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
    }
    rows[i] = {
      code: `NV-${from + i}`,
      title: `Triển khai kế hoạch cải cách hành chính số ${from + i}`,
      unit: unitCodes[Math.floor(random() * unitCodes.length)],
      assigned_by: bodies[i % bodies.length],
      source_doc: `Kế hoạch số ${i % 300}/KH-UBND`,
      assigned_at: `${pad(day)}/${pad(month)}/${year}`,
      deadline: `${pad(dl.getUTCDate())}/${pad(dl.getUTCMonth() + 1)}/${dl.getUTCFullYear()}`,
      completed_at: done,
    };
  }
  return rows;
}

export interface BuiltProvince {
  units: number;
  tasks: number;
  importMs: number;
}

export interface BuildOptions {
  /** Rows per importRows call: one spreadsheet's worth; memory grows with it. */
  batch?: number;
  onBatch?: (done: number) => void;
}

/** Builds the province in batches (so memory stays flat) and times the task import alone. */
export async function buildProvince(db: Db, units: number, tasks: number, now: number, opts: BuildOptions = {}): Promise<BuiltProvince> {
  const batch = opts.batch ?? Number(process.env.BENCH_BATCH ?? 50_000);
  const uRows = unitRows(units);
  const u = await importRows(db, 'units', uRows, { zone: ZONE, now });
  if (!u.ok) throw new Error(`unit import failed: ${JSON.stringify(u.errors.slice(0, 3))}`);
  const codes = uRows.map((r) => r.code as string);
  const random = rng(42);
  let importMs = 0;
  for (let done = 0; done < tasks; done += batch) {
    const rows = taskRows(done, Math.min(batch, tasks - done), codes, random);
    const t0 = performance.now();
    const r = await importRows(db, 'tasks', rows, { zone: ZONE, now });
    importMs += performance.now() - t0;
    if (!r.ok) throw new Error(`task import failed: ${JSON.stringify(r.errors.slice(0, 3))}`);
    opts.onBatch?.(done + rows.length);
  }
  return { units: codes.length, tasks, importMs };
}
