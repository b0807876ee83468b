// The PostgreSQL engine: a bounded node-postgres pool for a real server, or an
// embedded PGlite (tests, `pglite:` in NHACVIEC_DB), behind the async Db handle.
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { DbBusy, type Db, type NativeHandle, type Orm, type Tables } from './db.ts';
import { PG_MIGRATIONS_DIR } from './migrations.ts';
import * as pgSchema from './schema.pg.ts';
import { runsOn } from './prepared.ts';

export interface PgOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** A statement running longer than this is cancelled (default 30 s). */
  statementTimeoutMs?: number;
  migrate?: boolean;
}

// int8 (count(*), bigint instants) and numeric (sum of int8) come back as strings by
// default; every such value here is a count or milliseconds since the epoch, well
// inside Number's exact range.
const toNumber = (v: string): number => Number(v);
const INT8 = 20;
const NUMERIC = 1700;

type AnyPg = PgDatabase<PgQueryResultHKT, typeof pgSchema>;

function rowsOf(res: unknown): Record<string, unknown>[] {
  return (res as { rows: Record<string, unknown>[] }).rows;
}

function changesOf(res: unknown): number {
  const r = res as { rowCount?: number | null; affectedRows?: number };
  return r.rowCount ?? r.affectedRows ?? 0;
}

const BUSY_CODES = new Set([
  '55P03', // lock_not_available
  '57014', // query_canceled: the statement timeout
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

/** drizzle wraps a driver's error (DrizzleQueryError): the SQLSTATE is on a cause. */
function isBusy(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && BUSY_CODES.has(code)) return true;
    if ((x as Error).message === 'timeout exceeded when trying to connect') return true;
  }
  return false;
}

/**
 * A Db on a drizzle instance. `transaction`: how tx() runs (the pool's: a transaction on a
 * pooled connection; a PgConnection's: a savepoint); without it, drizzle's (PGlite).
 * `prepareOn`: the instance this handle's prepared queries are built on (prepared.ts); none in
 * a PGlite transaction, which is a connection of its own, nor in its savepoints.
 */
function wrap(orm: AnyPg, inTx: boolean, native: NativeHandle, close: () => Promise<void>, transaction?: <T>(fn: (tx: Db) => Promise<T>) => Promise<T>, prepareOn?: AnyPg): Db {
  const db: Db = {
    engine: 'postgres',
    orm: orm as unknown as Orm,
    t: pgSchema as unknown as Tables,
    inTx,
    async all<T>(q: SQL) {
      return rowsOf(await orm.execute(q)) as T[];
    },
    async one<T>(q: SQL) {
      return rowsOf(await orm.execute(q))[0] as T | undefined;
    },
    async run(q: SQL) {
      return changesOf(await orm.execute(q));
    },
    async tx<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      try {
        if (transaction) return await transaction(fn);
        return await orm.transaction((tx) => fn(wrap(tx as unknown as AnyPg, true, native, close, undefined, inTx ? prepareOn : undefined)));
      } catch (e) {
        throw !inTx && isBusy(e) ? new DbBusy(e) : e;
      }
    },
    native,
    close,
  };
  if (prepareOn) runsOn(db, prepareOn as unknown as Orm);
  return db;
}

type PoolClient = import('pg').PoolClient;

/**
 * A pooled connection as its top-level transactions use it: a drizzle instance and a native
 * handle of its own (prepared queries are kept per connection, see prepared.ts; COPY runs
 * inside the transaction), and the transaction statements, sent straight to the driver.
 *
 * A savepoint that succeeds owes its RELEASE; it is sent before the next statement on the
 * connection, or not at all when that statement is the COMMIT or a ROLLBACK (which end the
 * savepoint with the transaction). So a command's savepoint right before the commit, the
 * chat's common case, costs one round trip, not two; and undoing one costs one (ROLLBACK TO
 * and RELEASE in one simple query).
 */
class PgConnection {
  /** The RELEASE still to send, if any. */
  private owed: string | null = null;
  private depth = 0;
  /** False once a ROLLBACK failed: the connection is in no known state, and goes back to the pool as broken. */
  usable = true;
  readonly orm: AnyPg;
  readonly native: NativeHandle;
  private readonly handle: Db;

  constructor(
    private readonly client: PoolClient,
    drizzle: (client: PoolClient) => AnyPg,
    close: () => Promise<void>,
  ) {
    // drizzle and the native handle reach the connection only through query(), which first pays what is owed.
    const settled = {
      query: (...args: unknown[]): unknown => {
        const run = () => Reflect.apply(client.query, client, args);
        return this.owed === null ? run() : this.settle().then(run);
      },
    };
    this.orm = drizzle(settled as unknown as PoolClient);
    this.native = {
      engine: 'postgres',
      query: async (text, params) => {
        await this.settle();
        const r = await client.query(text, params as unknown[]);
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      },
      copyFrom: async (copySql, lines) => {
        await this.settle();
        const { from } = await import('pg-copy-streams');
        const { pipeline } = await import('node:stream/promises');
        const { Readable } = await import('node:stream');
        // A failing source destroys the stream, which sends CopyFail: the server discards the COPY.
        await pipeline(Readable.from(lines), client.query(from(copySql)));
      },
    };
    this.handle = wrap(this.orm, true, this.native, close, (fn) => this.savepoint(fn), this.orm);
  }

