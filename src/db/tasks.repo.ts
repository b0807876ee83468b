// Task queries for the chat: open tasks of a unit, one task, completion, events.
import { and, asc, desc, eq, gte, inArray, isNotNull, isNull, lte, sql, type Column } from 'drizzle-orm';
import { setPrompt } from './accounts.repo.ts';
import type { Db } from './open.ts';
import { prepared } from './prepared.ts';
import { pathStartsWith } from './report.repo.ts';
import type { Channel } from './schema.ts';

export interface TaskRow {
  id: number;
  code: string;
  title: string;
  unitId: number;
  unitCode: string;
  unitName: string;
  unitPath: string;
  assignedBy: string;
  sourceDoc: string;
  assignedAt: number;
  /** Null: no deadline. */
  deadline: number | null;
  effectiveDeadline: number | null;
  completedAt: number | null;
  completedBy: number | null;
  completedByName: string | null;
  lateReason: string | null;
  note: string | null;
  suspendedAt: number | null;
  suspendReason: string | null;
  /** A completion report awaiting confirmation (while completedAt is null). */
  reportedAt: number | null;
  /** The assigning level confirms a completion report before the task counts as done. */
  needsConfirmation: boolean;
  reportedBy: number | null;
  reportNote: string | null;
}

// The chat's own queries (/viec, /xong) are prepared once per connection (prepared.ts).
const taskByCodeQuery = prepared('nv_task_by_code', (orm, { tasks: t, units: u, officers: o }, name) =>
  orm
    .select({
      id: t.id,
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      unitCode: u.code,
      unitName: u.name,
      unitPath: u.path,
      assignedBy: t.assignedBy,
      sourceDoc: t.sourceDoc,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.effectiveDeadline,
      completedAt: t.completedAt,
      completedBy: t.completedBy,
      completedByName: o.fullName,
      lateReason: t.lateReason,
      note: t.note,
      suspendedAt: t.suspendedAt,
      suspendReason: t.suspendReason,
      reportedAt: t.reportedAt,
      needsConfirmation: t.needsConfirmation,
      reportedBy: t.reportedBy,
      reportNote: t.reportNote,
    })
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .leftJoin(o, eq(o.id, t.completedBy))
    // The code is unique. No LIMIT: on SQLite a LIMIT bound as a parameter recompiles the
    // statement at every run.
    .where(eq(t.code, sql.placeholder('code')))
    .prepare(name),
);

export async function taskByCode(db: Db, code: string): Promise<TaskRow | undefined> {
  const rows = await taskByCodeQuery(db).execute({ code });
  return rows[0];
}

export async function taskById(db: Db, id: number): Promise<{ id: number; code: string; completedAt: number | null; unitId: number } | undefined> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .select({ id: t.id, code: t.code, completedAt: t.completedAt, unitId: t.unitId })
    .from(t)
    .where(eq(t.id, id))
    .limit(1);
  return rows[0];
}

/** Which of these codes exist (for a "xong" reply to a reminder), in the order given. */
export async function existingCodes(db: Db, codes: string[]): Promise<string[]> {
  const asked = codes.slice(0, 50);
  if (asked.length === 0) return [];
  const { tasks: t } = db.t;
  const rows = await db.orm.select({ code: t.code }).from(t).where(inArray(t.code, asked));
  const found = new Set(rows.map((r) => r.code));
  return asked.filter((c) => found.has(c));
}

export interface OpenTaskRow {
  code: string;
  title: string;
  unitCode: string;
  /** Null: no deadline. */
  effectiveDeadline: number | null;
  /** Suspended (tạm dừng) since then, else null. */
  suspendedAt: number | null;
  /** The recurring rule the task is an occurrence of, else null. */
  ruleId: number | null;
  /** A completion report awaiting confirmation (absent where a query does not read it). */
  reportedAt?: number | null;
}

export interface OpenTaskFilter {
  /** One unit's tasks. */
  unitId?: number;
  /** Or a whole subtree (a chair's view). */
  pathPrefix?: string;
  /** Only tasks whose effective deadline is at or before this instant. */
  dueBefore?: number;
  /** Only tasks whose effective deadline is at or after this instant. */
  dueAfter?: number;
  /** The tasks without a deadline instead of those with one (the bounds are then ignored). */
  undated?: boolean;
  /** Leave suspended tasks out (a list of what is overdue or due). */
  activeOnly?: boolean;
  limit: number;
}

