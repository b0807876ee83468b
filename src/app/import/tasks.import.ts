// Tasks: the spreadsheet every office keeps. Dates alone: the assignment date is
// the start of that day; a deadline or a completion date alone is the end of it,
// so a task finished on its deadline day counts as on time.
import type { Db } from '../../db/open.ts';
import { fold, normCode } from '../../domain/text.ts';
import type { Holidays } from '../../config.ts';
import type { RowReader } from './cells.ts';
import type { HeaderMap } from './columns.ts';
import type { Prepared } from './prepared.ts';
import { RepeatColumn, type RepeatRow } from './task-repeat.ts';

/**
 * The checked rows, column by column: a province's sheet has hundreds of thousands of
 * rows, and a few flat arrays (dates unboxed, strings shared with the cells) weigh far
 * less on the heap than an object per row. A completion date left empty is NaN.
 */
class TaskColumns {
  readonly code: string[] = [];
  readonly title: string[] = [];
  readonly unitId: number[] = [];
  readonly assignedBy: string[] = [];
  readonly sourceDoc: string[] = [];
  readonly assignedAt: number[] = [];
  readonly deadline: number[] = [];
  readonly completedAt: number[] = [];
  readonly note: (string | null)[] = [];
  get length(): number {
    return this.code.length;
  }
}

const NO_HOLIDAYS: Holidays = { holidays: [], makeUpDays: [] };

export function prepareTasks(db: Db, map: HeaderMap, rows: Iterable<RowReader>, opts: { now: number; zone: string; calendar?: Holidays }): Prepared {
  const { now } = opts;
  const sqlite = db.$client;
  const unitIds = new Map<string, number>();
  for (const u of sqlite.prepare('SELECT id, code FROM units').all() as { id: number; code: string }[]) unitIds.set(u.code, u.id);
  const seen = new Map<string, number>();
  const parsed = new TaskColumns();
  const hasNote = map.index.note >= 0;
  // Sheets without the column pay nothing for it.
  const repeat = map.index.repeat >= 0 ? new RepeatColumn(db, now, opts.zone, opts.calendar ?? NO_HOLIDAYS) : null;
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
      parsed.code.push(code);
      parsed.title.push(title);
      parsed.unitId.push(unitId);
      parsed.assignedBy.push(r.text('assigned_by'));
      parsed.sourceDoc.push(r.text('source_doc'));
      parsed.assignedAt.push(assignedAt);
      parsed.deadline.push(deadline);
      parsed.completedAt.push(completedAt ?? NaN);
      parsed.note.push(r.text('note') || null);
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
      const order = unitOrder(parsed.unitId);
      let inserted = 0;
      const c = parsed;
      for (let i = 0; i < order.length; i++) {
        const j = order[i];
        const assignedBy = c.assignedBy[j];
        let key = foldCache.get(assignedBy);
        if (key === undefined) {
          key = fold(assignedBy);
          foldCache.set(assignedBy, key);
        }
        const done = c.completedAt[j];
        const completedAt = Number.isNaN(done) ? null : done;
        const deadline = c.deadline[j];
        const r = insert.run(c.code[j], c.title[j], c.unitId[j], assignedBy, key, c.sourceDoc[j], c.assignedAt[j], deadline, deadline, completedAt, c.note[j], now, now);
        if (r.changes === 1) inserted++;
        else {
          update.run({
            code: c.code[j],
            title: c.title[j],
            unitId: c.unitId[j],
            assignedBy,
            key,
            sourceDoc: c.sourceDoc[j],
            assignedAt: c.assignedAt[j],
            deadline,
            completedAt,
            note: c.note[j],
            now,
          });
        }
        if (i % 10_000 === 0) onProgress?.(i, c.length);
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
function unitOrder(unitIds: number[]): Uint32Array {
  let max = 0;
  for (const u of unitIds) if (u > max) max = u;
  if (max > 4 * unitIds.length + 100_000) {
    // Sparse ids (never in practice): a stable comparison sort instead.
    return Uint32Array.from(unitIds.keys()).sort((a, b) => unitIds[a] - unitIds[b] || a - b);
  }
  // A counting sort over unit ids (a few thousand in a province): stable, and linear.
  const next = new Uint32Array(max + 2);
  for (const u of unitIds) next[u + 1]++;
  for (let u = 1; u < next.length; u++) next[u] += next[u - 1];
  const order = new Uint32Array(unitIds.length);
  for (let i = 0; i < unitIds.length; i++) order[next[unitIds[i]]++] = i;
  return order;
}
