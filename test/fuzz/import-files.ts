// Malformed spreadsheets for the importer: random bytes, truncated or damaged
// .xlsx zips, CSV with broken quotes, huge cells, mixed separators and BOMs,
// next to rows that are right. And the property: a Vietnamese error and nothing
// written, or the whole file written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { eq, inArray } from 'drizzle-orm';
import { importFile } from '../../src/app/import/import.service.ts';
import type { ImportKind } from '../../src/app/import/columns.ts';
import type { Db } from '../../src/db/open.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { nastyText, sometimes } from './arbitraries.ts';
import { dbFingerprint, VIETNAMESE } from './checks.ts';

/** Headers and a right row per kind, against the demo province; `#` is replaced by a fresh number. */
const TEMPLATES: Record<ImportKind, { vi: string[]; en: string[]; row: string[] }> = {
  units: { vi: ['Mã', 'Tên đơn vị', 'Đơn vị cấp trên', 'Loại'], en: ['code', 'name', 'parent', 'kind'], row: ['FZ-#', 'Phòng thử #', 'XA-AN', 'phòng'] },
  officers: {
    vi: ['Mã', 'Họ và tên', 'Đơn vị', 'Vai trò', 'Chức vụ'],
    en: ['code', 'full_name', 'unit', 'role', 'title'],
    row: ['CB-FZ-#', 'Nguyễn Thị Thử', 'XA-AN', 'cán bộ', 'Công chức'],
  },
  tasks: {
    vi: ['Mã', 'Nội dung', 'Đơn vị chủ trì', 'Cơ quan giao', 'Văn bản giao', 'Ngày giao', 'Hạn hoàn thành', 'Ngày hoàn thành', 'Cần xác nhận', 'Đơn vị phối hợp', 'Người thực hiện'],
    en: ['code', 'title', 'unit', 'assigned_by', 'source_doc', 'assigned_at', 'deadline', 'completed_at', 'needs_confirmation', 'cooperating', 'assignee'],
    row: ['FZ-#', 'Việc thử #', 'XA-AN', 'UBND tỉnh', 'Kế hoạch số 1/KH-UBND', '01/10/2026', '31/12/2026', '', 'có', 'TINH; SO-NV', 'CB-XA-AN'],
  },
  commitments: {
    vi: ['Đơn vị', 'Năm', 'Ngày ký', 'Văn bản', 'Mã chỉ tiêu', 'Chỉ tiêu', 'So sánh', 'Mục tiêu', 'Đơn vị tính'],
    en: ['unit', 'year', 'signed_at', 'doc_ref', 'target_code', 'indicator', 'comparator', 'target', 'measure'],
    row: ['XA-AN', '2027', '15/01/2027', 'Bản cam kết số 1/CK', 'FZ-#', 'Tỷ lệ thử', '>=', '90', '%'],
  },
};

export const IMPORT_KINDS_FUZZED = Object.keys(TEMPLATES) as ImportKind[];

/** A cell: right, empty, noise, a huge text, a broken quote, an embedded newline or separator. */
const cellMutation = fc.oneof(
  { weight: 30, arbitrary: fc.constant<null>(null) },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 2, arbitrary: nastyText },
  { weight: 1, arbitrary: fc.integer({ min: 5_000, max: 12_000 }).map((n) => 'Ô rất dài '.repeat(Math.ceil(n / 10)).slice(0, n)) },
  { weight: 1, arbitrary: fc.constantFrom('"không đóng', 'a"b"c', '""', '"', 'x\ny', 'a,b;c', '=1+1', '\ufeff', 'constructor', '__proto__', 'toString', '-1', '99/99/2026', '31/02/2027', '1e400') },
);

export interface FuzzTable {
  kind: ImportKind;
  headers: string[];
  rows: string[][];
}

/** A table: the kind's headers (Vietnamese or English, maybe one missing or renamed) and 0–6 rows, some damaged. */
export const fuzzTable: fc.Arbitrary<FuzzTable> = fc.constantFrom(...IMPORT_KINDS_FUZZED).chain((kind) => {
  const t = TEMPLATES[kind];
  return fc
    .record({
      english: fc.boolean(),
      dropHeader: sometimes(fc.nat({ max: t.vi.length - 1 }), 6),
      rows: fc.array(fc.array(cellMutation, { minLength: t.vi.length, maxLength: t.vi.length + 1 }), { maxLength: 6 }),
    })
    .map(({ english, dropHeader, rows }) => {
      const headers = (english ? t.en : t.vi).filter((_, i) => i !== dropHeader);
      return { kind, headers, rows: rows.map((cells) => cells.map((c, i) => c ?? t.row[i] ?? '')) };
    });
});

