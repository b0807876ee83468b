// The tasks import's writes: a province's sheet is hundreds of thousands of rows, so each
// engine gets its fastest path (see writeImportedTasks), both inside the caller's transaction.
import { eq, getTableName, sql, type SQL } from 'drizzle-orm';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './db.ts';
import { excluded } from './import.repo.ts';

/** The checked rows, column by column (see tasks.import.ts); a deadline or a completion date left empty is NaN. */
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
  /** The sheet's `Cần xác nhận`, or the configured default for the issuing body. */
  readonly needsConfirmation: readonly boolean[];
  /** The officer the task is handed to (`Người thực hiện`); null: none. */
  readonly assigneeId: readonly (number | null)[];
}

export interface WriteTasksOptions {
  now: number;
  /** False when the sheet has no note column: notes on record are kept. */
  hasNote: boolean;
  /** False when the sheet has no `Cần xác nhận` column: tasks on record keep theirs, new ones get the default. */
  hasConfirmation?: boolean;
  /** False when the sheet has no `Người thực hiện` column: tasks on record keep their assignee. */
  hasAssignee?: boolean;
  /** Rows per COPY chunk on a PostgreSQL server (default 50,000; tests use fewer). */
  chunk?: number;
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
  // (~100k rows/s); PostgreSQL: COPY on the transaction's own connection (writePg).
  return tx.native.engine === 'sqlite' ? writeSqlite(tx.native.sqlite, rows, order, opts) : writePg(tx, rows, order, opts);
}

interface SqliteStatements {
  insert: BetterSqlite3.Statement;
  /** The UPDATE per set of optional columns the sheet has (those it lacks are kept). */
  updates: Map<string, BetterSqlite3.Statement>;
}

const cached = new WeakMap<BetterSqlite3.Database, SqliteStatements>();

