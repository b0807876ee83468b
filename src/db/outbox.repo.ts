// The outbox (every scheduled message, under a unique key), the log of reminders
// already planned into it, and the scheduler's small state in `meta`.
import { and, asc, count, desc, eq, getTableName, gt, inArray, isNull, lte, min, ne, or, sql, type Column, type Table } from 'drizzle-orm';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './db.ts';
import type { Channel } from './schema.ts';

export interface NewOutboxRow {
  key: string;
  channel: Channel;
  chatId: string;
  kind: string;
  text: string;
  payload?: string | null;
  createdAt: number;
  notBefore: number;
}

/** Inserts a message unless its key exists; true when it was new. */
export async function enqueue(db: Db, row: NewOutboxRow): Promise<boolean> {
  const { outbox } = db.t;
  const r = await db.orm
    .insert(outbox)
    .values({ ...row, payload: row.payload ?? null, status: 'pending', attempts: 0 })
    .onConflictDoNothing({ target: outbox.key })
    .returning({ id: outbox.id });
  return r.length === 1;
}

export async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const { meta } = db.t;
  const [row] = await db.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, key));
  return row?.value;
}

export async function setMeta(db: Db, key: string, value: string): Promise<void> {
  const { meta } = db.t;
  await db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}

export interface OutboxRow {
  id: number;
  key: string;
  channel: Channel;
  chatId: string;
  kind: string;
  text: string;
  payload: string | null;
  notBefore: number;
  attempts: number;
}

/**
 * The oldest pending message of each chat that may go now (at most one per chat:
 * chats have their own rate). A message another drain has claimed still counts
 * as its chat's oldest, so that chat waits rather than skipping ahead of it.
 */
export async function pendingDue(db: Db, channels: Channel[], now: number, limit: number): Promise<OutboxRow[]> {
  if (channels.length === 0) return [];
  const { outbox } = db.t;
  const firsts = db.orm
    .select({ id: min(outbox.id) })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), lte(outbox.notBefore, now), inArray(outbox.channel, channels)))
    .groupBy(outbox.channel, outbox.chatId);
  return db.orm
    .select({
      id: outbox.id,
      key: outbox.key,
      channel: outbox.channel,
      chatId: outbox.chatId,
      kind: outbox.kind,
      text: outbox.text,
      payload: outbox.payload,
      notBefore: outbox.notBefore,
      attempts: outbox.attempts,
    })
    .from(outbox)
    .where(inArray(outbox.id, firsts))
    .orderBy(asc(outbox.notBefore), asc(outbox.id))
    .limit(limit);
}

/**
 * Takes a pending message for one drain until `until`: true when this drain may send it.
 * False when it was sent, failed, or is held by another drain whose claim has not run out.
 * A claim that ran out (its drain died mid-send) can be taken again: that one message may repeat.
 */
export async function claim(db: Db, id: number, holder: string, now: number, until: number): Promise<boolean> {
  const { outbox } = db.t;
  const r = await db.orm
    .update(outbox)
    .set({ claimedBy: holder, claimedUntil: until })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), or(isNull(outbox.claimedUntil), lte(outbox.claimedUntil, now), eq(outbox.claimedBy, holder))))
    .returning({ id: outbox.id });
  return r.length === 1;
}

/** The earliest not_before after `after` among pending messages of the given channels, if any. */
export async function nextPendingAt(db: Db, channels: Channel[], after: number): Promise<number | undefined> {
  if (channels.length === 0) return undefined;
  const { outbox } = db.t;
  const [row] = await db.orm
    .select({ t: min(outbox.notBefore) })
    .from(outbox)
    .where(and(eq(outbox.status, 'pending'), gt(outbox.notBefore, after), inArray(outbox.channel, channels)));
  return row?.t ?? undefined;
}

/** Marks a claimed message sent. False when the claim was lost (it ran out and another drain took the message). */
export async function markSent(db: Db, id: number, at: number, holder?: string): Promise<boolean> {
  const { outbox } = db.t;
  const r = await db.orm
    .update(outbox)
    .set({ status: 'sent', sentAt: at, attempts: sql`${outbox.attempts} + 1`, lastError: null, claimedBy: null, claimedUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, 'pending'), holder === undefined ? undefined : or(isNull(outbox.claimedBy), eq(outbox.claimedBy, holder))))
    .returning({ id: outbox.id });
  return r.length === 1;
}