function csvField(v: string, sep: string, quoteAll: boolean): string {
  return quoteAll || v.includes(sep) || v.includes('"') || v.includes('\n') ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A CSV rendering: separator, BOM, CRLF, quoting, sometimes a row written with the other separator or a raw (unescaped) quote. */
const csvStyle = fc.record({
  sep: fc.constantFrom(',', ';'),
  bom: fc.boolean(),
  crlf: fc.boolean(),
  quoteAll: fc.boolean(),
  mixedRow: sometimes(fc.nat({ max: 6 }), 4),
  rawRow: sometimes(fc.nat({ max: 6 }), 4),
  truncateAt: sometimes(fc.double({ min: 0, max: 1, noNaN: true }), 5),
});

export type FuzzFile = { ext: '.csv' | '.xlsx' | '.txt'; bytes: Buffer } | { ext: '.xlsx'; table: FuzzTable; damage: { at: number; kind: 'truncate' | 'flip' | 'none' } };

/** Files: random bytes, CSV renderings of fuzzed tables, .xlsx of fuzzed tables (damaged or not). */
export const fuzzFile: fc.Arbitrary<{ kind: ImportKind; file: FuzzFile }> = fc.oneof(
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...IMPORT_KINDS_FUZZED), fc.uint8Array({ maxLength: 3000 }), fc.constantFrom('.csv' as const, '.xlsx' as const, '.txt' as const)).map(([kind, b, ext]) => ({ kind, file: { ext, bytes: Buffer.from(b) } })) },
  {
    weight: 5,
    arbitrary: fc.tuple(fuzzTable, csvStyle).map(([t, s]) => {
      const nl = s.crlf ? '\r\n' : '\n';
      const lines = [t.headers, ...t.rows].map((cells, i) => {
        const sep = s.mixedRow === i ? (s.sep === ',' ? ';' : ',') : s.sep;
        return s.rawRow === i ? cells.join(sep) : cells.map((c) => csvField(c, sep, s.quoteAll)).join(sep);
      });
      let bytes = Buffer.from((s.bom ? '\ufeff' : '') + lines.join(nl) + nl, 'utf8');
      if (s.truncateAt !== null) bytes = bytes.subarray(0, Math.floor(bytes.length * s.truncateAt));
      return { kind: t.kind, file: { ext: '.csv' as const, bytes } };
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fuzzTable, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('truncate' as const, 'flip' as const, 'none' as const))
      .map(([table, at, kind]) => ({ kind: table.kind, file: { ext: '.xlsx' as const, table, damage: { at, kind } } })),
  },
);

async function xlsxBytes(t: FuzzTable, damage: { at: number; kind: 'truncate' | 'flip' | 'none' }): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Dữ liệu');
  ws.addRow(t.headers);
  for (const r of t.rows) ws.addRow(r.map((c) => c.slice(0, 32_000)));
  const b = Buffer.from(await wb.xlsx.writeBuffer());
  const at = Math.floor(b.length * damage.at);
  if (damage.kind === 'truncate') return b.subarray(0, at);
  if (damage.kind === 'flip') for (let i = at; i < Math.min(b.length, at + 16); i++) b[i] ^= 0x5a;
  return b;
}

/** The config's confirmation defaults the fuzzed imports run with. */
export const CONFIRMATION = { default: false, byIssuer: { 'UBND tỉnh': true } };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-fuzz-import-'));
let fileNo = 0;
let codeNo = 0;

/**
 * Imports one fuzzed file into `db`. Right: a DomainError (invalid input) with a
 * Vietnamese sentence, or ok:false with a Vietnamese reason per bad row — and
 * the database untouched in both cases; or ok:true for every row.
 */
