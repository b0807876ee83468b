// What the crash proof reads from the database file, opened read-only so that
// looking never changes what the next process finds (no recovery, no checkpoint).
import fs from 'node:fs';
import Database from 'better-sqlite3';

function openReadOnly(file: string): Database.Database | null {
  if (!fs.existsSync(file)) return null;
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** Rows of `PRAGMA integrity_check` other than 'ok', plus rows of `PRAGMA foreign_key_check`. */
export function integrityErrors(db: Database.Database): number {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const bad = rows.filter((r) => r.integrity_check !== 'ok').length;
  return bad + (db.pragma('foreign_key_check') as unknown[]).length;
}

export interface FileCheck {
  /** Acknowledged completion codes whose task is not completed in the file. */
  missing: string[];
  integrityErrors: number;
}

/** After a kill (or at the end): are the acknowledged completions in the file, and is the file sound? */
export function checkFile(file: string, acked: Iterable<string>): FileCheck {
  const db = openReadOnly(file);
  if (!db) return { missing: [], integrityErrors: 0 };
  try {
    const open = new Set((db.prepare("SELECT code FROM tasks WHERE completed_at IS NULL AND code LIKE 'DN-%'").all() as { code: string }[]).map((r) => r.code));
    return { missing: [...acked].filter((c) => open.has(c)), integrityErrors: integrityErrors(db) };
  } finally {
    db.close();
  }
}

export interface ReminderTask {
  code: string;
  /** The one instant its reminder is planned for (see office.ts). */
  at: number;
  /** Telegram group bound to its unit. */
  chatId: string;
}

/** The RM tasks as stored, with the group their reminder goes to. */
export function reminderTasks(file: string): ReminderTask[] {
  const db = openReadOnly(file);
  if (!db) return [];
  try {
    return db
      .prepare(
        `SELECT t.code, t.effective_deadline AS at, b.chat_id AS chatId FROM tasks t
         JOIN group_bindings b ON b.unit_id = t.unit_id AND b.channel = 'telegram'
         WHERE t.code LIKE 'RM-%' AND t.completed_at IS NULL`,
      )
      .all() as ReminderTask[];
  } finally {
    db.close();
  }
}

/** Outbox rows still waiting (neither sent nor failed), and rows that failed. */
export function outboxState(file: string): { pending: number; failed: number } {
  const db = openReadOnly(file);
  if (!db) return { pending: 0, failed: 0 };
  try {
    const r = db.prepare("SELECT SUM(status = 'pending') AS pending, SUM(status = 'failed') AS failed FROM outbox").get() as { pending: number | null; failed: number | null };
    return { pending: r.pending ?? 0, failed: r.failed ?? 0 };
  } finally {
    db.close();
  }
}
