// What the crash proof reads from the database, through the async Db (the same
// queries on both engines), without changing what the next bot process finds:
// - SQLite: a snapshot of the file, taken over a read-only connection (SQLite's
//   backup copies the pages as committed, WAL included; a read-only connection runs
//   no recovery and no checkpoint), is what gets opened and read.
// - PostgreSQL: the proof's own database, read in a session of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { and, count, eq, isNull, like, sql } from 'drizzle-orm';
import type { Db } from '../../src/db/db.ts';
import { engineOf, openDb } from '../../src/db/open.ts';

async function withDb<T>(target: string, empty: T, fn: (db: Db) => Promise<T>): Promise<T> {
  if (engineOf(target) === 'postgres') {
    const db = await openDb(target, { migrate: false, poolSize: 1 });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  }
  if (!fs.existsSync(target)) return empty;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-proof-look-'));
  try {
    const copy = path.join(dir, 'snapshot.db');
    const source = new Database(target, { readonly: true, fileMustExist: true });
    try {
      await source.backup(copy);
    } finally {
      source.close();
    }
    const db = await openDb(copy, { migrate: false });
    try {
      return await fn(db);
    } finally {
      await db.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

let amcheckMissing = false;

/**
 * SQLite: rows of `PRAGMA integrity_check` other than 'ok', plus rows of `PRAGMA foreign_key_check`.
 * PostgreSQL (foreign keys are enforced as rows are written): the B-tree indexes that amcheck
 * finds inconsistent with themselves or with their table (bt_index_check, heapallindexed).
 * Raw SQL: both are each engine's own.
 */
export async function integrityErrors(db: Db): Promise<number> {
  if (db.engine === 'sqlite') {
    const rows = await db.all<{ integrity_check: string }>(sql`PRAGMA integrity_check`);
    const bad = rows.filter((r) => r.integrity_check !== 'ok').length;
    return bad + (await db.all<unknown>(sql`PRAGMA foreign_key_check`)).length;
  }
  try {
    await db.run(sql`CREATE EXTENSION IF NOT EXISTS amcheck`);
  } catch (e) {
    if (!amcheckMissing) process.stderr.write(`crash: amcheck unavailable (${(e as Error).message}); PostgreSQL indexes not checked\n`);
    amcheckMissing = true;
    return 0;
  }
  const indexes = await db.all<{ name: string }>(
    sql`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_am a ON a.oid = c.relam WHERE n.nspname = 'public' AND a.amname = 'btree' ORDER BY c.relname`,
  );
  let bad = 0;
  for (const { name } of indexes) {
    try {
      await db.all(sql`SELECT bt_index_check(${`public."${name}"`}::regclass, true)`);
    } catch (e) {
      bad++;
      process.stderr.write(`crash: index ${name}: ${(e as Error).message}\n`);
    }
  }
  return bad;
}

export interface FileCheck {
  /** Acknowledged completion codes whose task is not completed in the database. */
  missing: string[];
  integrityErrors: number;
  /** When the last of the leases (tick, drains) held by the processes so far runs out; 0 if none is held. */
  leasesFreeAt: number;
}

/** After a kill (or at the end): are the acknowledged completions in the database, and is it sound? */
export async function checkFile(target: string, acked: Iterable<string>): Promise<FileCheck> {
  return withDb(target, { missing: [], integrityErrors: 0, leasesFreeAt: 0 }, async (db) => {
    const { tasks, leases } = db.t;
    const rows = await db.orm
      .select({ code: tasks.code })
      .from(tasks)
      .where(and(isNull(tasks.completedAt), like(tasks.code, 'DN-%')));
    const open = new Set(rows.map((r) => r.code));
    const held = await db.orm.select({ expiresAt: leases.expiresAt }).from(leases);
    return {
      missing: [...acked].filter((c) => open.has(c)),
      integrityErrors: await integrityErrors(db),
      leasesFreeAt: Math.max(0, ...held.map((l) => l.expiresAt)),
    };
  });
}

export interface ReminderTask {
  code: string;
  /** The one instant its reminder is planned for (see office.ts). */
  at: number;
  /** Telegram group bound to its unit. */
  chatId: string;
}

/** The RM tasks as stored, with the group their reminder goes to. */
export async function reminderTasks(target: string): Promise<ReminderTask[]> {
  return withDb(target, [], async (db) => {
    const { tasks, groupBindings: b } = db.t;
    const rows = await db.orm
      .select({ code: tasks.code, at: tasks.effectiveDeadline, chatId: b.chatId })
      .from(tasks)
      .innerJoin(b, and(eq(b.unitId, tasks.unitId), eq(b.channel, 'telegram')))
      .where(and(like(tasks.code, 'RM-%'), isNull(tasks.completedAt)));
    // A task without a deadline has no reminder planned.
    return rows.flatMap(({ at, ...r }) => (at === null ? [] : [{ ...r, at }]));
  });
}

/** Outbox rows still waiting (neither sent nor failed), and rows that failed. */
export async function outboxState(target: string): Promise<{ pending: number; failed: number }> {
  return withDb(target, { pending: 0, failed: 0 }, async (db) => {
    const { outbox } = db.t;
    const rows = await db.orm.select({ status: outbox.status, n: count() }).from(outbox).groupBy(outbox.status);
    const of = (s: string) => rows.find((r) => r.status === s)?.n ?? 0;
    return { pending: of('pending'), failed: of('failed') };
  });
}
