import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb, type Db } from '../../src/db/open.ts';

/** The better-sqlite3 connection under a Db opened on a file. */
function sqliteOf(db: Db) {
  if (db.native.engine !== 'sqlite') throw new Error('not SQLite');
  return db.native.sqlite;
}

describe('migrations', () => {
  it('create every table on an empty database, and running them again changes nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-mig-'));
    const file = path.join(dir, 'sub', 'a.db');
    const db = await openDb(file);
    const tables = sqliteOf(db)
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['units', 'officers', 'tasks', 'extensions', 'commitments', 'outbox']));
    sqliteOf(db).prepare("INSERT INTO units (code, name, path) VALUES ('T', 'Tỉnh', '/1/')").run();
    await db.close();

    const again = await openDb(file);
    const client = sqliteOf(again);
    expect(client.prepare('SELECT count(*) AS n FROM units').get()).toEqual({ n: 1 });
    expect(client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(client.pragma('synchronous', { simple: true })).toBe(2);
    await again.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enforce foreign keys', async () => {
    const db = await openDb(':memory:');
    expect(() =>
      sqliteOf(db).prepare("INSERT INTO officers (code, full_name, unit_id, role) VALUES ('A', 'B', 999, 'officer')").run(),
    ).toThrow(/FOREIGN KEY/);
    await db.close();
  });
});