/** Puts a message back for later; `countAttempt` is false for a rate-limit wait, which is not the message's fault. */
export async function markRetry(db: Db, id: number, notBefore: number, reason: string, countAttempt: boolean): Promise<void> {
  const { outbox } = db.t;
  await db.orm
    .update(outbox)
    .set({ notBefore, lastError: reason, attempts: sql`${outbox.attempts} + ${countAttempt ? 1 : 0}`, claimedBy: null, claimedUntil: null })
    .where(eq(outbox.id, id));
}

export async function markFailed(db: Db, id: number, reason: string): Promise<void> {
  const { outbox } = db.t;
  await db.orm
    .update(outbox)
    .set({ status: 'failed', lastError: reason, attempts: sql`${outbox.attempts} + 1`, claimedBy: null, claimedUntil: null })
    .where(eq(outbox.id, id));
}

/** Moves every pending message of a chat to another chat id (a Telegram group that became a supergroup). */
export async function moveChatPending(db: Db, channel: Channel, from: string, to: string): Promise<void> {
  const { outbox } = db.t;
  await db.orm
    .update(outbox)
    .set({ chatId: to, claimedBy: null, claimedUntil: null })
    .where(and(eq(outbox.channel, channel), eq(outbox.chatId, from), eq(outbox.status, 'pending')));
}

/** Fails every pending message of a chat with the reason (the bot was removed from it). */
export async function failChatPending(db: Db, channel: Channel, chatId: string, reason: string): Promise<number> {
  const { outbox } = db.t;
  const r = await db.orm
    .update(outbox)
    .set({ status: 'failed', lastError: reason, claimedBy: null, claimedUntil: null })
    .where(and(eq(outbox.channel, channel), eq(outbox.chatId, chatId), eq(outbox.status, 'pending')))
    .returning({ id: outbox.id });
  return r.length;
}

export async function countByStatus(db: Db): Promise<{ status: string; n: number }[]> {
  const { outbox } = db.t;
  return db.orm.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status).orderBy(asc(outbox.status));
}

export interface FailedRow {
  id: number;
  key: string;
  channel: Channel;
  chatId: string;
  kind: string;
  attempts: number;
  lastError: string | null;
  createdAt: number;
}

export async function failedMessages(db: Db, limit: number): Promise<FailedRow[]> {
  const { outbox } = db.t;
  return db.orm
    .select({
      id: outbox.id,
      key: outbox.key,
      channel: outbox.channel,
      chatId: outbox.chatId,
      kind: outbox.kind,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      createdAt: outbox.createdAt,
    })
    .from(outbox)
    .where(eq(outbox.status, 'failed'))
    .orderBy(desc(outbox.id))
    .limit(limit);
}

/** Whether a chat is a bound group (groups have a slower rate limit than private chats). */
export async function isBoundGroup(db: Db, channel: Channel, chatId: string): Promise<boolean> {
  const { groupBindings } = db.t;
  const r = await db.orm
    .select({ id: groupBindings.id })
    .from(groupBindings)
    .where(and(eq(groupBindings.channel, channel), eq(groupBindings.chatId, chatId)))
    .limit(1);
  return r.length > 0;
}

/** The name of the unit a group is bound to, for telling the admins it is gone. */
export async function boundUnitName(db: Db, channel: Channel, chatId: string): Promise<string | null> {
  const { groupBindings, units } = db.t;
  const [row] = await db.orm
    .select({ name: units.name })
    .from(groupBindings)
    .leftJoin(units, eq(units.id, groupBindings.unitId))
    .where(and(eq(groupBindings.channel, channel), eq(groupBindings.chatId, chatId)))
    .limit(1);
  return row?.name ?? null;
}

/** Binding state changes the sender makes when a chat is gone or has moved. */
export async function markBindingBroken(db: Db, channel: Channel, chatId: string): Promise<boolean> {
  const { groupBindings } = db.t;
  const r = await db.orm
    .update(groupBindings)
    .set({ status: 'broken' })
    .where(and(eq(groupBindings.channel, channel), eq(groupBindings.chatId, chatId), ne(groupBindings.status, 'broken')))
    .returning({ id: groupBindings.id });
  return r.length > 0;
}

/** Moves a binding to the chat's new id, unless that id is bound already (then the old binding stays as it was). */
export async function moveBinding(db: Db, channel: Channel, from: string, to: string): Promise<void> {
  const { groupBindings } = db.t;
  const taken = await db.orm
    .select({ id: groupBindings.id })
    .from(groupBindings)
    .where(and(eq(groupBindings.channel, channel), eq(groupBindings.chatId, to)))
    .limit(1);
  if (taken.length > 0) return;
  await db.orm
    .update(groupBindings)
    .set({ chatId: to })
    .where(and(eq(groupBindings.channel, channel), eq(groupBindings.chatId, from)));
}

