// The data layer's one handle, whatever the engine: drizzle's query builder, the
// engine's tables, raw SQL for what the builder cannot say, and transactions.
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as pgSchema from './schema.pg.ts';

export type Engine = 'sqlite' | 'postgres';

/** The tables (and enums) of the schema. */
export type Tables = typeof pgSchema;

/**
 * drizzle's query builder. drizzle types its builders per dialect although both
 * dialects share the API this project uses (select, insert … onConflictDoNothing,
 * update, delete, returning), so every repository is typed once, against the
 * PostgreSQL builder: it has no SQLite-only synchronous `.get()`/`.all()`/`.run()`,
 * so a query that would only run on SQLite does not compile. On SQLite the
 * object is drizzle's better-sqlite3 database and `t` holds schema.ts's tables,
 * whose columns have the same names and TypeScript types (test/db/schemas.test.ts).
 */
export type Orm = PgDatabase<PgQueryResultHKT, typeof pgSchema>;

export interface Db {
  readonly engine: Engine;
  readonly orm: Orm;
  /** The engine's tables: use these, never schema.ts or schema.pg.ts directly. */
  readonly t: Tables;
  /** True inside tx(). */
  readonly inTx: boolean;
  /** Raw SQL (written once, in a form both engines accept): the rows. */
  all<T>(query: SQL): Promise<T[]>;
  /** Raw SQL: the first row. */
  one<T>(query: SQL): Promise<T | undefined>;
  /** Raw SQL: how many rows it changed. */
  run(query: SQL): Promise<number>;
  /**
   * Runs fn in one transaction, all or nothing; nested, as a savepoint. Every
   * write goes through here, and inside it only through the handle fn receives.
   */
  tx<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** The engine's own handle, for the few engine-specific paths (bulk import, backup). */
  readonly native: NativeHandle;
  close(): Promise<void>;
}

export type NativeHandle =
  | { engine: 'sqlite'; sqlite: import('better-sqlite3').Database; file: string }
  | { engine: 'postgres'; query: (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[]; rowCount: number }>; copyFrom?: (sql: string, rows: AsyncIterable<string> | Iterable<string>) => Promise<void> };

/** Thrown (and turned into one sentence at the edge) when the database is locked or the pool exhausted past its timeout. */
export class DbBusy extends Error {
  readonly code = 'DB_BUSY';
  constructor(cause?: unknown) {
    super('database busy', { cause });
  }
}
