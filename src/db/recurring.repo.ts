// Recurring rules and their occurrences (tasks with rule_id set, code "<RULE>-<periodKey>").
// Occurrences are found by rule_id and their code prefix; on SQLite through the unique
// code index (a code range), so no query scans the tasks table (see occurrenceCodes).
import { and, asc, desc, eq, gte, lt, lte, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from './open.ts';

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
  active: boolean;
  createdAt: number;
  stoppedAt: number | null;
}

async function rules(db: Db, cond: SQL | undefined, order: SQL[], limit?: number): Promise<RuleRow[]> {
  const { recurringRules: r, units: u } = db.t;
  const q = db.orm
    .select({
      id: r.id,
      code: r.code,
      unitId: r.unitId,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
      title: r.title,
      assignedBy: r.assignedBy,
      sourceDoc: r.sourceDoc,
      ruleText: r.ruleText,
      ruleJson: r.ruleJson,
      startsOn: r.startsOn,
      endsOn: r.endsOn,
      maxCount: r.maxCount,
      shift: r.shift,
      active: r.active,
      createdAt: r.createdAt,
      stoppedAt: r.stoppedAt,
    })
    .from(r)
    .innerJoin(u, eq(u.id, r.unitId))
    .where(cond)
    .orderBy(...order);
  return limit === undefined ? q : q.limit(limit);
}

export async function ruleByCode(db: Db, code: string): Promise<RuleRow | undefined> {
  const { recurringRules: r } = db.t;
  return (await rules(db, eq(r.code, code), [], 1))[0];
}

export async function activeRules(db: Db): Promise<RuleRow[]> {
  const { recurringRules: r } = db.t;
  return rules(db, eq(r.active, true), [asc(r.id)]);
}

/** Rules that existed at some point of [from, to] (created before `to`, not stopped before `from`). */
export async function rulesAlive(db: Db, from: number, to: number): Promise<RuleRow[]> {
  const { recurringRules: r, units: u } = db.t;
  return rules(db, and(lte(r.createdAt, to), or(isNull(r.stoppedAt), gte(r.stoppedAt, from))), [asc(u.path), asc(r.code)]);
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

export async function insertRule(db: Db, r: NewRule): Promise<number> {
  const { recurringRules } = db.t;
  const [row] = await db.orm
    .insert(recurringRules)
    .values({ ...r, active: true })
    .returning({ id: recurringRules.id });
  return row.id;
}

/**
 * Inserts the rule unless its code is taken (by a rule created at the same time by
 * another process): its id, or undefined when the code was taken.
 */
export async function insertRuleIfFree(db: Db, r: NewRule): Promise<number | undefined> {
  const { recurringRules } = db.t;
  const rows = await db.orm
    .insert(recurringRules)
    .values({ ...r, active: true })
    .onConflictDoNothing()
    .returning({ id: recurringRules.id });
  return rows[0]?.id;
}

export async function stopRuleRow(db: Db, id: number, now: number): Promise<boolean> {
  const { recurringRules: r } = db.t;
  const rows = await db.orm
    .update(r)
    .set({ active: false, stoppedAt: now })
    .where(and(eq(r.id, id), eq(r.active, true)))
    .returning({ id: r.id });
  return rows.length === 1;
}

/** The highest n among rule codes "PREFIXn" (n: the leading digits after the prefix; none counts as 0). */
export async function maxRuleSeq(db: Db, prefix: string): Promise<number> {
  const { recurringRules: r } = db.t;
  // The number is read here: CAST of text that is not a number fails on PostgreSQL. Rules are few.
  const rows = await db.orm
    .select({ code: r.code })
    .from(r)
    .where(sql`substr(${r.code}, 1, ${prefix.length}) = ${prefix}`);
  let max = 0;
  for (const { code } of rows) {
    const m = /^\d+/.exec(code.slice(prefix.length));
    if (m) max = Math.max(max, Number(m[0]));
  }
  return max;
}

/**
 * Codes that start with "<code>-". On SQLite, as a range of the unique code index
 * (byte order: "-" then "." right after it). On PostgreSQL the order of text follows
 * the database's collation, where punctuation may be ignored, so the range could miss
 * codes: there the prefix is compared exactly.
 */
function occurrenceCodes(db: Db, code: string): SQL {
  const { tasks: t } = db.t;
  if (db.engine === 'sqlite') return and(gte(t.code, `${code}-`), lt(t.code, `${code}.`))!;
  return sql`substr(${t.code}, 1, ${code.length + 1}) = ${`${code}-`}`;
}

/** Whether any task code starts with "<code>-" (a new rule code must not collide with existing tasks). */
export async function taskCodePrefixTaken(db: Db, code: string): Promise<boolean> {
  const { tasks: t } = db.t;
  const rows = await db.orm.select({ id: t.id }).from(t).where(occurrenceCodes(db, code)).limit(1);
  return rows.length > 0;
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
  suspendedAt: number | null;
}

/** The rule's occurrences by deadline (codes "<code>-…" with this rule_id; a rule always sets the deadline). */
export async function occurrencesOfRule(db: Db, ruleId: number, code: string): Promise<OccurrenceRow[]> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .select({
      id: t.id,
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.effectiveDeadline,
      completedAt: t.completedAt,
      lateReason: t.lateReason,
      suspendedAt: t.suspendedAt,
    })
    .from(t)
    .where(and(occurrenceCodes(db, code), eq(t.ruleId, ruleId)))
    .orderBy(asc(t.deadline), asc(t.code));
  return rows.flatMap(({ deadline, effectiveDeadline, ...r }) =>
    deadline === null || effectiveDeadline === null ? [] : [{ ...r, deadline, effectiveDeadline }],
  );
}

/** The rule's latest occurrence: codes sort by period key, so the last code in the range (index walk, one row). */
export async function lastOccurrence(db: Db, ruleId: number, code: string): Promise<{ code: string; deadline: number } | undefined> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .select({ code: t.code, deadline: t.deadline })
    .from(t)
    .where(and(occurrenceCodes(db, code), eq(t.ruleId, ruleId)))
    .orderBy(desc(t.code))
    .limit(1);
  const last = rows[0];
  return last && last.deadline !== null ? { code: last.code, deadline: last.deadline } : undefined;
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


/** Sets rule_id on an existing task (a one-off task attached to a rule as its first occurrence). */
export async function setTaskRule(db: Db, taskId: number, ruleId: number, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ ruleId, updatedAt: now }).where(eq(t.id, taskId));
}