type Cell = string | number | null;

/** Rows per statement of the bulk inserts: on SQLite × columns (≤ 10) stays far under its 32,766 bind parameters. */
const SQLITE_ROWS = 1000;
/** The compiled full-batch statements of each SQLite connection. */
const bulkStatements = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();
/** On PostgreSQL each column is ONE array parameter, whatever the rows: this only bounds a statement's size. */
const PG_ROWS = 5000;

/**
 * Inserts rows (values in the order of `cols`, whose first is the table's unique `key`)
 * unless their key exists, in the rows' order; returns the keys that were new.
 *
 * A bulk path, one form per engine (a tick writes some 10,000 rows at once, and drizzle's
 * builder spends several times longer building a 1,000-row INSERT than the engine running it):
 * SQLite: a prepared multi-row INSERT … ON CONFLICT DO NOTHING RETURNING on the transaction's
 * own connection (better-sqlite3 has one; the transaction holds it). PostgreSQL: each column
 * as one array parameter through unnest, WITH ORDINALITY so ids follow the rows' order.
 */
async function insertNewKeys(db: Db, table: Table, cols: Column[], rows: readonly Cell[][]): Promise<Set<string>> {
  const fresh = new Set<string>();
  if (rows.length === 0) return fresh;
  if (!db.inTx) return db.tx((tx) => insertNewKeys(tx, table, cols, rows));
  const key = cols[0].name;
  const native = db.native;
  if (native.engine === 'sqlite') {
    const head = `INSERT INTO "${getTableName(table)}" (${cols.map((c) => `"${c.name}"`).join(', ')}) VALUES `;
    const tuple = `(${cols.map(() => '?').join(', ')})`;
    for (let i = 0; i < rows.length; i += SQLITE_ROWS) {
      const part = rows.slice(i, i + SQLITE_ROWS);
      const text = `${head}${Array(part.length).fill(tuple).join(', ')} ON CONFLICT ("${key}") DO NOTHING RETURNING "${key}"`;
      let stmts = bulkStatements.get(native.sqlite);
      if (!stmts) bulkStatements.set(native.sqlite, (stmts = new Map()));
      let stmt = stmts.get(text);
      if (!stmt) {
        stmt = native.sqlite.prepare(text).pluck();
        // Full batches recur every tick; a last, shorter batch's text is compiled for that call only.
        if (part.length === SQLITE_ROWS) stmts.set(text, stmt);
      }
      for (const k of stmt.all(part.flat())) fresh.add(String(k));
    }
    return fresh;
  }
  const names = sql.join(
    cols.map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  for (let i = 0; i < rows.length; i += PG_ROWS) {
    const part = rows.slice(i, i + PG_ROWS);
    const arrays = cols.map((c, j) => sql`${sql.param(part.map((r) => r[j]))}::${sql.raw(c.getSQLType())}[]`);
    const out = await db.all<{ key: string }>(
      sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM unnest(${sql.join(arrays, sql`, `)}) WITH ORDINALITY AS u(${names}, ord) ORDER BY ord ON CONFLICT (${sql.identifier(key)}) DO NOTHING RETURNING ${sql.identifier(key)} AS key`,
    );
    for (const r of out) fresh.add(r.key);
  }
  return fresh;
}

/** enqueue() for many messages, inserted in their order: the keys that were new. */
export async function enqueueMany(db: Db, rows: readonly NewOutboxRow[]): Promise<Set<string>> {
  const { outbox: o } = db.t;
  return insertNewKeys(
    db,
    o,
    [o.key, o.channel, o.chatId, o.kind, o.text, o.payload, o.createdAt, o.notBefore, o.status, o.attempts],
    rows.map((r) => [r.key, r.channel, r.chatId, r.kind, r.text, r.payload ?? null, r.createdAt, r.notBefore, 'pending', 0]),
  );
}

/**
 * Records planned reminders (task, kind, planned instant): the keys that were not recorded before. Written in key
 * order, so that two ticks at once take the keys' locks in the same order (no deadlock).
 */
export async function logRemindersMany(
  db: Db,
  rows: readonly { key: string; taskId: number; kind: string; dueAt: number; createdAt: number }[],
): Promise<Set<string>> {
  const { reminderLog: l } = db.t;
  return insertNewKeys(
    db,
    l,
    [l.key, l.taskId, l.kind, l.dueAt, l.createdAt],
    [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => [r.key, r.taskId, r.kind, r.dueAt, r.createdAt]),
  );
}