const openTasksOfUnitQuery = prepared('nv_open_tasks_of_unit', (orm, { tasks: t, units: u }, name) =>
  orm
    .select({ code: t.code, title: t.title, unitCode: u.code, effectiveDeadline: t.effectiveDeadline, suspendedAt: t.suspendedAt, ruleId: t.ruleId, reportedAt: t.reportedAt })
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .where(
      and(
        eq(t.unitId, sql.placeholder('unitId')),
        isNull(t.completedAt),
        gte(t.effectiveDeadline, sql.placeholder('after')),
        lte(t.effectiveDeadline, sql.placeholder('before')),
        sql`(${t.suspendedAt} IS NULL OR ${sql.placeholder('withSuspended')} = 1)`,
      ),
    )
    .orderBy(asc(t.effectiveDeadline), asc(t.code))
    .limit(sql.placeholder('limit'))
    .prepare(name),
);

/** Open tasks by effective deadline, soonest (most overdue) first; or the open tasks without one, by code. */
export async function openTasks(db: Db, f: OpenTaskFilter): Promise<OpenTaskRow[]> {
  const { tasks: t, units: u } = db.t;
  const cols = { code: t.code, title: t.title, unitCode: u.code, effectiveDeadline: t.effectiveDeadline, suspendedAt: t.suspendedAt, ruleId: t.ruleId, reportedAt: t.reportedAt };
  const active = f.activeOnly ? isNull(t.suspendedAt) : undefined;
  if (f.undated) {
    const scope = f.unitId !== undefined ? eq(t.unitId, f.unitId) : pathStartsWith(u.path, f.pathPrefix ?? '/');
    return db.orm
      .select(cols)
      .from(t)
      .innerJoin(u, eq(u.id, t.unitId))
      .where(and(scope, isNull(t.completedAt), isNull(t.effectiveDeadline), active))
      .orderBy(asc(t.code))
      .limit(f.limit);
  }
  const due = and(
    isNull(t.completedAt),
    isNotNull(t.effectiveDeadline),
    f.dueAfter !== undefined ? gte(t.effectiveDeadline, f.dueAfter) : undefined,
    f.dueBefore !== undefined ? lte(t.effectiveDeadline, f.dueBefore) : undefined,
    active,
  );
  if (f.unitId !== undefined) {
    // One prepared query for every range: an absent bound is the widest one.
    return openTasksOfUnitQuery(db).execute({
      unitId: f.unitId,
      after: f.dueAfter ?? Number.MIN_SAFE_INTEGER,
      before: f.dueBefore ?? Number.MAX_SAFE_INTEGER,
      withSuspended: f.activeOnly ? 0 : 1,
      limit: f.limit,
    });
  }
  const where = and(due, pathStartsWith(u.path, f.pathPrefix ?? '/'));
  if (db.engine === 'sqlite') {
    // SQLite's planner, given a subtree, may start from the units and sort a province's open
    // tasks; the hint makes it walk the partial index of open tasks' deadlines and stop after
    // `limit` rows. INDEXED BY is SQLite-only and the builder cannot say it, hence raw SQL here;
    // PostgreSQL's planner finds that index from its statistics.
    return db.all<OpenTaskRow>(sql`SELECT ${t.code} AS "code", ${t.title} AS "title", ${u.code} AS "unitCode",
        ${t.effectiveDeadline} AS "effectiveDeadline", ${t.suspendedAt} AS "suspendedAt", ${t.ruleId} AS "ruleId", ${t.reportedAt} AS "reportedAt"
      FROM ${t} INDEXED BY tasks_open_deadline_idx JOIN ${u} ON ${u.id} = ${t.unitId}
      WHERE ${where} ORDER BY ${t.effectiveDeadline}, ${t.code} LIMIT ${f.limit}`);
  }
  return db.orm
    .select(cols)
    .from(t)
    .innerJoin(u, eq(u.id, t.unitId))
    .where(where)
    .orderBy(asc(t.effectiveDeadline), asc(t.code))
    .limit(f.limit);
}

const markCompletedQuery = prepared('nv_mark_completed', (orm, { tasks: t }, name) =>
  orm
    .update(t)
    // set() takes no bare placeholder: each goes in as SQL.
    .set({ completedAt: sql`${sql.placeholder('now')}`, completedBy: sql`${sql.placeholder('officerId')}`, lateReason: sql`${sql.placeholder('lateReason')}`, updatedAt: sql`${sql.placeholder('now')}` })
    .where(and(eq(t.id, sql.placeholder('taskId')), isNull(t.completedAt)))
    .returning({ id: t.id })
    .prepare(name),
);

