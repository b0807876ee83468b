// Throw-away databases for the bench and the crash proof, on the engine asked for:
// temporary SQLite files (no URL), or fresh databases on the PostgreSQL server of a
// postgres:// URL. The database the URL names is only used to create and drop them
// (CREATE DATABASE cannot run inside the database it creates); nothing is read or
// written there. Everything made is removed by cleanup(), also on Ctrl-C.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from '../src/db/db.ts';
import { engineOf, redactUrl } from '../src/db/open.ts';

export interface Scratch {
  engine: Engine;
  /** Where the databases live, without a password: for messages. */
  where: string;
  /** A new, empty database: a file path or a postgres:// URL for openDb (which migrates it). */
  fresh(label: string): Promise<string>;
  /** Drops what fresh() made (a database still in use is disconnected first). */
  drop(target: string): Promise<void>;
  /** Drops everything fresh() made and removes the temporary folder. */
  cleanup(): Promise<void>;
}

/** `url` a postgres:// URL, or undefined / empty for SQLite files in a temporary folder. */
export async function scratchDatabases(url: string | undefined, prefix: string): Promise<Scratch> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const made = new Set<string>();
  let n = 0;
  let scratch: Scratch;
  if (!url) {
    scratch = {
      engine: 'sqlite',
      where: dir,
      async fresh(label) {
        const file = path.join(dir, `${label}-${++n}.db`);
        made.add(file);
        return file;
      },
      async drop(file) {
        for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
        made.delete(file);
      },
      async cleanup() {
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  } else {
    if (engineOf(url) !== 'postgres' || /^pglite:/i.test(url)) throw new Error(`not a postgres:// URL: ${redactUrl(url)}`);
    const pg = (await import('pg')).default;
    const admin = async (text: string) => {
      const c = new pg.Client({ connectionString: url, application_name: `${prefix}-admin` });
      await c.connect();
      try {
        await c.query(text);
      } finally {
        await c.end();
      }
    };
    const nameOf = (target: string) => decodeURIComponent(new URL(target).pathname.slice(1));
    scratch = {
      engine: 'postgres',
      where: redactUrl(url),
      async fresh(label) {
        // Lower case letters, digits and _ only: a valid identifier without quoting.
        const name = `${prefix}_${label}_${process.pid}_${randomBytes(4).toString('hex')}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
        await admin(`CREATE DATABASE ${name}`);
        const u = new URL(url);
        u.pathname = `/${name}`;
        made.add(u.toString());
        return u.toString();
      },
      async drop(target) {
        await admin(`DROP DATABASE IF EXISTS ${nameOf(target)} WITH (FORCE)`);
        made.delete(target);
      },
      async cleanup() {
        for (const t of [...made]) await scratch.drop(t).catch((e) => process.stderr.write(`could not drop ${nameOf(t)}: ${(e as Error).message}\n`));
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // Ctrl-C or a kill: leave no database behind.
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: removing the scratch databases\n`);
    void scratch.cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const cleanup = scratch.cleanup;
  scratch.cleanup = async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  };
  return scratch;
}
