// Recurring rules and their occurrences (tasks with rule_id set, code "<RULE>-<periodKey>").
// Occurrences are found through the unique code index (a code range), then checked by rule_id,
// so no query scans the tasks table.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface RuleRow {
  id: number;
  code: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  title: string;
  assignedBy: string;
  sourceDoc: string;
  ruleText: string;
  ruleJson: string;
  startsOn: string;
  endsOn: string | null;
  maxCount: number | null;
  shift: 'earlier' | 'later';
  active: number;
  createdAt: number;
  stoppedAt: number | null;
}

const RULE_COLS = `r.id, r.code, r.unit_id AS unitId, u.code AS unitCode, u.name AS unitName, u.path AS unitPath, r.title,
  r.assigned_by AS assignedBy, r.source_doc AS sourceDoc, r.rule_text AS ruleText, r.rule_json AS ruleJson,
  r.starts_on AS startsOn, r.ends_on AS endsOn, r.max_count AS maxCount, r.shift, r.active, r.created_at AS createdAt,
  r.stopped_at AS stoppedAt`;

export function ruleByCode(db: Db, code: string): RuleRow | undefined {
  return stmt(db, `SELECT ${RULE_COLS} FROM recurring_rules r JOIN units u ON u.id = r.unit_id WHERE r.code = ?`).get(code) as
    | RuleRow
    | undefined;
}

export function activeRules(db: Db): RuleRow[] {
  return stmt(db, `SELECT ${RULE_COLS} FROM recurring_rules r JOIN units u ON u.id = r.unit_id WHERE r.active = 1 ORDER BY r.id`).all() as RuleRow[];
}

/** Rules that existed at some point of [from, to] (created before `to`, not stopped before `from`). */
export function rulesAlive(db: Db, from: number, to: number): RuleRow[] {
  return stmt(
    db,
    `SELECT ${RULE_COLS} FROM recurring_rules r JOIN units u ON u.id = r.unit_id
     WHERE r.created_at <= ? AND (r.stopped_at IS NULL OR r.stopped_at >= ?) ORDER BY u.path, r.code`,
  ).all(to, from) as RuleRow[];
}

export interface NewRule {
  code: string;
  unitId: number;
  title: string;
  assignedBy: string;
  sourceDoc: string;
  ruleText: string;
  ruleJson: string;
  startsOn: string;
  endsOn: string | null;
  maxCount: number | null;
  shift: 'earlier' | 'later';
  createdAt: number;
}

export function insertRule(db: Db, r: NewRule): number {
  return Number(
    stmt(
      db,
      `INSERT INTO recurring_rules (code, unit_id, title, assigned_by, source_doc, rule_text, rule_json, starts_on, ends_on, max_count, shift, active, created_at)
       VALUES (@code, @unitId, @title, @assignedBy, @sourceDoc, @ruleText, @ruleJson, @startsOn, @endsOn, @maxCount, @shift, 1, @createdAt)`,
    ).run(r).lastInsertRowid,
  );
}

export function stopRuleRow(db: Db, id: number, now: number): boolean {
  return stmt(db, 'UPDATE recurring_rules SET active = 0, stopped_at = ? WHERE id = ? AND active = 1').run(now, id).changes === 1;
}

/** The highest n among rule codes "PREFIXn". */
export function maxRuleSeq(db: Db, prefix: string): number {
  const row = stmt(db, "SELECT max(CAST(substr(code, length(?) + 1) AS INTEGER)) AS n FROM recurring_rules WHERE code LIKE ? || '%'").get(
    prefix,
    prefix,
  ) as { n: number | null };
  return row.n ?? 0;
}

/** Whether any task code starts with "<code>-" (a new rule code must not collide with existing tasks). */
export function taskCodePrefixTaken(db: Db, code: string): boolean {
  return stmt(db, "SELECT 1 FROM tasks WHERE code >= ? || '-' AND code < ? || '.' LIMIT 1").get(code, code) !== undefined;
}

export interface OccurrenceRow {
  id: number;
  code: string;
  title: string;
  unitId: number;
  assignedAt: number;
  deadline: number;
  effectiveDeadline: number;
  completedAt: number | null;
  lateReason: string | null;
}

/** The rule's occurrences by deadline (through the code index: codes "<code>-…" with this rule_id). */
export function occurrencesOfRule(db: Db, ruleId: number, code: string): OccurrenceRow[] {
  return stmt(
    db,
    `SELECT id, code, title, unit_id AS unitId, assigned_at AS assignedAt, deadline, effective_deadline AS effectiveDeadline,
       completed_at AS completedAt, late_reason AS lateReason
     FROM tasks WHERE code >= ? || '-' AND code < ? || '.' AND rule_id = ? ORDER BY deadline, code`,
  ).all(code, code, ruleId) as OccurrenceRow[];
}

/** The rule's latest occurrence: codes sort by period key, so the last code in the range (index walk, one row). */
export function lastOccurrence(db: Db, ruleId: number, code: string): { code: string; deadline: number } | undefined {
  return stmt(
    db,
    `SELECT code, deadline FROM tasks WHERE code >= ? || '-' AND code < ? || '.' AND rule_id = ? ORDER BY code DESC LIMIT 1`,
  ).get(code, code, ruleId) as { code: string; deadline: number } | undefined;
}

export interface NewOccurrence {
  code: string;
  title: string;
  unitId: number;
  assignedBy: string;
  assignedByKey: string;
  sourceDoc: string;
  assignedAt: number;
  deadline: number;
  ruleId: number;
  now: number;
}

/**
 * Inserts an occurrence unless a task with its code exists; true when inserted. It counts as existing from its assignment
 * (or now, when made ahead): one made late, after downtime, still gets its latest reminder as a catch-up.
 */
export function insertOccurrence(db: Db, o: NewOccurrence): boolean {
  return (
    stmt(
      db,
      `INSERT OR IGNORE INTO tasks (code, title, unit_id, assigned_by, assigned_by_key, source_doc, assigned_at, deadline, effective_deadline, rule_id, created_at, updated_at)
       VALUES (@code, @title, @unitId, @assignedBy, @assignedByKey, @sourceDoc, @assignedAt, @deadline, @deadline, @ruleId, min(@assignedAt, @now), @now)`,
    ).run(o).changes === 1
  );
}

/** Sets rule_id on an existing task (a one-off task attached to a rule as its first occurrence). */
export function setTaskRule(db: Db, taskId: number, ruleId: number, now: number): void {
  stmt(db, 'UPDATE tasks SET rule_id = ?, updated_at = ? WHERE id = ?').run(ruleId, now, taskId);
}