export async function markCompleted(db: Db, taskId: number, officerId: number, now: number, lateReason: string | null): Promise<boolean> {
  const rows = await markCompletedQuery(db).execute({ taskId, officerId, now, lateReason });
  return rows.length === 1;
}

/** A /xong as it is written: the task, its events and the question to ask next. */
export interface Completion {
  taskId: number;
  officerId: number;
  now: number;
  /** The completion event's note. */
  note: string | null;
  /** A late task's reason, given with the report: stored on the task and as an event of its own. */
  lateReason: string | null;
  /** The question to ask the person next (the late reason they did not give), if any. */
  prompt: { channel: Channel; externalId: string; kind: string; expiresAt: number } | null;
}

// PostgreSQL: the whole completion in one statement (the update, then the events and the question
// inserted from its RETURNING in the same WITH), one round trip instead of up to four. The
// builder's INSERT … SELECT names every column, the identity id too, hence raw SQL for those
// two (PostgreSQL only: SQLite has no INSERT inside WITH, and its statements cost no round trip).
const completionQuery = prepared('nv_record_completion', (orm, t, name) => {
  const { tasks: tk, taskEvents: e, pendingPrompts: p } = t;
  const ph = (key: string) => sql`${sql.placeholder(key)}`;
  const col = (c: Column) => sql.identifier(c.name);
  const done = orm.$with('done').as(
    orm
      .update(tk)
      .set({ completedAt: ph('now'), completedBy: ph('officerId'), lateReason: ph('lateReason'), updatedAt: ph('now') })
      .where(and(eq(tk.id, sql.placeholder('taskId')), isNull(tk.completedAt)))
      .returning({ id: tk.id }),
  );
  const doneId = sql`${sql.identifier('done')}.${sql.identifier('id')}`;
  // UNION ALL keeps the order, so the completion's event comes first, as when inserted one by one.
  const events = orm.$with('events', {}).as(
    sql`INSERT INTO ${e} (${col(e.taskId)}, ${col(e.at)}, ${col(e.officerId)}, ${col(e.kind)}, ${col(e.detail)})
      SELECT ${doneId}, ${ph('now')}::bigint, ${ph('officerId')}::integer, 'completed', ${ph('note')}::text FROM ${sql.identifier('done')}
      UNION ALL
      SELECT ${doneId}, ${ph('now')}::bigint, ${ph('officerId')}::integer, 'late_reason', ${ph('lateReason')}::text FROM ${sql.identifier('done')}
      WHERE ${ph('lateReason')}::text IS NOT NULL`,
  );
  const question = orm.$with('question', {}).as(
    sql`INSERT INTO ${p} (${col(p.channel)}, ${col(p.externalId)}, ${col(p.kind)}, ${col(p.taskId)}, ${col(p.createdAt)}, ${col(p.expiresAt)})
      SELECT ${ph('channel')}::text, ${ph('externalId')}::text, ${ph('kind')}::text, ${doneId}, ${ph('now')}::bigint, ${ph('expiresAt')}::bigint
      FROM ${sql.identifier('done')} WHERE ${ph('ask')}::boolean
      ON CONFLICT (${col(p.channel)}, ${col(p.externalId)}) DO UPDATE SET ${col(p.kind)} = excluded.${col(p.kind)},
        ${col(p.taskId)} = excluded.${col(p.taskId)}, ${col(p.createdAt)} = excluded.${col(p.createdAt)}, ${col(p.expiresAt)} = excluded.${col(p.expiresAt)}`,
  );
  return orm.with(done, events, question).select({ id: done.id }).from(done).prepare(name);
});

/**
 * Records a completion: the task marked completed, its event (and the late reason's), and the
 * question to ask next. False when the task was completed in the meantime: then nothing is written.
 * Several statements on SQLite: run it in a transaction.
 */
