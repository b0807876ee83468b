// The tasks import's optional columns on who does and who closes a task: `Cần xác nhận`
// (the assigning level confirms the completion), `Đơn vị phối hợp` (co-operating units) and
// `Người thực hiện` (the officer of the lead unit it is handed to). Checked while the rows are
// read, so a dry run checks them too.
import type { ConfirmationDefaults } from '../../config.ts';
import { officersByCode, type OfficerOfCode } from '../../db/import.repo.ts';
import type { Db } from '../../db/open.ts';
import { fold, normCode } from '../../domain/text.ts';
import type { RowReader } from './cells.ts';

// true/false: an .xlsx boolean cell.
const YES = new Set(['co', 'yes', '1', 'x', 'true']);
const NO = new Set(['khong', 'no', '0', 'false']);

/** Whether a row's task needs confirmation: its cell, else the configured default for its issuing body. */
export class ConfirmationColumn {
  private readonly byIssuer = new Map<string, boolean>();
  private readonly fallback: boolean;

  constructor(defaults: ConfirmationDefaults | undefined) {
    this.fallback = defaults?.default ?? false;
    for (const [issuer, v] of Object.entries(defaults?.byIssuer ?? {})) this.byIssuer.set(fold(issuer), v);
  }

  /** `issuerKey`: the `Cơ quan giao` cell, folded. A cell that is not a yes or a no is recorded on the row. */
  check(r: RowReader, issuerKey: string): boolean {
    const text = r.text('needs_confirmation');
    if (text !== '') {
      const f = fold(text);
      if (YES.has(f)) return true;
      if (NO.has(f)) return false;
      r.error('needs_confirmation', `"${text.slice(0, 30)}" không hợp lệ: ghi "có" hoặc "không" (yes/no, 1/0, x), để trống thì theo mặc định`);
    }
    return this.byIssuer.get(issuerKey) ?? this.fallback;
  }
}

const NONE: readonly number[] = [];

/** The unit ids of a `Đơn vị phối hợp` cell: codes separated by `,` or `;`, each an existing unit other than the lead one. */
export function checkCooperating(r: RowReader, unitIds: ReadonlyMap<string, number>, leadCode: string): readonly number[] {
  const text = r.text('cooperating');
  if (text === '') return NONE;
  const ids: number[] = [];
  const seen = new Set<string>();
  for (const part of text.split(/[,;]/)) {
    const code = normCode(part);
    if (code === '' || seen.has(code)) continue;
    seen.add(code);
    const id = unitIds.get(code);
    if (id === undefined) r.error('cooperating', `không có đơn vị mã ${code.slice(0, 40)}`);
    else if (code === leadCode) r.error('cooperating', `${code} là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp`);
    else ids.push(id);
  }
  return ids;
}

/** The `Người thực hiện` column: an active officer of the lead unit, by code. */
export class AssigneeColumn {
  private constructor(private readonly officers: ReadonlyMap<string, OfficerOfCode>) {}

  static async load(db: Db): Promise<AssigneeColumn> {
    return new AssigneeColumn(await officersByCode(db));
  }

  /** The officer's id, or null when the cell is empty or wrong (then recorded on the row). `leadId`: undefined when the lead unit is itself wrong. */
  check(r: RowReader, leadCode: string, leadId: number | undefined): number | null {
    const code = normCode(r.text('assignee'));
    if (code === '') return null;
    const o = this.officers.get(code);
    if (!o) {
      r.error('assignee', `không có cán bộ mã ${code.slice(0, 40)}`);
      return null;
    }
    if (!o.active) {
      r.error('assignee', `cán bộ mã ${code} đã ngừng hoạt động, hãy giao cho cán bộ khác`);
      return null;
    }
    if (leadId !== undefined && o.unitId !== leadId) {
      r.error('assignee', `cán bộ mã ${code} không thuộc đơn vị chủ trì ${leadCode}`);
      return null;
    }
    return o.id;
  }
}
