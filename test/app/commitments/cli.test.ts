import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import ExcelJS from 'exceljs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { closeContext } from '../../../src/cli/context.ts';
import { reportError } from '../../../src/cli/errors.ts';
import { registerReport } from '../../../src/cli/report.ts';
import { registerCommitmentsReport } from '../../../src/cli/scorecard.ts';
import { openDb } from '../../../src/db/open.ts';
import { newPgTarget, testEngine } from '../../helpers/db.ts';
import { addCommitment, addTarget, addUnit, addValue, at } from './fixture.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-camket-'));
const saved = { db: process.env.NHACVIEC_DB, log: process.env.LOG_LEVEL };
let dropTarget = async () => {};

/** `nhacviec report commitments …` through the real `report` command, in process. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command().exitOverride();
  registerCommitmentsReport(registerReport(program));
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  try {
    await program.parseAsync(['node', 'nhacviec', ...args]);
    return { code: 0, out, err };
  } catch (x) {
    const code = reportError(x);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
    await closeContext();
  }
}

/** The database the CLI opens (NHACVIEC_DB): a SQLite file, or a PostgreSQL database of this file's own. */
async function target(): Promise<string> {
  if (testEngine() === 'sqlite') return path.join(dir, 'nv.db');
  const t = await newPgTarget();
  dropTarget = t.drop;
  // An embedded PostgreSQL in memory would be a new one for every opening: keep it in a folder.
  return t.url === 'pglite:' ? `pglite:${path.join(dir, 'pg')}` : t.url;
}

beforeAll(async () => {
  process.env.NHACVIEC_DB = await target();
  process.env.LOG_LEVEL = 'silent';
  const db = await openDb(process.env.NHACVIEC_DB);
  const tinh = await addUnit(db, 'TINH', 'UBND tỉnh', null);
  const a = await addCommitment(db, await addUnit(db, 'XA-A', 'UBND xã A', tinh), 2025);
  const b = await addCommitment(db, await addUnit(db, 'XA-B', 'UBND xã B', tinh), 2025);
  const ta = await addTarget(db, a, { code: 'T1', comparator: '>=', target: 98 });
  await addValue(db, ta, 99, at('2025-12-01T10:00'));
  const tb = await addTarget(db, b, { code: 'T1', comparator: '>=', target: 98 });
  await addValue(db, tb, 97, at('2025-12-01T10:00'));
  await addValue(db, tb, 99, at('2026-01-03T10:00')); // after the year: not counted for 2025
  await db.close();
});

afterEach(() => closeContext());
afterAll(async () => {
  await dropTarget();
  process.env.NHACVIEC_DB = saved.db;
  process.env.LOG_LEVEL = saved.log;
  if (saved.db === undefined) delete process.env.NHACVIEC_DB;
  if (saved.log === undefined) delete process.env.LOG_LEVEL;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('nhacviec report commitments', () => {
  it('prints the documented JSON on stdout alone, units in rank order, a past year as of its end', async () => {
    const r = await run('report', 'commitments', '--year', '2025', '--format', 'json');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(JSON.parse(r.out)).toEqual({
      year: 2025,
      units: [
        { code: 'XA-A', name: 'UBND xã A', met: 1, missed: 0, noData: 0, score: 100, rank: 1 },
        { code: 'XA-B', name: 'UBND xã B', met: 0, missed: 1, noData: 0, score: 0, rank: 2 },
      ],
    });
  });

  it('takes --as-of, prints text by default, writes xlsx to --out', async () => {
    const text = await run('report', 'commitments', '--year', '2025', '--as-of', '30/06/2025');
    expect(text.code).toBe(0);
    expect(text.out).toContain('tính đến 30/06/2025');
    expect(text.out).toContain('Xếp thứ 1/2: UBND xã A (XA-A) — 0 điểm; đạt 0, không đạt 0, chưa có số liệu 1');
    const file = path.join(dir, 'ck.xlsx');
    const x = await run('report', 'commitments', '--format', 'xlsx', '--out', file, '--year', '2025');
    expect(x).toMatchObject({ code: 0, out: '', err: `Đã ghi kết quả cam kết vào ${file}.\n` });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.getWorksheet('Xếp hạng')!.getRow(3).values).toEqual([undefined, '1/2', 'XA-A', 'UBND xã A', 1, 0, 0, 100]);
  });

  it('refuses a bad year or date with one Vietnamese sentence', async () => {
    expect(await run('report', 'commitments', '--year', '25')).toMatchObject({
      code: 1,
      out: '',
      err: 'Năm "25" không hợp lệ. Hãy nhập năm có 4 chữ số, ví dụ: --year 2025.\n',
    });
    const bad = await run('report', 'commitments', '--year', '2025', '--as-of', '31/02/2025');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^Ngày "31\/02\/2025" không hợp lệ/);
  });
});
