// The deadline report's query and result: shared by the CLI, the chat and the weekly summary.
import type { StatusCounts } from '../domain/status.ts';

export interface ReportQuery {
  /** Status is computed as of this instant (ms UTC). */
  asOf: number;
  /** Tasks assigned at or after this instant. */
  from?: number;
  /** Tasks assigned at or before this instant. */
  to?: number;
  /** A unit code: that unit and everything under it. */
  unitCode?: string;
  /** Keep tasks whose issuing body contains this text (case- and diacritics-insensitive). */
  assignedBy?: string;
  /** How many overdue tasks to list (default 50). */
  overdueLimit?: number;
  /** The named period `from`..`to` came from ("quý 3/2026") and the cutoff day it was moved by; printed on the report. */
  period?: { label: string; cutoffDay: number | null };
}

export interface UnitRow extends StatusCounts {
  code: string;
  name: string;
  onTimeRate: number | null;
  /** 1-based rank by onTimeRate, best first; units with no rate come last. */
  rank: number;
}

export interface OverdueTask {
  code: string;
  title: string;
  unitCode: string;
  unitName: string;
  effectiveDeadline: number;
  daysOverdue: number;
}

export interface ReportData {
  query: ReportQuery;
  /** Name of the unit the report is restricted to, if any. */
  unitName?: string;
  totals: StatusCounts;
  units: UnitRow[];
  /** Overdue tasks, most overdue first. */
  overdue: OverdueTask[];
}