function sqliteStatements(sqlite: BetterSqlite3.Database): SqliteStatements {
  let s = cached.get(sqlite);
  if (!s) {
    s = {
      // A plain insert is about twice as fast as an upsert; a code already on record
      // (changes === 0) is updated instead. Rows are validated, so nothing else is ignored.
      insert: sqlite.prepare(
        `INSERT OR IGNORE INTO tasks (code, title, unit_id, assigned_by, assigned_by_key, source_doc, assigned_at, deadline,
                                      effective_deadline, completed_at, note, needs_confirmation, assignee_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updates: new Map(),
    };
    cached.set(sqlite, s);
  }
  return s;
}

function sqliteUpdate(sqlite: BetterSqlite3.Database, opts: WriteTasksOptions): BetterSqlite3.Statement {
  const { updates } = sqliteStatements(sqlite);
  const key = `${+opts.hasNote}${+!!opts.hasConfirmation}${+!!opts.hasAssignee}`;
  let u = updates.get(key);
  if (!u) {
    u = sqlite.prepare(
      `UPDATE tasks SET title = @title, unit_id = @unitId, assigned_by = @assignedBy, assigned_by_key = @key, source_doc = @sourceDoc,
         assigned_at = @assignedAt, deadline = @deadline,
         effective_deadline = max(@deadline, coalesce((SELECT max(new_deadline) FROM extensions e
                                                WHERE e.task_id = tasks.id AND e.status = 'approved'), @deadline)),
         completed_at = coalesce(@completedAt, completed_at),
         ${opts.hasNote ? 'note = @note,' : ''}
         ${opts.hasConfirmation ? 'needs_confirmation = @needsConfirmation,' : ''}
         ${opts.hasAssignee ? 'assignee_id = @assigneeId,' : ''}
         updated_at = @now
       WHERE code = @code`,
    );
    updates.set(key, u);
  }
  return u;
}

function writeSqlite(sqlite: BetterSqlite3.Database, c: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): number {
  const { insert } = sqliteStatements(sqlite);
  const update = sqliteUpdate(sqlite, opts);
  const { now } = opts;
  let inserted = 0;
  for (let i = 0; i < order.length; i++) {
    const j = order[i];
    const done = c.completedAt[j];
    const completedAt = Number.isNaN(done) ? null : done;
    const deadline = Number.isNaN(c.deadline[j]) ? null : c.deadline[j];
    const key = c.assignedByKey[j];
    const needsConfirmation = c.needsConfirmation[j] ? 1 : 0;
    const r = insert.run(
      c.code[j], c.title[j], c.unitId[j], c.assignedBy[j], key, c.sourceDoc[j], c.assignedAt[j], deadline, deadline, completedAt, c.note[j],
      needsConfirmation, c.assigneeId[j], now, now,
    );
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
      if (opts.hasConfirmation) params.needsConfirmation = needsConfirmation;
      if (opts.hasAssignee) params.assigneeId = c.assigneeId[j];
      update.run(params);
    }
    if (i % 10_000 === 0) opts.onProgress?.(i, c.length);
  }
  return inserted;
}

/** The upsert's target columns and its ON CONFLICT (code) DO UPDATE clauses, the same for both PostgreSQL paths. */
function upsertParts(tx: Db, opts: WriteTasksOptions): { into: SQL; set: SQL; names: string } {
  const { tasks, extensions } = tx.t;
  const col = (name: string) => sql.identifier(name);
  const latest = sql`max(${extensions.newDeadline})`;
  const set: SQL[] = [tasks.title, tasks.unitId, tasks.assignedBy, tasks.assignedByKey, tasks.sourceDoc, tasks.assignedAt, tasks.deadline, tasks.updatedAt].map(
    (k) => sql`${col(k.name)} = ${excluded(k)}`,
  );
  // The latest approved extension, if later than the sheet's deadline, stays the effective one
  // (a sheet without a deadline leaves none: the comparison with NULL falls to the ELSE);
  // an empty completion cell keeps a completion reported in the chat.
  set.push(
    sql`${col(tasks.effectiveDeadline.name)} = (SELECT CASE WHEN ${latest} > ${excluded(tasks.deadline)} THEN ${latest} ELSE ${excluded(tasks.deadline)} END
          FROM ${extensions} WHERE ${extensions.taskId} = ${tasks.id} AND ${extensions.status} = 'approved')`,
    sql`${col(tasks.completedAt.name)} = coalesce(${excluded(tasks.completedAt)}, ${tasks.completedAt})`,
  );
  for (const [has, k] of [
    [opts.hasNote, tasks.note],
    [opts.hasConfirmation, tasks.needsConfirmation],
    [opts.hasAssignee, tasks.assigneeId],
  ] as const) {
    if (has) set.push(sql`${col(k.name)} = ${excluded(k)}`);
  }
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
    tasks.needsConfirmation,
    tasks.assigneeId,
    tasks.createdAt,
    tasks.updatedAt,
  ].map((k) => k.name);
  return { into: sql.join(into.map(col), sql`, `), set: sql.join(set, sql`, `), names: into.map((k) => `"${k}"`).join(', ') };
}

/**
 * PostgreSQL. On a server (the transaction's native handle has COPY), a chunk at a time: new rows
 * go by COPY straight into tasks (PostgreSQL's fastest load), and rows of codes already on record
 * by COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT moves them into tasks
 * (the update rules). All on the transaction's own connection: a failure anywhere (a bad value,
 * a constraint) rolls the whole import back. PGlite has no COPY from a client stream: there,
 * INSERT … SELECT FROM unnest(arrays).
 */
async function writePg(tx: Db, c: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): Promise<number> {
  const n = tx.native;
  if (n.engine === 'postgres' && n.copyFrom) return writePgCopy(tx, c, order, opts);
  return writePgUnnest(tx, c, order, opts);
}

/** The temporary table the rows of known codes go through: ON COMMIT DROP, and dropped at the end (another import may follow in the same transaction). */
const STAGE = 'nhacviec_import_tasks';

/**
 * Rows per chunk: each statement (a COPY, the upsert) stays well inside the statement timeout,
 * and the temporary table within PostgreSQL's default temp_buffers (8 MB).
 */
const COPY_CHUNK = 50_000;

async function writePgCopy(tx: Db, c: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): Promise<number> {
  const { tasks } = tx.t;
  const step = Math.max(1, opts.chunk ?? COPY_CHUNK);
  const { into, set, names } = upsertParts(tx, opts);
  const stage = sql.identifier(STAGE);
  const copyTasks = `COPY "${getTableName(tasks)}" (${names}) FROM STDIN`;
  let staged = false;
  let inserted = 0;
  // Until a chunk meets a code on record, the next one is tried by COPY straight away: a first
  // import looks nothing up, and a re-import fails its first attempt within its first rows.
  let allNew = true;
  for (let i = 0; i < order.length; i += step) {
    const rows = order.subarray(i, Math.min(order.length, i + step));
    if (allNew && (await copyNewTasks(tx, copyTasks, taskLines(c, rows, opts.now)))) {
      inserted += rows.length;
      opts.onProgress?.(i, c.length);
      continue;
    }
    // Raw SQL: the builder cannot say = ANY(array); one array parameter instead of a parameter per code.
    const codes = Array.from(rows, (j) => c.code[j]);
    const known = new Set(
      (await tx.orm.select({ code: tasks.code }).from(tasks).where(sql`${tasks.code} = ANY(${sql.param(codes)}::text[])`)).map((r) => r.code),
    );
    allNew = known.size === 0;
    let old: Uint32Array = rows.filter((j) => known.has(c.code[j]));
    const fresh = allNew ? rows : rows.filter((j) => !known.has(c.code[j]));
    if (fresh.length > 0) {
      if (await copyNewTasks(tx, copyTasks, taskLines(c, fresh, opts.now))) inserted += fresh.length;
      // A task of one of these codes was created meanwhile: the whole chunk goes through the upsert.
      else old = rows;
    }
    if (old.length > 0) {
      if (staged) await tx.run(sql`TRUNCATE ${stage}`);
      else {
        await tx.run(
          sql`CREATE TEMP TABLE ${stage} (code text, title text, unit_id integer, assigned_by text, assigned_by_key text, source_doc text, assigned_at bigint,
                deadline bigint, effective_deadline bigint, completed_at bigint, note text,
                needs_confirmation boolean, assignee_id integer, created_at bigint, updated_at bigint) ON COMMIT DROP`,
        );
        staged = true;
      }
      await copyInto(tx, `COPY ${STAGE} (${names}) FROM STDIN`, taskLines(c, old, opts.now));
      // xmax = 0 marks a row this statement inserted rather than updated (PostgreSQL's own mark).
      const [r] = await tx.all<{ n: number }>(sql`
        WITH written AS (
          INSERT INTO ${tasks} (${into}) SELECT ${into} FROM ${stage}
          ON CONFLICT (${sql.identifier(tasks.code.name)}) DO UPDATE SET ${set}
          RETURNING (xmax = 0) AS fresh
        )
        SELECT count(*) FILTER (WHERE fresh) AS n FROM written`);
      inserted += r.n;
    }
    opts.onProgress?.(i, c.length);
  }
  if (staged) await tx.run(sql`DROP TABLE ${stage}`);
  return inserted;
}

async function copyInto(tx: Db, copy: string, lines: Iterable<string>): Promise<void> {
  const n = tx.native;
  if (n.engine !== 'postgres' || !n.copyFrom) throw new Error('COPY needs a PostgreSQL server connection');
  await n.copyFrom(copy, lines);
}

/**
 * COPY of rows whose codes are not on record, in a savepoint: if one is after all (another
 * connection created it since the lookup, or the chunk was tried without one), the unique
 * violation undoes the COPY and false is returned.
 */
async function copyNewTasks(tx: Db, copy: string, lines: Iterable<string>): Promise<boolean> {
  try {
    await tx.tx((sp) => copyInto(sp, copy, lines));
    return true;
  } catch (e) {
    if (sqlState(e) === '23505') return false;
    throw e;
  }
}

function sqlState(e: unknown): string | undefined {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

const SPECIAL = /[\\\t\n\r]/;
const SPECIALS = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A text field in COPY's text format: backslash, tab, newline and carriage return escaped. */
function field(s: string): string {
  return SPECIAL.test(s) ? s.replace(SPECIALS, (ch) => ESCAPES[ch]) : s;
}

/**
 * The rows as COPY text in the upsert's column order (tab-separated, \N for null), a string per
 * 1,000 rows, made as COPY reads them: building the text overlaps with the server loading it.
 */
function* taskLines(c: ImportedTasks, rows: Uint32Array, now: number): Generator<string> {
  const stamps = `\t${now}\t${now}\n`;
  let buf = '';
  for (let i = 0; i < rows.length; i++) {
    const j = rows[i];
    const done = c.completedAt[j];
    const note = c.note[j];
    const deadline = Number.isNaN(c.deadline[j]) ? '\\N' : String(c.deadline[j]);
    const assignee = c.assigneeId[j];
    buf += `${field(c.code[j])}\t${field(c.title[j])}\t${c.unitId[j]}\t${field(c.assignedBy[j])}\t${field(c.assignedByKey[j])}\t${field(c.sourceDoc[j])}\t${c.assignedAt[j]}\t${deadline}\t${deadline}\t${Number.isNaN(done) ? '\\N' : done}\t${note === null ? '\\N' : field(note)}\t${c.needsConfirmation[j] ? 't' : 'f'}\t${assignee === null ? '\\N' : assignee}${stamps}`;
    if (i % 1000 === 999) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/**
 * PGlite (and any handle without COPY): one INSERT … SELECT FROM unnest(arrays) … ON CONFLICT per batch,
 * a column per bound parameter. Raw SQL because the builder cannot say unnest, and its multi-row VALUES
 * spends more time building the statement than the server spends running it (~60 µs a row).
 */
async function writePgUnnest(tx: Db, c: ImportedTasks, order: Uint32Array, opts: WriteTasksOptions): Promise<number> {
  const { tasks } = tx.t;
  const step = 5_000;
  const { into, set } = upsertParts(tx, opts);
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
    const deadline = new Array<number | null>(n);
    const completedAt = new Array<number | null>(n);
    const note = new Array<string | null>(n);
    const confirm = new Array<boolean>(n);
    const assignee = new Array<number | null>(n);
    for (let k = 0; k < n; k++) {
      const j = order[i + k];
      code[k] = c.code[j];
      title[k] = c.title[j];
      unitId[k] = c.unitId[j];
      assignedBy[k] = c.assignedBy[j];
      key[k] = c.assignedByKey[j];
      sourceDoc[k] = c.sourceDoc[j];
      assignedAt[k] = c.assignedAt[j];
      deadline[k] = Number.isNaN(c.deadline[j]) ? null : c.deadline[j];
      completedAt[k] = Number.isNaN(c.completedAt[j]) ? null : c.completedAt[j];
      note[k] = c.note[j];
      confirm[k] = c.needsConfirmation[j];
      assignee[k] = c.assigneeId[j];
    }
    const now = sql`CAST(${opts.now} AS bigint)`;
    // xmax = 0 marks a row this statement inserted rather than updated (PostgreSQL's own mark).
    const [r] = await tx.all<{ n: number }>(sql`
      WITH written AS (
        INSERT INTO ${tasks} (${into})
        SELECT u.code, u.title, u.unit_id, u.assigned_by, u.key, u.source_doc, u.assigned_at, u.deadline, u.deadline, u.completed_at, u.note, u.confirm, u.assignee, ${now}, ${now}
        FROM unnest(${sql.param(code)}::text[], ${sql.param(title)}::text[], ${sql.param(unitId)}::integer[], ${sql.param(assignedBy)}::text[],
                    ${sql.param(key)}::text[], ${sql.param(sourceDoc)}::text[], ${sql.param(assignedAt)}::bigint[], ${sql.param(deadline)}::bigint[],
                    ${sql.param(completedAt)}::bigint[], ${sql.param(note)}::text[], ${sql.param(confirm)}::boolean[], ${sql.param(assignee)}::integer[])
             AS u(code, title, unit_id, assigned_by, key, source_doc, assigned_at, deadline, completed_at, note, confirm, assignee)
        ON CONFLICT (${sql.identifier(tasks.code.name)}) DO UPDATE SET ${set}
        RETURNING (xmax = 0) AS fresh
      )
      SELECT count(*) FILTER (WHERE fresh) AS n FROM written`);
    inserted += r.n;
    opts.onProgress?.(i, c.length);
  }
  return inserted;
}

/**
 * Sets the co-operating units (`Đơn vị phối hợp`) of the tasks of `codes`, replacing those on
 * record (an empty list clears them); `units[i]` belongs to `codes[i]`. Call inside db.tx,
 * after the tasks are written: the task ids are looked up by code.
 */
export async function replaceTaskCooperators(tx: Db, codes: readonly string[], units: readonly (readonly number[])[]): Promise<void> {
  if (!tx.inTx) throw new Error('replaceTaskCooperators: call inside db.tx');
  const n = tx.native;
  if (n.engine === 'sqlite') {
    const idOf = n.sqlite.prepare('SELECT id FROM tasks WHERE code = ?').pluck();
    const clear = n.sqlite.prepare('DELETE FROM task_cooperators WHERE task_id = ?');
    const add = n.sqlite.prepare('INSERT INTO task_cooperators (task_id, unit_id) VALUES (?, ?)');
    for (let i = 0; i < codes.length; i++) {
      const id = idOf.get(codes[i]) as number | undefined;
      if (id === undefined) throw new Error(`replaceTaskCooperators: task ${codes[i]} is not on record`);
      clear.run(id);
      for (const u of units[i]) add.run(id, u);
    }
    return;
  }
  const { tasks, taskCooperators } = tx.t;
  const step = 10_000;
  for (let i = 0; i < codes.length; i += step) {
    const chunk = codes.slice(i, i + step);
    await tx.run(sql`DELETE FROM ${taskCooperators} WHERE ${taskCooperators.taskId} IN
                       (SELECT ${tasks.id} FROM ${tasks} WHERE ${tasks.code} = ANY(${sql.param(chunk)}::text[]))`);
    const pairCodes: string[] = [];
    const pairUnits: number[] = [];
    for (let k = i; k < i + chunk.length; k++) {
      for (const u of units[k]) {
        pairCodes.push(codes[k]);
        pairUnits.push(u);
      }
    }
    if (pairCodes.length === 0) continue;
    await tx.run(sql`INSERT INTO ${taskCooperators} (${sql.identifier(taskCooperators.taskId.name)}, ${sql.identifier(taskCooperators.unitId.name)})
                     SELECT t.id, u.unit_id FROM unnest(${sql.param(pairCodes)}::text[], ${sql.param(pairUnits)}::integer[]) AS u(code, unit_id)
                     JOIN ${tasks} t ON t.code = u.code`);
  }
}
