// Tasks: the spreadsheet every office keeps. Dates alone: the assignment date is
// the start of that day; a deadline or a completion date alone is the end of it,
// so a task finished on its deadline day counts as on time.
import type { Db } from '../../db/open.ts';
import { fold, normCode } from '../../domain/text.ts';
import type { Holidays } from '../../config.ts';
import type { RowReader } from './cells.ts';
import type { Prepared } from './prepared.ts';
import { RepeatColumn, type RepeatRow } from './task-repeat.ts';

interface TaskRow {
  code: string;
  title: string;
  unitId: number;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number;
  completedAt: number | null;
  note: string | null;
}

const NO_HOLIDAYS: Holidays = { holidays: [], makeUpDays: [] };

export function prepareTasks(db: Db, rows: RowReader[], opts: { now: number; zone: string; calendar?: Holidays }): Prepared {
  const { now } = opts;
  const sqlite = db.$client;
  const unitIds = new Map<string, number>();
  for (const u of sqlite.prepare('SELECT id, code FROM units').all() as { id: number; code: string }[]) unitIds.set(u.code, u.id);
  const seen = new Map<string, number>();
  const parsed: TaskRow[] = [];
  const hasNote = rows.length > 0 && rows[0].has('note');
  // Sheets without the column pay nothing for it.
  const repeat = rows.length > 0 && rows[0].has('repeat') ? new RepeatColumn(db, now, opts.zone, opts.calendar ?? NO_HOLIDAYS) : null;
  const repeats: RepeatRow[] = [];
  for (const r of rows) {
    const code = normCode(r.required('code', 'mã nhiệm vụ'));
    const title = r.required('title', 'nội dung nhiệm vụ');
    const unitCode = normCode(r.required('unit', 'mã đơn vị chủ trì'));
    const assignedAt = r.date('assigned_at', 'start', true);
    const deadline = r.date('deadline', 'end', true);
    const completedAt = r.date('completed_at', 'end', false);
    if (code) {
      const first = seen.get(code);
      if (first !== undefined) r.error('code', `mã ${code} bị trùng với dòng ${first}`);
      else seen.set(code, r.line);
    }
    const unitId = unitCode ? unitIds.get(unitCode) : undefined;
    if (unitCode && unitId === undefined) r.error('unit', `không có đơn vị mã ${unitCode}`);
    if (assignedAt !== null && deadline !== null && deadline < assignedAt) r.error('deadline', 'hạn hoàn thành trước ngày giao');
    if (assignedAt !== null && completedAt !== null && completedAt < assignedAt) r.error('completed_at', 'ngày hoàn thành trước ngày giao');
    if (repeat) {
      const rule = repeat.check(r, code, deadline);
      if (rule) repeats.push(rule);
    }
    if (code && title && unitId !== undefined && assignedAt !== null && deadline !== null) {
      const assignedBy = r.text('assigned_by');
      parsed.push({
        code,
        title,
        unitId,
        assignedBy,
        sourceDoc: r.text('source_doc'),
        assignedAt,
        deadline,
        completedAt,
        note: r.text('note') || null,
      });
    }
  }
  return {
    count: parsed.length,
    rules: repeats.length,
    apply(onProgress) {
      // A plain insert is about twice as fast as an upsert; a code already on record
      // (changes === 0) is updated instead. Rows are validated, so nothing else is ignored.
      const insert = sqlite.prepare(
        `INSERT OR IGNORE INTO tasks (code, title, unit_id, assigned_by, assigned_by_key, source_doc, assigned_at, deadline,
                                      effective_deadline, completed_at, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // The sheet is the source of truth for its columns, except that an empty completion cell
      // keeps a completion reported in the chat, and a later approved extension stays the
      // effective deadline.
      const update = sqlite.prepare(
        `UPDATE tasks SET title = @title, unit_id = @unitId, assigned_by = @assignedBy, assigned_by_key = @key, source_doc = @sourceDoc,
           assigned_at = @assignedAt, deadline = @deadline,
           effective_deadline = max(@deadline, coalesce((SELECT max(new_deadline) FROM extensions e
                                                  WHERE e.task_id = tasks.id AND e.status = 'approved'), @deadline)),
           completed_at = coalesce(@completedAt, completed_at),
           note = ${hasNote ? '@note' : 'note'},
           updated_at = @now
         WHERE code = @code`,
      );
      const foldCache = new Map<string, string>();
      const order = unitOrder(parsed);
      let inserted = 0;
      for (let i = 0; i < order.length; i++) {
        const t = parsed[order[i]];
        let key = foldCache.get(t.assignedBy);
        if (key === undefined) {
          key = fold(t.assignedBy);
          foldCache.set(t.assignedBy, key);
        }
        const r = insert.run(t.code, t.title, t.unitId, t.assignedBy, key, t.sourceDoc, t.assignedAt, t.deadline, t.deadline, t.completedAt, t.note, now, now);
        if (r.changes === 1) inserted++;
        else update.run({ ...t, key, now });
        if (i % 10_000 === 0) onProgress?.(i, parsed.length);
      }
      const rules = repeat ? repeat.attachAll(repeats) : 0;
      return { inserted, updated: parsed.length - inserted, rules };
    },
  };
}

/**
 * The order the rows are written in: grouped by unit, in ascending unit id, and in file order
 * within a unit. The report's covering index (and the open-tasks one) starts with unit_id, so
 * rows in file order land on its leaves at random and each batch dirties most of them out of
 * order; grouped, the leaves are filled in one pass (the province bench: ~30% more rows/s).
 * Only the ids of new tasks follow this order instead of the file's; the rows checked, their
 * errors and what is written are the same.
 */
function unitOrder(rows: TaskRow[]): Uint32Array {
  let max = 0;
  for (const t of rows) if (t.unitId > max) max = t.unitId;
  if (max > 4 * rows.length + 100_000) {
    // Sparse ids (never in practice): a stable comparison sort instead.
    return Uint32Array.from(rows.keys()).sort((a, b) => rows[a].unitId - rows[b].unitId || a - b);
  }
  // A counting sort over unit ids (a few thousand in a province): stable, and linear.
  const next = new Uint32Array(max + 2);
  for (const t of rows) next[t.unitId + 1]++;
  for (let u = 1; u < next.length; u++) next[u] += next[u - 1];
  const order = new Uint32Array(rows.length);
  for (let i = 0; i < rows.length; i++) order[next[rows[i].unitId]++] = i;
  return order;
}
