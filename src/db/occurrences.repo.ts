// The tick's recurring-rule queries for all active rules at once (recurring.repo.ts has
// the one-rule forms): each rule's latest occurrence, and many occurrences in one insert.
import { and, eq, inArray, max, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import type { NewOccurrence } from './recurring.repo.ts';

/** Rows per multi-row INSERT: × the tasks' columns, far under both engines' bind-parameter limits. */
const INSERT_ROWS = 500;
/** Rules, or codes, per IN (…) list of bound parameters. */
const RULES_PER_QUERY = 1000;
const CODES_PER_QUERY = 1000;

/**
 * lastOccurrence() of many rules in a query (per thousand rules): the rule's latest task
 * among those with its rule_id and a code "<code>-…", by code as the engine orders text.
 * Rules with no occurrence have no entry.
 */
export async function lastOccurrences(db: Db, rules: readonly { id: number; code: string }[]): Promise<Map<number, { code: string; deadline: number }>> {
  const { tasks: t, recurringRules: r } = db.t;
  const out = new Map<number, { code: string; deadline: number }>();
  for (let i = 0; i < rules.length; i += RULES_PER_QUERY) {
    const ids = rules.slice(i, i + RULES_PER_QUERY).map((x) => x.id);
    // Each rule's greatest occurrence code (the IN list drives the (rule_id, code) index), then its deadline by code.
    const latest = db.orm
      .select({ code: max(t.code).as('last_code') })
      .from(t)
      .innerJoin(r, eq(r.id, t.ruleId))
      .where(and(inArray(t.ruleId, ids), sql`substr(${t.code}, 1, length(${r.code}) + 1) = ${r.code} || '-'`))
      .groupBy(t.ruleId)
      .as('latest');
    const rows = await db.orm
      .select({ ruleId: t.ruleId, code: t.code, deadline: t.deadline })
      .from(t)
      .innerJoin(latest, eq(t.code, latest.code));
    // Occurrences always have a deadline (a rule sets it).
    for (const row of rows) if (row.ruleId !== null && row.deadline !== null) out.set(row.ruleId, { code: row.code, deadline: row.deadline });
  }
  return out;
}

/** Which of the task codes exist (codes are unique): a query per thousand codes. */
export async function existingCodes(db: Db, codes: readonly string[]): Promise<Set<string>> {
  const { tasks: t } = db.t;
  const out = new Set<string>();
  for (let i = 0; i < codes.length; i += CODES_PER_QUERY) {
    const rows = await db.orm
      .select({ code: t.code })
      .from(t)
      .where(inArray(t.code, codes.slice(i, i + CODES_PER_QUERY)));
    for (const r of rows) out.add(r.code);
  }
  return out;
}

/**
 * Inserts the occurrences whose codes are free, in their order, a statement per 500: how many
 * were inserted. Each counts as existing from its assignment (or now, when made ahead): one
 * made late, after downtime, still gets its latest reminder as a catch-up.
 */
export async function insertOccurrences(db: Db, rows: readonly NewOccurrence[]): Promise<number> {
  const { tasks: t } = db.t;
  let inserted = 0;
  for (let i = 0; i < rows.length; i += INSERT_ROWS) {
    const out = await db.orm
      .insert(t)
      .values(
        rows.slice(i, i + INSERT_ROWS).map((o) => ({
          code: o.code,
          title: o.title,
          unitId: o.unitId,
          assignedBy: o.assignedBy,
          assignedByKey: o.assignedByKey,
          sourceDoc: o.sourceDoc,
          assignedAt: o.assignedAt,
          deadline: o.deadline,
          effectiveDeadline: o.deadline,
          ruleId: o.ruleId,
          createdAt: Math.min(o.assignedAt, o.now),
          updatedAt: o.now,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: t.id });
    inserted += out.length;
  }
  return inserted;
}