  private async settle(): Promise<void> {
    const owed = this.owed;
    if (owed === null) return;
    this.owed = null;
    await this.client.query(owed);
  }

  /** A transaction statement, after what is owed, in one simple query. */
  private async control(text: string): Promise<void> {
    const owed = this.owed;
    this.owed = null;
    await this.client.query(owed === null ? text : `${owed}; ${text}`);
  }

  /** Runs fn in a transaction on this connection. */
  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    this.owed = null;
    this.depth = 0;
    await this.client.query('BEGIN');
    try {
      const r = await fn(this.handle);
      this.owed = null;
      await this.client.query('COMMIT');
      return r;
    } catch (e) {
      this.owed = null;
      // After a failed COMMIT the server has ended the transaction already: this ROLLBACK only warns.
      await this.client.query('ROLLBACK').catch(() => {
        this.usable = false;
      });
      throw e;
    }
  }

  private async savepoint<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const name = `sp${++this.depth}`;
    try {
      await this.control(`SAVEPOINT ${name}`);
      try {
        const r = await fn(this.handle);
        // Releasing an outer savepoint releases the inner ones: one owed RELEASE at most.
        this.owed = `RELEASE SAVEPOINT ${name}`;
        return r;
      } catch (e) {
        this.owed = null;
        await this.client.query(`ROLLBACK TO SAVEPOINT ${name}; RELEASE SAVEPOINT ${name}`);
        throw e;
      }
    } finally {
      this.depth--;
    }
  }
}

/** node-postgres's native handle on the pool: each call on a connection of its own, in its own transaction. */
function poolNative(pool: import('pg').Pool): NativeHandle {
  return {
    engine: 'postgres',
    async query(text, params) {
      const r = await pool.query(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.rowCount ?? 0 };
    },
    async copyFrom(copySql, lines) {
      const { from } = await import('pg-copy-streams');
      const { pipeline } = await import('node:stream/promises');
      const { Readable } = await import('node:stream');
      const client = await pool.connect();
      try {
        // A failing source destroys the stream, which sends CopyFail: the server discards the COPY.
        await pipeline(Readable.from(lines), client.query(from(copySql)));
      } finally {
        client.release();
      }
    },
  };
}

/** Opens a pool on a postgres:// URL and migrates the schema. Throws what connecting threw (see describeOpenError). */
export async function openPostgres(url: string, opts: PgOptions = {}): Promise<Db> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const timeout = opts.statementTimeoutMs ?? 30_000;
  // drizzle's node-postgres driver reads pg's global parsers, not a pool's own.
  pg.types.setTypeParser(INT8, toNumber);
  pg.types.setTypeParser(NUMERIC, toNumber);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 10_000,
    statement_timeout: timeout,
    idle_in_transaction_session_timeout: timeout * 2,
    application_name: 'nhacviec',
  });
  // An idle client that loses its server emits here; without a listener the process would crash.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
    const orm = drizzle(pool, { schema: pgSchema }) as unknown as AnyPg;
    if (opts.migrate !== false) {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      await migrate(orm as never, { migrationsFolder: PG_MIGRATIONS_DIR });
    }
    const close = () => pool.end();
    // One PgConnection per pooled connection, made the first time it runs a transaction.
    const connections = new WeakMap<PoolClient, PgConnection>();
    const onConnection = (client: PoolClient) => drizzle(client, { schema: pgSchema }) as unknown as AnyPg;
    const transaction = async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
      const client = await pool.connect();
      let conn = connections.get(client);
      if (!conn) {
        conn = new PgConnection(client, onConnection, close);
        connections.set(client, conn);
      }
      try {
        return await conn.transaction(fn);
      } finally {
        client.release(conn.usable ? undefined : new Error('rollback failed'));
      }
    };
    return wrap(orm, false, poolNative(pool), close, transaction, orm);
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
}

/** An embedded PostgreSQL (PGlite) in memory, or in a folder: for tests and trying the engine without a server. */
export async function openPglite(dataDir?: string, opts: { migrate?: boolean } = {}): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const client = new PGlite(dataDir, { parsers: { [INT8]: toNumber, [NUMERIC]: toNumber } });
  await client.waitReady;
  const orm = drizzle(client, { schema: pgSchema }) as unknown as AnyPg;
  if (opts.migrate !== false) {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(orm as never, { migrationsFolder: PG_MIGRATIONS_DIR });
  }
  const native: NativeHandle = {
    engine: 'postgres',
    async query(text, params) {
      const r = await client.query<Record<string, unknown>>(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
    },
  };
  return wrap(orm, false, native, () => client.close(), undefined, orm);
}
