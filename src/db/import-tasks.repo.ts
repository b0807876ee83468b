// The tasks import's writes: a province's sheet is hundreds of thousands of rows, so each
// engine gets its fastest path (see writeImportedTasks), both inside the caller's transaction.
import { eq, sql, type SQL } from 'drizzle-orm';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './db.ts';
import { excluded } from './import.repo.ts';

/** The checked rows, column by column (see tasks.import.ts); a completion date left empty is NaN. */
export interface ImportedTasks {
  readonly length: number;
  readonly code: readonly string[];
  readonly title: readonly string[];
  readonly unitId: readonly number[];
  readonly assignedBy: readonly string[];
  /** assignedBy folded, for the report's --assigned-by filter. */
  readonly assignedByKey: readonly string[];
  readonly sourceDoc: readonly string[];
  readonly assignedAt: readonly number[];
  readonly deadline: readonly number[];
  readonly completedAt: readonly number[];
  readonly note: readonly (string | null)[];
}

export interface WriteTasksOptions {
  now: number;
  /** False when the sheet has no note column: notes on record are kept. */
  hasNote: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** The rule a task is an occurrence of, or undefined. */
export async function ruleCodeOfTask(db: Db, code: string): Promise<string | undefined> {
  const { tasks, recurringRules } = db.t;
  const [r] = await db.orm
    .select({ code: recurringRules.code })
    .from(tasks)
    .innerJoin(recurringRules, eq(recurringRules.id, tasks.ruleId))
    .where(eq(tasks.code, code))
    .limit(1);
  return r?.code;
}

/**
 * Inserts the rows (in `order`), updating the tasks whose code is already on record; returns
 * how many were inserted. The sheet is the source of truth for its columns, except that an
 * empty completion cell keeps a completion reported in the chat, and a later approved
 * extension stays the effective deadline. Call inside db.tx.
 */
export async function writeImportedTasks(tx: Db, rows: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): Promise<number> {
  if (!tx.inTx) throw new Error('writeImportedTasks: call inside db.tx');
  // SQLite: cached prepared statements on the transaction's own connection, run synchronously
  // (~100k rows/s); PostgreSQL: one upsert per 5,000 rows (writePg).
  return tx.native.engine === 'sqlite' ? writeSqlite(tx.native.sqlite, rows, order, opts) : writePg(tx, rows, order, opts);
}

interface SqliteStatements {
  insert: BetterSqlite3.Statement;
  update: BetterSqlite3.Statement;
  updateKeepNote: BetterSqlite3.Statement;
}

const cached = new WeakMap<BetterSqlite3.Database, SqliteStatements>();

function sqliteStatements(sqlite: BetterSqlite3.Database): SqliteStatements {
  let s = cached.get(sqlite);
  if (!s) {
    const update = (note: string) =>
      sqlite.prepare(
        `UPDATE tasks SET title = @title, unit_id = @unitId, assigned_by = @assignedBy, assigned_by_key = @key, source_doc = @sourceDoc,
           assigned_at = @assignedAt, deadline = @deadline,
           effective_deadline = max(@deadline, coalesce((SELECT max(new_deadline) FROM extensions e
                                                  WHERE e.task_id = tasks.id AND e.status = 'approved'), @deadline)),
           completed_at = coalesce(@completedAt, completed_at),
           note = ${note},
           updated_at = @now
         WHERE code = @code`,
      );
    s = {
      // A plain insert is about twice as fast as an upsert; a code already on record
      // (changes === 0) is updated instead. Rows are validated, so nothing else is ignored.
      insert: sqlite.prepare(
        `INSERT OR IGNORE INTO tasks (code, title, unit_id, assigned_by, assigned_by_key, source_doc, assigned_at, deadline,
                                      effective_deadline, completed_at, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: update('@note'),
      updateKeepNote: update('note'),
    };
    cached.set(sqlite, s);
  }
  return s;
}

function writeSqlite(sqlite: BetterSqlite3.Database, c: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): number {
  const { insert, update: upd, updateKeepNote } = sqliteStatements(sqlite);
  const update = opts.hasNote ? upd : updateKeepNote;
  const { now } = opts;
  let inserted = 0;
  for (let i = 0; i < order.length; i++) {
    const j = order[i];
    const done = c.completedAt[j];
    const completedAt = Number.isNaN(done) ? null : done;
    const deadline = c.deadline[j];
    const key = c.assignedByKey[j];
    const r = insert.run(c.code[j], c.title[j], c.unitId[j], c.assignedBy[j], key, c.sourceDoc[j], c.assignedAt[j], deadline, deadline, completedAt, c.note[j], now, now);
    if (r.changes === 1) inserted++;
    else {
      const params: Record<string, unknown> = {
        code: c.code[j],
        title: c.title[j],
        unitId: c.unitId[j],
        assignedBy: c.assignedBy[j],
        key,
        sourceDoc: c.sourceDoc[j],
        assignedAt: c.assignedAt[j],
        deadline,
        completedAt,
        now,
      };
      if (opts.hasNote) params.note = c.note[j];
      update.run(params);
    }
    if (i % 10_000 === 0) opts.onProgress?.(i, c.length);
  }
  return inserted;
}

/**
 * PostgreSQL: one INSERT … SELECT FROM unnest(arrays) … ON CONFLICT per batch, a column per bound
 * parameter. Raw SQL because the builder cannot say unnest, and its multi-row VALUES spends
 * more time building the statement than the server spends running it (~60 µs a row).
 */
async function writePg(tx: Db, c: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): Promise<number> {
  const { tasks, extensions } = tx.t;
  const step = 5_000;
  const col = (name: string) => sql.identifier(name);
  const latest = sql`max(${extensions.newDeadline})`;
  const set: SQL[] = [tasks.title, tasks.unitId, tasks.assignedBy, tasks.assignedByKey, tasks.sourceDoc, tasks.assignedAt, tasks.deadline, tasks.updatedAt].map(
    (k) => sql`${col(k.name)} = ${excluded(k)}`,
  );
  // The latest approved extension, if later than the sheet's deadline, stays the effective one;
  // an empty completion cell keeps a completion reported in the chat.
  set.push(
    sql`${col(tasks.effectiveDeadline.name)} = (SELECT CASE WHEN ${latest} > ${excluded(tasks.deadline)} THEN ${latest} ELSE ${excluded(tasks.deadline)} END
          FROM ${extensions} WHERE ${extensions.taskId} = ${tasks.id} AND ${extensions.status} = 'approved')`,
    sql`${col(tasks.completedAt.name)} = coalesce(${excluded(tasks.completedAt)}, ${tasks.completedAt})`,
  );
  if (opts.hasNote) set.push(sql`${col(tasks.note.name)} = ${excluded(tasks.note)}`);
  const into = [
    tasks.code,
    tasks.title,
    tasks.unitId,
    tasks.assignedBy,
    tasks.assignedByKey,
    tasks.sourceDoc,
    tasks.assignedAt,
    tasks.deadline,
    tasks.effectiveDeadline,
    tasks.completedAt,
    tasks.note,
    tasks.createdAt,
    tasks.updatedAt,
  ].map((k) => col(k.name));
  let inserted = 0;
  for (let i = 0; i < order.length; i += step) {
    const n = Math.min(order.length, i + step) - i;
    const code = new Array<string>(n);
    const title = new Array<string>(n);
    const unitId = new Array<number>(n);
    const assignedBy = new Array<string>(n);
    const key = new Array<string>(n);
    const sourceDoc = new Array<string>(n);
    const assignedAt = new Array<number>(n);
    const deadline = new Array<number>(n);
    const completedAt = new Array<number | null>(n);
    const note = new Array<string | null>(n);
    for (let k = 0; k < n; k++) {
      const j = order[i + k];
      code[k] = c.code[j];
      title[k] = c.title[j];
      unitId[k] = c.unitId[j];
      assignedBy[k] = c.assignedBy[j];
      key[k] = c.assignedByKey[j];
      sourceDoc[k] = c.sourceDoc[j];
      assignedAt[k] = c.assignedAt[j];
      deadline[k] = c.deadline[j];
      completedAt[k] = Number.isNaN(c.completedAt[j]) ? null : c.completedAt[j];
      note[k] = c.note[j];
    }
    const now = sql`CAST(${opts.now} AS bigint)`;
    // xmax = 0 marks a row this statement inserted rather than updated (PostgreSQL's own mark).
    const [r] = await tx.all<{ n: number }>(sql`
      WITH written AS (
        INSERT INTO ${tasks} (${sql.join(into, sql`, `)})
        SELECT u.code, u.title, u.unit_id, u.assigned_by, u.key, u.source_doc, u.assigned_at, u.deadline, u.deadline, u.completed_at, u.note, ${now}, ${now}
        FROM unnest(${sql.param(code)}::text[], ${sql.param(title)}::text[], ${sql.param(unitId)}::integer[], ${sql.param(assignedBy)}::text[],
                    ${sql.param(key)}::text[], ${sql.param(sourceDoc)}::text[], ${sql.param(assignedAt)}::bigint[], ${sql.param(deadline)}::bigint[],
                    ${sql.param(completedAt)}::bigint[], ${sql.param(note)}::text[])
             AS u(code, title, unit_id, assigned_by, key, source_doc, assigned_at, deadline, completed_at, note)
        ON CONFLICT (${col(tasks.code.name)}) DO UPDATE SET ${sql.join(set, sql`, `)}
        RETURNING (xmax = 0) AS fresh
      )
      SELECT count(*) FILTER (WHERE fresh) AS n FROM written`);
    inserted += r.n;
    opts.onProgress?.(i, c.length);
  }
  return inserted;
}