export async function importProblem(db: Db, kind: ImportKind, file: FuzzFile, now: number, zone: string): Promise<string | null> {
  // Fresh codes per case, so that a right file inserts rather than updates.
  const stamp = String(++codeNo);
  const fresh = (s: string) => s.replace(/#/g, stamp);
  const bytes =
    'table' in file
      ? await xlsxBytes({ ...file.table, rows: file.table.rows.map((r) => r.map(fresh)) }, file.damage)
      : file.ext === '.xlsx'
        ? file.bytes
        : Buffer.from(fresh(file.bytes.toString('latin1')), 'latin1');
  const f = path.join(dir, `f${++fileNo}${file.ext}`);
  fs.writeFileSync(f, bytes);
  const before = await dbFingerprint(db);
  try {
    const r = await importFile(db, kind, f, { zone, now, confirmation: CONFIRMATION });
    if (r.ok) return r.inserted + r.updated <= r.rows ? null : `ok with ${r.inserted} + ${r.updated} rows written of ${r.rows}`;
    if ((await dbFingerprint(db)) !== before) return 'rows refused but the database changed';
    if (r.errors.length === 0) return 'refused without a reason';
    const bad = r.errors.find((e) => !VIETNAMESE.test(e.reason) || /Error|undefined|NaN|\[object/.test(e.reason));
    return bad ? `row error not Vietnamese: ${JSON.stringify(bad).slice(0, 160)}` : null;
  } catch (e) {
    if (!(e instanceof DomainError)) return `threw ${(e as Error)?.name}: ${(e as Error)?.message?.slice(0, 160)}`;
    if (!VIETNAMESE.test(e.message)) return `not Vietnamese: ${e.message.slice(0, 120)}`;
    if ((await dbFingerprint(db)) !== before) return 'refused but the database changed';
    return null;
  } finally {
    fs.rmSync(f, { force: true });
  }
}

/** Right values of the optional columns, and what each means: the confirmation (null: the issuer's default), the co-operating units, the assignee. */
const CONFIRM_CELLS: [string, boolean | null][] = [['có', true], ['Không', false], ['yes', true], ['NO', false], ['1', true], ['0', false], ['x', true], ['', null], ['khong', false], ['Co', true]];
const COOP_CELLS: [string, string[]][] = [['', []], ['TINH', ['TINH']], ['so-nv; SO-TC , so-nv', ['SO-NV', 'SO-TC']], [';XA-SON;', ['XA-SON']], ['PH-TT,TINH', ['PH-TT', 'TINH']]];
const ASSIGNEE_CELLS = ['', 'CB-XA-AN', 'ct-xa-an'];
/** Wrong values, each refused with a row error naming its column. */
const BAD_CELLS: Record<string, string[]> = {
  needs_confirmation: ['có lẽ', 'ok', '2', 'constructor', 'không ạ'],
  cooperating: ['KHONG-CO', 'TINH; KHONG-CO', 'XA-AN', 'so-nv;xa-an', '__proto__'],
  assignee: ['KHONG-CO', 'CB-NV', 'CT-TINH', 'toString'],
};

/** A tasks file of right rows (hostile titles, any right values of the optional columns) with one wrong row somewhere among them. */
export const oneBadRow = fc.record({
  titles: fc.array(fc.oneof(nastyText, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 })).filter((t) => t.trim() !== '' && !/[\r\n]/.test(t) && !t.includes('\u0000')), { minLength: 1, maxLength: 15 }),
  badAt: fc.nat(),
  bad: fc.constantFrom('unit', 'deadline', 'duplicate', 'assigned_at', 'needs_confirmation', 'cooperating', 'assignee'),
  badValue: fc.nat(),
  // Right rows without a deadline (Hạn hoàn thành empty), by position.
  undated: fc.array(fc.boolean(), { maxLength: 15 }),
  // Per right row: which right value of each optional column, and the issuing body (its default).
  extra: fc.array(fc.tuple(fc.nat({ max: CONFIRM_CELLS.length - 1 }), fc.nat({ max: COOP_CELLS.length - 1 }), fc.nat({ max: ASSIGNEE_CELLS.length - 1 }), fc.boolean()), { maxLength: 15 }),
});