export async function recordCompletion(db: Db, c: Completion): Promise<boolean> {
  if (db.engine === 'postgres') {
    const rows = await completionQuery(db).execute({
      taskId: c.taskId,
      officerId: c.officerId,
      now: c.now,
      note: c.note,
      lateReason: c.lateReason,
      ask: c.prompt !== null,
      channel: c.prompt?.channel ?? null,
      externalId: c.prompt?.externalId ?? null,
      kind: c.prompt?.kind ?? null,
      expiresAt: c.prompt?.expiresAt ?? null,
    });
    return rows.length === 1;
  }
  if (!(await markCompleted(db, c.taskId, c.officerId, c.now, c.lateReason))) return false;
  await addEvent(db, { taskId: c.taskId, at: c.now, officerId: c.officerId, kind: 'completed', detail: c.note });
  if (c.lateReason !== null) await addEvent(db, { taskId: c.taskId, at: c.now, officerId: c.officerId, kind: 'late_reason', detail: c.lateReason });
  if (c.prompt) await setPrompt(db, { ...c.prompt, taskId: c.taskId, now: c.now });
  return true;
}

export async function setLateReason(db: Db, taskId: number, reason: string, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ lateReason: reason, updatedAt: now }).where(eq(t.id, taskId));
}

export async function setEffectiveDeadline(db: Db, taskId: number, deadline: number, now: number): Promise<void> {
  const { tasks: t } = db.t;
  await db.orm.update(t).set({ effectiveDeadline: deadline, updatedAt: now }).where(eq(t.id, taskId));
}

const addEventQuery = prepared('nv_add_event', (orm, { taskEvents: e }, name) =>
  orm
    .insert(e)
    .values({
      taskId: sql.placeholder('taskId'),
      at: sql.placeholder('at'),
      officerId: sql.placeholder('officerId'),
      kind: sql.placeholder('kind'),
      detail: sql.placeholder('detail'),
    })
    .prepare(name),
);

export async function addEvent(db: Db, e: { taskId: number; at: number; officerId: number | null; kind: string; detail?: string | null }): Promise<void> {
  await addEventQuery(db).execute({ taskId: e.taskId, at: e.at, officerId: e.officerId, kind: e.kind, detail: e.detail ?? null });
}

export interface EventRow {
  at: number;
  kind: string;
  detail: string | null;
  officerName: string | null;
}

export async function eventsOf(db: Db, taskId: number, limit = 20): Promise<EventRow[]> {
  const { taskEvents: e, officers: o } = db.t;
  return db.orm
    .select({ at: e.at, kind: e.kind, detail: e.detail, officerName: o.fullName })
    .from(e)
    .leftJoin(o, eq(o.id, e.officerId))
    .where(eq(e.taskId, taskId))
    .orderBy(desc(e.at), desc(e.id))
    .limit(limit);
}

export interface NewTask {
  code: string;
  title: string;
  unitId: number;
  assignedBy: string;
  assignedByKey: string;
  sourceDoc: string;
  assignedAt: number;
  /** Null: no deadline (không thời hạn). */
  deadline: number | null;
  /** A completion report waits for the assigning level's confirmation; default on (the tasks a chair assigns with /giao). */
  needsConfirmation?: boolean;
}

/**
 * Inserts the task under its code; its id, or undefined when the code is already taken
 * (a generated code another process took at the same moment: try the next one).
 */
export async function insertTaskIfCodeFree(db: Db, t: NewTask): Promise<number | undefined> {
  const { tasks } = db.t;
  const [row] = await db.orm
    .insert(tasks)
    .values({
      code: t.code,
      title: t.title,
      unitId: t.unitId,
      assignedBy: t.assignedBy,
      assignedByKey: t.assignedByKey,
      sourceDoc: t.sourceDoc,
      assignedAt: t.assignedAt,
      deadline: t.deadline,
      effectiveDeadline: t.deadline,
      needsConfirmation: t.needsConfirmation ?? true,
      createdAt: t.assignedAt,
      updatedAt: t.assignedAt,
    })
    .onConflictDoNothing({ target: tasks.code })
    .returning({ id: tasks.id });
  return row?.id;
}

/**
 * The highest sequence number among codes "PREFIX0001", for generating the next code.
 * Only codes whose rest after the prefix is all digits count (read in JS: casting
 * other text to a number fails on PostgreSQL). "max + 1" races with another writer:
 * insert with onConflictDoNothing and try the next number when the code was taken.
 */
export async function maxCodeSeq(db: Db, prefix: string): Promise<number> {
  const { tasks: t } = db.t;
  const rows = await db.orm
    .select({ code: t.code })
    .from(t)
    .where(sql`substr(${t.code}, 1, length(${prefix})) = ${prefix}`);
  let max = 0;
  for (const { code } of rows) {
    const rest = code.slice(prefix.length);
    if (/^\d+$/.test(rest)) max = Math.max(max, Number(rest));
  }
  return max;
}
