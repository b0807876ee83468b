// A fresh database with the real migrations applied, on the engine under test:
// SQLite in memory (NHACVIEC_TEST_ENGINE unset or "sqlite"), or PostgreSQL
// ("postgres"): the server in NHACVIEC_TEST_PG when set, else an embedded PGlite.
//
// On PostgreSQL one database serves a whole test file (opening one costs a
// second); each testDb() empties its tables first, so every test still starts
// from nothing. A real server's database is created for the file and dropped after it.
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';
import { openDb, type Db } from '../../src/db/open.ts';
import type { Engine } from '../../src/db/db.ts';

export function testEngine(): Engine {
  return process.env.NHACVIEC_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
}

let shared: { db: Db; drop: () => Promise<void> } | undefined;
const extra: { close: () => Promise<void> }[] = [];

async function createServerDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.NHACVIEC_TEST_PG as string;
  const name = `nhacviec_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const pg = (await import('pg')).default;
  const run = async (text: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** A PostgreSQL target of its own (a new server database, or a new PGlite), with how to drop it. */
export async function newPgTarget(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.NHACVIEC_TEST_PG) return createServerDatabase();
  return { url: 'pglite:', drop: async () => {} };
}

async function emptyTables(db: Db): Promise<void> {
  if (db.native.engine !== 'postgres') return;
  const native = db.native;
  const rows = await native.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
  const names = rows.rows.map((r) => `"${String(r.tablename)}"`);
  if (names.length) await native.query(`TRUNCATE ${names.join(', ')} RESTART IDENTITY CASCADE`);
}

/** The database for one test: empty, migrated. close() on it is harmless. */
export async function testDb(): Promise<Db> {
  if (testEngine() === 'sqlite') {
    const db = await openDb(':memory:');
    extra.push(db);
    return db;
  }
  if (!shared) {
    const target = await newPgTarget();
    const db = await openDb(target.url, { poolSize: 4 });
    shared = {
      db,
      drop: async () => {
        await db.close();
        await target.drop();
      },
    };
  } else {
    await emptyTables(shared.db);
  }
  // The file's database stays open for the next test; it is closed after the file.
  return { ...shared.db, close: async () => {} };
}

/**
 * A second, separate database on the engine under test (for tests that need two at once).
 * Closed and dropped after the file.
 */
export async function separateTestDb(): Promise<Db> {
  if (testEngine() === 'sqlite') {
    const db = await openDb(':memory:');
    extra.push(db);
    return db;
  }
  const target = await newPgTarget();
  const db = await openDb(target.url, { poolSize: 4 });
  extra.push({
    close: async () => {
      await db.close().catch(() => {});
      await target.drop();
    },
  });
  return db;
}

async function closeAll(): Promise<void> {
  for (const e of extra.splice(0)) await e.close().catch(() => {});
  const s = shared;
  shared = undefined;
  await s?.drop();
}

// The proof's fuzz and authz suites reuse the test fixtures outside vitest, where afterAll does not exist.
if (process.env.VITEST) afterAll(closeAll);