function csvOf(rows: string[][]): Buffer {
  return Buffer.from(rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n'), 'utf8');
}

/**
 * All or nothing: the file with its one wrong row writes nothing and names that row;
 * the same file without it writes every row.
 */
export async function allOrNothingProblem(
  db: Db,
  c: { titles: string[]; badAt: number; bad: string; badValue?: number; undated?: boolean[]; extra?: [number, number, number, boolean][] },
  now: number,
  zone: string,
): Promise<string | null> {
  const stamp = String(++codeNo);
  const t = TEMPLATES.tasks;
  const extra = (i: number) => c.extra?.[i] ?? [7, 0, 0, true];
  const good = c.titles.map((title, i) => {
    const [confirm, coop, assignee, province] = extra(i);
    const row = t.row.map((v, k) => (k === 1 ? title : k === 6 && c.undated?.[i] ? '' : v.replace(/#/g, `${stamp}-${i}`)));
    row[3] = province ? 'ubnd TỈNH' : 'Sở Nội vụ';
    row[8] = CONFIRM_CELLS[confirm][0];
    row[9] = COOP_CELLS[coop][0];
    row[10] = ASSIGNEE_CELLS[assignee];
    return row;
  });
  const wrong = [...good[c.badAt % good.length]];
  if (c.bad === 'unit') wrong[2] = 'KHONG-CO-DON-VI';
  if (c.bad === 'deadline') wrong[6] = '31/02/2027';
  if (c.bad === 'assigned_at') wrong[5] = 'hôm qua';
  const badCells = BAD_CELLS[c.bad];
  if (badCells) wrong[t.en.indexOf(c.bad)] = badCells[(c.badValue ?? 0) % badCells.length];
  if (c.bad !== 'duplicate') wrong[0] = `${wrong[0]}-X`;
  const at = c.badAt % (good.length + 1);
  const withBad = [...good.slice(0, at), wrong, ...good.slice(at)];
  const f = path.join(dir, `aon${++fileNo}.csv`);
  const before = await dbFingerprint(db);
  try {
    fs.writeFileSync(f, csvOf([t.vi, ...withBad]));
    const dryRun = await importFile(db, 'tasks', f, { zone, now, confirmation: CONFIRMATION, dryRun: true });
    const refused = await importFile(db, 'tasks', f, { zone, now, confirmation: CONFIRMATION });
    if (refused.ok || dryRun.ok) return `a file with a wrong ${c.bad} at row ${at + 2} was accepted${dryRun.ok ? ' by the dry run' : ''}`;
    if (JSON.stringify(dryRun.errors) !== JSON.stringify(refused.errors)) return 'the dry run found other errors';
    if ((await dbFingerprint(db)) !== before) return 'a refused file wrote something';
    const column = badCells ? t.vi[t.en.indexOf(c.bad)] : null;
    if (column && !refused.errors.some((e) => e.row === at + 2 && e.column === column)) return `the wrong ${column} at row ${at + 2} is not named: ${JSON.stringify(refused.errors).slice(0, 200)}`;
    // A duplicate code may be blamed on either of its two rows.
    const orig = c.badAt % good.length;
    const named = c.bad === 'duplicate' ? [at + 2, orig < at ? orig + 2 : orig + 3] : [at + 2];
    if (!refused.errors.some((e) => named.includes(e.row))) return `the wrong row ${at + 2} is not named: ${JSON.stringify(refused.errors).slice(0, 200)}`;
    fs.writeFileSync(f, csvOf([t.vi, ...good]));
    const accepted = await importFile(db, 'tasks', f, { zone, now, confirmation: CONFIRMATION });
    if (!accepted.ok) return `the right rows were refused: ${JSON.stringify(accepted.errors).slice(0, 200)}`;
    if (accepted.inserted !== good.length) return `${accepted.inserted} of ${good.length} rows written`;
    const { tasks } = db.t;
    const codes = good.map((r) => r[0]);
    const written = await db.orm.select({ code: tasks.code, deadline: tasks.deadline, eff: tasks.effectiveDeadline }).from(tasks).where(inArray(tasks.code, codes));
    const wrongDeadline = written.find((w) => (w.deadline === null) !== (good.find((r) => r[0] === w.code)?.[6] === '') || w.eff !== w.deadline);
    if (wrongDeadline) return `deadline written wrongly: ${JSON.stringify(wrongDeadline)}`;
    return await assignmentProblem(db, codes, good.map((_, i) => extra(i)));
  } catch (e) {
    return `threw ${(e as Error)?.name}: ${(e as Error)?.message?.slice(0, 160)}`;
  } finally {
    fs.rmSync(f, { force: true });
  }
}

/** The confirmation, co-operating units and assignee written for each right row, against what its cells say. */
async function assignmentProblem(db: Db, codes: string[], extra: [number, number, number, boolean][]): Promise<string | null> {
  const { tasks, officers, units, taskCooperators } = db.t;
  const rows = await db.orm
    .select({ code: tasks.code, confirm: tasks.needsConfirmation, assignee: officers.code })
    .from(tasks)
    .leftJoin(officers, eq(officers.id, tasks.assigneeId))
    .where(inArray(tasks.code, codes));
  const coops = await db.orm
    .select({ code: tasks.code, unit: units.code })
    .from(taskCooperators)
    .innerJoin(tasks, eq(tasks.id, taskCooperators.taskId))
    .innerJoin(units, eq(units.id, taskCooperators.unitId))
    .where(inArray(tasks.code, codes));
  for (let i = 0; i < codes.length; i++) {
    const [confirm, coop, assignee, province] = extra[i];
    const row = rows.find((r) => r.code === codes[i]);
    const wantConfirm = CONFIRM_CELLS[confirm][1] ?? (province ? CONFIRMATION.byIssuer['UBND tỉnh'] : CONFIRMATION.default);
    if (Boolean(row?.confirm) !== wantConfirm) return `${codes[i]}: needs_confirmation ${row?.confirm}, expected ${wantConfirm} from "${CONFIRM_CELLS[confirm][0]}"`;
    const wantAssignee = ASSIGNEE_CELLS[assignee].toUpperCase() || null;
    if ((row?.assignee ?? null) !== wantAssignee) return `${codes[i]}: assignee ${row?.assignee}, expected ${wantAssignee}`;
    const got = coops.filter((x) => x.code === codes[i]).map((x) => x.unit).sort();
    const want = [...COOP_CELLS[coop][1]].sort();
    if (JSON.stringify(got) !== JSON.stringify(want)) return `${codes[i]}: co-operating units ${got.join(',')}, expected ${want.join(',')}`;
  }
  return null;
}
