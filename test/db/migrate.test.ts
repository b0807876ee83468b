import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/open.ts';

describe('migrations', () => {
  it('create every table on an empty database, and running them again changes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-mig-'));
    const file = path.join(dir, 'sub', 'a.db');
    const db = openDb(file);
    const tables = db.$client
      .prepare("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['units', 'officers', 'tasks', 'extensions', 'commitments', 'outbox']));
    db.$client.prepare("INSERT INTO units (code, name, path) VALUES ('T', 'Tỉnh', '/1/')").run();
    db.$client.close();

    const again = openDb(file);
    expect(again.$client.prepare('SELECT count(*) AS n FROM units').get()).toEqual({ n: 1 });
    expect(again.$client.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.$client.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(again.$client.pragma('synchronous', { simple: true })).toBe(2);
    again.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('enforce foreign keys', () => {
    const db = openDb(':memory:');
    expect(() =>
      db.$client.prepare("INSERT INTO officers (code, full_name, unit_id, role) VALUES ('A', 'B', 999, 'officer')").run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
