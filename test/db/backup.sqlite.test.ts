import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupDatabase, BackupRefused, checkRestorable, previousName, restoreDatabase } from '../../src/db/backup.ts';
import { openDb, type Db } from '../../src/db/open.ts';
import { createOldestDb, journal } from './oldest-schema.ts';

let dir: string;
let dbFile: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-backup-'));
  dbFile = path.join(dir, 'data', 'nv.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The better-sqlite3 connection under a Db opened on a file. */
function sqliteOf(db: Db): Database.Database {
  if (db.native.engine !== 'sqlite') throw new Error('not SQLite');
  return db.native.sqlite;
}

function addUnit(db: Db | Database.Database, code: string): void {
  const client = 'prepare' in db ? db : sqliteOf(db);
  client.prepare("INSERT INTO units (code, name, path) VALUES (?, ?, '/')").run(code, `Đơn vị ${code}`);
}

function unitCodes(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT code FROM units ORDER BY code').all() as { code: string }[]).map((r) => r.code);
  } finally {
    db.close();
  }
}

/** Hash of the database file and its -wal: "untouched" means both are byte for byte the same. */
function fingerprint(file: string): string {
  const h = crypto.createHash('sha256');
  for (const f of [file, `${file}-wal`]) h.update(fs.existsSync(f) ? fs.readFileSync(f) : Buffer.from('none'));
  return h.digest('hex');
}

const leftovers = () => fs.readdirSync(path.dirname(dbFile)).filter((f) => f.startsWith('.'));

