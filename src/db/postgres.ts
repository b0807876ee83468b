// The PostgreSQL engine: a bounded node-postgres pool for a real server, or an
// embedded PGlite (tests, `pglite:` in NHACVIEC_DB), behind the async Db handle.
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { DbBusy, type Db, type NativeHandle, type Orm, type Tables } from './db.ts';
import { PG_MIGRATIONS_DIR } from './migrations.ts';
import * as pgSchema from './schema.pg.ts';

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

function wrap(orm: AnyPg, inTx: boolean, native: NativeHandle, close: () => Promise<void>): Db {
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
        return await orm.transaction((tx) => fn(wrap(tx as unknown as AnyPg, true, native, close)));
      } catch (e) {
        throw !inTx && isBusy(e) ? new DbBusy(e) : e;
      }
    },
    native,
    close,
  };
  return db;
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
    const native: NativeHandle = {
      engine: 'postgres',
      async query(text, params) {
        const r = await pool.query(text, params as unknown[]);
        return { rows: r.rows, rowCount: r.rowCount ?? 0 };
      },
      async copyFrom(copySql, lines) {
        const { from } = await import('pg-copy-streams');
        const client = await pool.connect();
        try {
          await new Promise<void>((resolve, reject) => {
            const stream = client.query(from(copySql));
            stream.on('error', reject);
            stream.on('finish', resolve);
            void (async () => {
              try {
                for await (const line of lines as AsyncIterable<string>) {
                  if (!stream.write(line)) await new Promise((r) => stream.once('drain', r));
                }
                stream.end();
              } catch (e) {
                stream.destroy(e as Error);
              }
            })();
          });
        } finally {
          client.release();
        }
      },
    };
    return wrap(orm, false, native, () => pool.end());
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
  return wrap(orm, false, native, () => client.close());
}
