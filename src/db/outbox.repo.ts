// The outbox (every scheduled message, under a unique key), the log of reminders
// already planned into it, and the scheduler's small state in `meta`.
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';
import { stmt } from './statements.ts';

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
export function enqueue(db: Db, row: NewOutboxRow): boolean {
  return (
    stmt(
      db,
      `INSERT OR IGNORE INTO outbox (key, channel, chat_id, kind, text, payload, created_at, not_before, status, attempts)
       VALUES (@key, @channel, @chatId, @kind, @text, @payload, @createdAt, @notBefore, 'pending', 0)`,
    ).run({ ...row, payload: row.payload ?? null }).changes === 1
  );
}

/** Records a planned reminder (task, kind, planned instant); true when it was not recorded before. */
export function logReminder(db: Db, r: { key: string; taskId: number; kind: string; dueAt: number; createdAt: number }): boolean {
  return (
    stmt(db, 'INSERT OR IGNORE INTO reminder_log (key, task_id, kind, due_at, created_at) VALUES (@key, @taskId, @kind, @dueAt, @createdAt)').run(r)
      .changes === 1
  );
}

export function getMeta(db: Db, key: string): string | undefined {
  return (stmt(db, 'SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  stmt(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
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

const ROW = `id, key, channel, chat_id AS chatId, kind, text, payload, not_before AS notBefore, attempts`;

/** The oldest pending message of each chat that may go now (at most one per chat: chats have their own rate). */
export function pendingDue(db: Db, channels: Channel[], now: number, limit: number): OutboxRow[] {
  if (channels.length === 0) return [];
  const list = channels.map(() => '?').join(',');
  return stmt(
    db,
    `SELECT ${ROW} FROM outbox WHERE id IN (
       SELECT min(id) FROM outbox WHERE status = 'pending' AND not_before <= ? AND channel IN (${list}) GROUP BY channel, chat_id)
     ORDER BY not_before, id LIMIT ?`,
  ).all(now, ...channels, limit) as OutboxRow[];
}

/** The earliest not_before after `after` among pending messages of the given channels, if any. */
export function nextPendingAt(db: Db, channels: Channel[], after: number): number | undefined {
  if (channels.length === 0) return undefined;
  const list = channels.map(() => '?').join(',');
  const row = stmt(db, `SELECT min(not_before) AS t FROM outbox WHERE status = 'pending' AND not_before > ? AND channel IN (${list})`).get(after, ...channels) as {
    t: number | null;
  };
  return row.t ?? undefined;
}

export function markSent(db: Db, id: number, at: number): void {
  stmt(db, `UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(at, id);
}

/** Puts a message back for later; `countAttempt` is false for a rate-limit wait, which is not the message's fault. */
export function markRetry(db: Db, id: number, notBefore: number, reason: string, countAttempt: boolean): void {
  stmt(db, `UPDATE outbox SET not_before = ?, last_error = ?, attempts = attempts + ? WHERE id = ?`).run(notBefore, reason, countAttempt ? 1 : 0, id);
}

export function markFailed(db: Db, id: number, reason: string): void {
  stmt(db, `UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?`).run(reason, id);
}

/** Moves every pending message of a chat to another chat id (a Telegram group that became a supergroup). */
export function moveChatPending(db: Db, channel: Channel, from: string, to: string): void {
  stmt(db, `UPDATE outbox SET chat_id = ? WHERE channel = ? AND chat_id = ? AND status = 'pending'`).run(to, channel, from);
}

/** Fails every pending message of a chat with the reason (the bot was removed from it). */
export function failChatPending(db: Db, channel: Channel, chatId: string, reason: string): number {
  return stmt(db, `UPDATE outbox SET status = 'failed', last_error = ? WHERE channel = ? AND chat_id = ? AND status = 'pending'`).run(
    reason,
    channel,
    chatId,
  ).changes;
}

export function countByStatus(db: Db): { status: string; n: number }[] {
  return stmt(db, 'SELECT status, count(*) AS n FROM outbox GROUP BY status ORDER BY status').all() as { status: string; n: number }[];
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

export function failedMessages(db: Db, limit: number): FailedRow[] {
  return stmt(
    db,
    `SELECT id, key, channel, chat_id AS chatId, kind, attempts, last_error AS lastError, created_at AS createdAt
     FROM outbox WHERE status = 'failed' ORDER BY id DESC LIMIT ?`,
  ).all(limit) as FailedRow[];
}

/** Binding state changes the sender makes when a chat is gone or has moved. */
export function markBindingBroken(db: Db, channel: Channel, chatId: string): boolean {
  return stmt(db, `UPDATE group_bindings SET status = 'broken' WHERE channel = ? AND chat_id = ? AND status <> 'broken'`).run(channel, chatId).changes > 0;
}

export function moveBinding(db: Db, channel: Channel, from: string, to: string): void {
  stmt(db, `UPDATE OR IGNORE group_bindings SET chat_id = ? WHERE channel = ? AND chat_id = ?`).run(to, channel, from);
}