describe('backup', () => {
  it('copies the last committed state while another connection holds an open write transaction, without waiting for it', async () => {
    const bot = await openDb(dbFile);
    addUnit(bot, 'COMMITTED');
    const writer = new Database(dbFile);
    writer.exec('BEGIN IMMEDIATE');
    addUnit(writer, 'UNCOMMITTED');

    const started = Date.now();
    const r = backupDatabase(dbFile, path.join(dir, 'b.db'));
    expect(Date.now() - started).toBeLessThan(4000); // the busy timeout is 5 s: it never waited on the writer
    expect(r.file).toBe(path.join(dir, 'b.db'));
    expect(r.bytes).toBe(fs.statSync(r.file).size);
    expect(fs.existsSync(`${r.file}-wal`)).toBe(false);

    writer.exec('COMMIT');
    writer.close();
    expect(unitCodes(r.file)).toEqual(['COMMITTED']);
    expect(unitCodes(dbFile)).toEqual(['COMMITTED', 'UNCOMMITTED']);
    expect(checkRestorable(r.file)).toBe(journal().entries.length);
    await bot.close();
  });

  it('includes what is still only in the WAL', async () => {
    const bot = await openDb(dbFile);
    sqliteOf(bot).pragma('wal_autocheckpoint = 0');
    addUnit(bot, 'IN-WAL');
    expect(fs.statSync(`${dbFile}-wal`).size).toBeGreaterThan(0);
    backupDatabase(dbFile, path.join(dir, 'b.db'));
    expect(unitCodes(path.join(dir, 'b.db'))).toEqual(['IN-WAL']);
    await bot.close();
  });

  it('refuses to overwrite an existing file unless forced, and leaves it as it was', async () => {
    await (await openDb(dbFile)).close();
    const dest = path.join(dir, 'b.db');
    fs.writeFileSync(dest, 'bản cũ');
    expect(() => backupDatabase(dbFile, dest)).toThrow(new BackupRefused(`Tệp ${dest} đã có. Chọn tên khác, hoặc thêm --force để ghi đè.`));
    expect(fs.readFileSync(dest, 'utf8')).toBe('bản cũ');
    backupDatabase(dbFile, dest, { force: true });
    expect(checkRestorable(dest)).toBeGreaterThan(0);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('refuses when there is no database, or when asked to copy the database onto itself', async () => {
    expect(() => backupDatabase(dbFile, path.join(dir, 'b.db'))).toThrow(/Không có cơ sở dữ liệu/);
    await (await openDb(dbFile)).close();
    expect(() => backupDatabase(dbFile, dbFile, { force: true })).toThrow(/phải khác tệp cơ sở dữ liệu/);
    expect(() => backupDatabase(dbFile, path.join(dir, 'khong-co', 'b.db'))).toThrow(/Không có thư mục/);
  });
});

describe('restore', () => {
  it('round trip: the database is back as it was at the backup; the replaced one is kept; no stale WAL', async () => {
    const bot = await openDb(dbFile);
    addUnit(bot, 'A');
    addUnit(bot, 'B');
    const backup = path.join(dir, 'b.db');
    backupDatabase(dbFile, backup);
    sqliteOf(bot).prepare("DELETE FROM units WHERE code = 'A'").run();
    addUnit(bot, 'C');
    await bot.close();

    const now = new Date('2026-11-29T10:20:30.456Z');
    const r = await restoreDatabase(dbFile, backup, now);
    expect(r).toEqual({ previous: `${path.resolve(dbFile)}.truoc-khoi-phuc-20261129T102030Z`, migrationsInFile: journal().entries.length, migrationsApplied: 0 });
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(false);
    expect(fs.existsSync(`${dbFile}-shm`)).toBe(false);
    expect(leftovers()).toEqual([]);
    expect(unitCodes(dbFile)).toEqual(['A', 'B']);
    expect(unitCodes(r.previous!)).toEqual(['B', 'C']);

    const again = await openDb(dbFile);
    expect(sqliteOf(again).pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqliteOf(again).pragma('integrity_check', { simple: true })).toBe('ok');
    addUnit(again, 'D');
    await again.close();
    expect(unitCodes(dbFile)).toEqual(['A', 'B', 'D']);
  });

  it('a stale -wal of the replaced database is not applied to the restored one', async () => {
    const bot = await openDb(dbFile);
    addUnit(bot, 'A');
    const backup = path.join(dir, 'b.db');
    backupDatabase(dbFile, backup);
    await bot.close();
    // A WAL left behind by a crash, full of frames for the old file.
    const old = new Database(dbFile);
    old.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 50; i++) addUnit(old, `OLD-${i}`);
    fs.copyFileSync(`${dbFile}-wal`, path.join(dir, 'saved-wal'));
    old.close();
    fs.copyFileSync(path.join(dir, 'saved-wal'), `${dbFile}-wal`);

    const r = await restoreDatabase(dbFile, backup);
    expect(unitCodes(dbFile)).toEqual(['A']);
    // The old file, WAL folded in, is what was kept.
    expect(unitCodes(r.previous!)).toHaveLength(51);
  });

  it('restores into a place with no database yet', async () => {
    const other = path.join(dir, 'src.db');
    const db = await openDb(other);
    addUnit(db, 'X');
    await db.close();
    const backup = path.join(dir, 'b.db');
    backupDatabase(other, backup);
    expect(await restoreDatabase(dbFile, backup)).toEqual({ migrationsInFile: journal().entries.length, migrationsApplied: 0 });
    expect(unitCodes(dbFile)).toEqual(['X']);
  });

  it('a plain copy of a stopped bot\'s WAL-mode file (not made by nhacviec backup) is accepted too', async () => {
    const other = path.join(dir, 'src.db');
    const db = await openDb(other);
    addUnit(db, 'PLAIN');
    await db.close();
    expect(fs.readFileSync(other)[18]).toBe(2); // the header says WAL
    fs.copyFileSync(other, path.join(dir, 'copy.db'));
    await (await openDb(dbFile)).close();
    await restoreDatabase(dbFile, path.join(dir, 'copy.db'));
    expect(unitCodes(dbFile)).toEqual(['PLAIN']);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('.') || f.startsWith('copy.db-'))).toEqual([]);
  });

  it('an older backup (oldest schema) is restored and brought up to date', async () => {
    const oldFile = path.join(dir, 'old.db');
    const old = createOldestDb(oldFile);
    addUnit(old, 'OLD');
    old.close();
    await (await openDb(dbFile)).close();
    const r = await restoreDatabase(dbFile, oldFile);
    expect(r.migrationsInFile).toBe(1);
    expect(r.migrationsApplied).toBe(journal().entries.length - 1);
    expect(unitCodes(dbFile)).toEqual(['OLD']);
  });

  describe('refusals leave the current database untouched', () => {
    let before: string;
    beforeEach(async () => {
      const bot = await openDb(dbFile);
      addUnit(bot, 'CURRENT');
      await bot.close();
      before = fingerprint(dbFile);
    });
    afterEach(() => {
      expect(fingerprint(dbFile)).toBe(before);
      expect(unitCodes(dbFile)).toEqual(['CURRENT']);
      expect(fs.readdirSync(path.dirname(dbFile)).filter((f) => f.includes('truoc-khoi-phuc'))).toEqual([]);
      expect(leftovers()).toEqual([]);
    });

    const refusal = async (file: string) => {
      try {
        await restoreDatabase(dbFile, file);
      } catch (e) {
        expect(e).toBeInstanceOf(BackupRefused);
        return (e as Error).message;
      }
      throw new Error('restore went through');
    };

    it('a file that does not exist', async () => {
      expect(await refusal(path.join(dir, 'khong-co.db'))).toBe(`Không tìm thấy tệp ${path.join(dir, 'khong-co.db')}.`);
    });

    it('a text file', async () => {
      const f = path.join(dir, 'ghi-chu.txt');
      fs.writeFileSync(f, 'SQLite? không, chỉ là một ghi chú.\n');
      expect(await refusal(f)).toBe(`Tệp ${f} không phải cơ sở dữ liệu SQLite, không khôi phục.`);
    });

    it('an empty file', async () => {
      const f = path.join(dir, 'rong.db');
      fs.writeFileSync(f, '');
      expect(await refusal(f)).toContain('không phải cơ sở dữ liệu SQLite');
    });

    it('another SQLite database', async () => {
      const f = path.join(dir, 'khac.db');
      const other = new Database(f);
      other.exec('CREATE TABLE units (id INTEGER PRIMARY KEY, code TEXT); CREATE TABLE notes (t TEXT)');
      other.close();
      expect(await refusal(f)).toContain('không phải cơ sở dữ liệu của nhacviec');
    });

    it('a database from a newer nhacviec (one more migration than this program knows)', async () => {
      const f = path.join(dir, 'moi-hon.db');
      const newer = await openDb(f);
      const newest = Math.max(...journal().entries.map((e) => e.when));
      sqliteOf(newer).prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('f'.repeat(64), newest + 60_000);
      await newer.close();
      expect(await refusal(f)).toMatch(/phiên bản nhacviec mới hơn \(\d+ bản nâng cấp cấu trúc, chương trình này biết \d+\)/);
    });

    it('a damaged nhacviec database', async () => {
      const f = path.join(dir, 'hong.db');
      const db = await openDb(f);
      for (let i = 0; i < 300; i++) addUnit(db, `U-${String(i).padStart(4, '0')}-${'x'.repeat(40)}`);
      sqliteOf(db).pragma('journal_mode = DELETE');
      await db.close();
      const bytes = fs.readFileSync(f);
      const page = 4096;
      // Scribble over the middle of the last page (a leaf of the units table or an index).
      bytes.fill(0xa5, bytes.length - page + 100, bytes.length - 100);
      fs.writeFileSync(f, bytes);
      expect(await refusal(f)).toMatch(/bị hỏng|Không đọc được/);
    });

    it('while the bot has the database open', async () => {
      const good = path.join(dir, 'b.db');
      backupDatabase(dbFile, good);
      const bot = await openDb(dbFile);
      try {
        expect(await refusal(good)).toBe('Không khôi phục được: cơ sở dữ liệu hiện tại đang được mở bởi chương trình khác (bot đang chạy?). Hãy dừng bot rồi thử lại.');
      } finally {
        await bot.close();
      }
      // Closing the bot's connection folds its WAL back, so compare the content, not the bytes.
      before = fingerprint(dbFile);
    });
  });

  it('names the kept database with a sortable UTC stamp', () => {
    expect(previousName('/d/nv.db', new Date('2026-01-02T03:04:05.678Z'))).toBe('/d/nv.db.truoc-khoi-phuc-20260102T030405Z');
  });
});
