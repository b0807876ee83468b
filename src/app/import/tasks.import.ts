// Tasks: the spreadsheet every office keeps. Dates alone: the assignment date is
// the start of that day; a deadline or a completion date alone is the end of it,
// so a task finished on its deadline day counts as on time.
import type { Db } from '../../db/open.ts';
import { unitIdsByCode } from '../../db/import.repo.ts';
import { replaceTaskCooperators, writeImportedTasks, type ImportedTasks } from '../../db/import-tasks.repo.ts';
import { fold, normCode } from '../../domain/text.ts';
import type { ConfirmationDefaults, Holidays } from '../../config.ts';
import type { RowReader } from './cells.ts';
import type { HeaderMap } from './columns.ts';
import type { Prepared } from './prepared.ts';
import { RepeatColumn, type RepeatRow } from './task-repeat.ts';
import { AssigneeColumn, checkCooperating, ConfirmationColumn } from './task-assignment.ts';

/**
 * The checked rows, column by column: a province's sheet has hundreds of thousands of
 * rows, and a few flat arrays (dates unboxed, strings shared with the cells) weigh far
 * less on the heap than an object per row. A completion date left empty is NaN.
 */
class TaskColumns implements ImportedTasks {
  readonly code: string[] = [];
  readonly title: string[] = [];
  readonly unitId: number[] = [];
  readonly assignedBy: string[] = [];
  readonly assignedByKey: string[] = [];
  readonly sourceDoc: string[] = [];
  readonly assignedAt: number[] = [];
  /** NaN: no deadline. */
  readonly deadline: number[] = [];
  readonly completedAt: number[] = [];
  readonly note: (string | null)[] = [];
  readonly needsConfirmation: boolean[] = [];
  readonly assigneeId: (number | null)[] = [];
  get length(): number {
    return this.code.length;
  }
}

const NO_HOLIDAYS: Holidays = { holidays: [], makeUpDays: [] };

export async function prepareTasks(
  db: Db,
  map: HeaderMap,
  rows: Iterable<RowReader>,
  opts: { now: number; zone: string; calendar?: Holidays; confirmation?: ConfirmationDefaults },
): Promise<Prepared> {
  const { now } = opts;
  const unitIds = await unitIdsByCode(db);
  const seen = new Map<string, number>();
  const parsed = new TaskColumns();
  const hasNote = map.index.note >= 0;
  const hasConfirmation = map.index.needs_confirmation >= 0;
  const hasAssignee = map.index.assignee >= 0;
  const hasCooperating = map.index.cooperating >= 0;
  const confirmation = new ConfirmationColumn(opts.confirmation);
  const assignee = hasAssignee ? await AssigneeColumn.load(db) : null;
  /** Per written row when the sheet has the column: its co-operating units. */
  const cooperating: (readonly number[])[] = [];
  // Sheets without the column pay nothing for it.
  const repeat = map.index.repeat >= 0 ? new RepeatColumn(db, now, opts.zone, opts.calendar ?? NO_HOLIDAYS) : null;
  const repeats: RepeatRow[] = [];
  const foldCache = new Map<string, string>();
  for (const r of rows) {
    const code = normCode(r.required('code', 'mã nhiệm vụ'));
    const title = r.required('title', 'nội dung nhiệm vụ');
    const unitCode = normCode(r.required('unit', 'mã đơn vị chủ trì'));
    const assignedAt = r.date('assigned_at', 'start', true);
    // Empty: a task without a deadline (không thời hạn).
    const deadline = r.date('deadline', 'end', false);
    const noDeadline = deadline === null && r.text('deadline') === '';
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
    const assignedBy = r.text('assigned_by');
    let key = foldCache.get(assignedBy);
    if (key === undefined) {
      key = fold(assignedBy);
      foldCache.set(assignedBy, key);
    }
    const needsConfirmation = confirmation.check(r, key);
    const coop = hasCooperating ? checkCooperating(r, unitIds, unitCode) : null;
    const assigneeId = assignee ? assignee.check(r, unitCode, unitId) : null;
    if (repeat) {
      const rule = await repeat.check(r, code, deadline);
      if (rule) repeats.push(rule);
    }
    if (code && title && unitId !== undefined && assignedAt !== null && (deadline !== null || noDeadline)) {
      parsed.code.push(code);
      parsed.title.push(title);
      parsed.unitId.push(unitId);
      parsed.assignedBy.push(assignedBy);
      parsed.assignedByKey.push(key);
      parsed.sourceDoc.push(r.text('source_doc'));
      parsed.assignedAt.push(assignedAt);
      parsed.deadline.push(deadline ?? NaN);
      parsed.completedAt.push(completedAt ?? NaN);
      parsed.note.push(r.text('note') || null);
      parsed.needsConfirmation.push(needsConfirmation);
      parsed.assigneeId.push(assigneeId);
      if (coop) cooperating.push(coop);
    }
  }
  return {
    count: parsed.length,
    rules: repeats.length,
    async apply(tx, onProgress) {
      const inserted = await writeImportedTasks(tx, parsed, unitOrder(parsed.unitId), { now, hasNote, hasConfirmation, hasAssignee, onProgress });
      if (hasCooperating) await replaceTaskCooperators(tx, parsed.code, cooperating);
      const rules = repeat ? await repeat.attachAll(tx, repeats) : 0;
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
