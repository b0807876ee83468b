// The SQLite engine: one better-sqlite3 connection behind the async Db handle.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { DbBusy, type Db, type Orm, type Tables } from './db.ts';
import * as sqliteSchema from './schema.ts';
import { MIGRATIONS_DIR } from './migrations.ts';
import { runsOn } from './prepared.ts';

/** One lock per connection: a transaction spans awaits, and nothing else may run its statements inside it. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.tail;
    this.tail = prev.then(() => next);
    await prev;
    return release;
  }
}

/** drizzle may wrap the driver's error (DrizzleQueryError): the code is then on a cause. */
function isBusy(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && depth < 5; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  }
  return false;
}

/**
 * Opens (creating if needed) the SQLite file, or ':memory:'.
 * synchronous=FULL: with WAL, NORMAL may lose the last transactions on power
 * loss; FULL makes an acknowledged completion durable, and the write volume
 * of this bot is small enough not to notice.
 */
export function openSqlite(file: string, opts: { migrate?: boolean } = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -32000');
  const orm = drizzle(sqlite, { schema: sqliteSchema });
  // A migration that rebuilds a table (drop NOT NULL: 0007) drops the old one while other tables
  // still point at it. drizzle runs the migrations in one transaction, where the migration's own
  // PRAGMA foreign_keys=OFF has no effect, so the keys are off around it and checked after.
  if (opts.migrate !== false) {
    sqlite.pragma('foreign_keys = OFF');
    migrate(orm, { migrationsFolder: MIGRATIONS_DIR });
    const broken = sqlite.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`migration left ${broken.length} rows pointing at nothing`);
  }
  sqlite.pragma('foreign_keys = ON');
  const mutex = new Mutex();
  let savepoints = 0;
  // The transaction statements, compiled once (a savepoint's by its depth: sp1, sp2, …).
  const statements = new Map<string, Database.Statement>();
  const exec = (text: string): void => {
    let s = statements.get(text);
    if (!s) {
      s = sqlite.prepare(text);
      statements.set(text, s);
    }
    s.run();
  };

  const make = (inTx: boolean): Db => {
    const db: Db = {
      engine: 'sqlite',
      // See Orm: the same builder API, typed once.
      orm: orm as unknown as Orm,
      t: sqliteSchema as unknown as Tables,
      inTx,
      async all<T>(q: SQL) {
        return orm.all<T>(q);
      },
      async one<T>(q: SQL) {
        return orm.get<T>(q) ?? undefined;
      },
      async run(q: SQL) {
        return orm.run(q).changes;
      },
      async tx<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
        if (inTx) {
          const name = `sp${++savepoints}`;
          exec(`SAVEPOINT ${name}`);
          try {
            const r = await fn(db);
            exec(`RELEASE ${name}`);
            return r;
          } catch (e) {
            exec(`ROLLBACK TO ${name}`);
            exec(`RELEASE ${name}`);
            throw e;
          } finally {
            savepoints--;
          }
        }
        const release = await mutex.lock();
        try {
          try {
            exec('BEGIN IMMEDIATE');
          } catch (e) {
            throw isBusy(e) ? new DbBusy(e) : e;
          }
          try {
            const r = await fn(inner);
            exec('COMMIT');
            return r;
          } catch (e) {
            if (sqlite.inTransaction) exec('ROLLBACK');
            throw isBusy(e) ? new DbBusy(e) : e;
          }
        } finally {
          release();
        }
      },
      native: { engine: 'sqlite', sqlite, file },
      async close() {
        const release = await mutex.lock();
        try {
          if (sqlite.open) sqlite.close();
        } finally {
          release();
        }
      },
    };
    // One connection: a query prepared once runs outside and inside transactions alike.
    runsOn(db, db.orm);
    return db;
  };
  const inner = make(true);
  return make(false);
}
