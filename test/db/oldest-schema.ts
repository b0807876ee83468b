// A database at the oldest schema: drizzle's own migrator run over a temporary
// migrations folder that holds only the first journal entry, so the
// __drizzle_migrations row is exactly what an early install wrote.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { MIGRATIONS_DIR } from '../../src/db/open.ts';

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

export function journal(): { entries: JournalEntry[] } {
  return JSON.parse(fs.readFileSync(path.join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8'));
}

/** Creates `file` with only migration 0000 applied; returns the open connection. */
export function createOldestDb(file: string): Database.Database {
  const full = journal();
  const first = full.entries[0]!;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-mig0-'));
  fs.mkdirSync(path.join(folder, 'meta'));
  fs.copyFileSync(path.join(MIGRATIONS_DIR, `${first.tag}.sql`), path.join(folder, `${first.tag}.sql`));
  fs.writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...full, entries: [first] }));
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  migrate(drizzle(sqlite), { migrationsFolder: folder });
  fs.rmSync(folder, { recursive: true, force: true });
  return sqlite;
}
