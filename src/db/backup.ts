// Backing up and restoring the SQLite file (on PostgreSQL that is the server's job:
// pg_dump / pg_restore; see src/cli/backup.ts).
// A backup is taken with VACUUM INTO: one read transaction, so the copy is the
// state of the last commit even while the bot writes (WAL readers never block
// writers), and the copy is self-contained (no -wal file beside it).
// A restore checks the file first, then swaps it in by rename, keeping the old one.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { DomainError } from '../domain/errors.ts';
import { MIGRATIONS_DIR, openDb } from './open.ts';

export class BackupRefused extends DomainError {
  constructor(message: string) {
    super('backup_refused', message);
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** Tables every nhacviec database has had since the first migration. */
const CORE_TABLES = ['units', 'officers', 'tasks'];

export interface BackupResult {
  file: string;
  bytes: number;
}

export interface RestoreResult {
  /** Where the database that was replaced now lies (absent when there was none). */
  previous?: string;
  /** Migrations recorded in the restored file, and how many were applied to bring it up to date. */
  migrationsInFile: number;
  migrationsApplied: number;
}

function sidecars(file: string): string[] {
  return [`${file}-wal`, `${file}-shm`, `${file}-journal`];
}

function tempNameBeside(file: string, tag: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${tag}-${process.pid}-${Date.now()}`);
}

function removeQuietly(files: string[]): void {
  for (const f of files) fs.rmSync(f, { force: true });
}

/**
 * Writes a consistent copy of the database `dbFile` to `dest`. The copy is
 * written next to `dest` under a temporary name and renamed when complete, so
 * `dest` is never a half-written file. Refuses to overwrite unless `force`.
 */
export function backupDatabase(dbFile: string, dest: string, opts: { force?: boolean } = {}): BackupResult {
  const target = path.resolve(dest);
  if (!fs.existsSync(dbFile)) throw new BackupRefused(`Không có cơ sở dữ liệu ${dbFile} để sao lưu.`);
  if (path.resolve(dbFile) === target) throw new BackupRefused('Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng.');
  if (fs.existsSync(target) && !opts.force) {
    throw new BackupRefused(`Tệp ${dest} đã có. Chọn tên khác, hoặc thêm --force để ghi đè.`);
  }
  if (!fs.existsSync(path.dirname(target))) throw new BackupRefused(`Không có thư mục ${path.dirname(dest)}.`);

  const temp = tempNameBeside(target, 'sao-luu');
  const source = new Database(dbFile, { fileMustExist: true, timeout: 5000 });
  try {
    source.prepare('VACUUM INTO ?').run(temp);
  } catch (e) {
    removeQuietly([temp, ...sidecars(temp)]);
    throw new BackupRefused(`Không sao lưu được: ${(e as Error).message}.`);
  } finally {
    source.close();
  }
  const problem = integrityProblem(temp);
  if (problem) {
    removeQuietly([temp, ...sidecars(temp)]);
    throw new BackupRefused(`Bản sao lưu vừa tạo không toàn vẹn (${problem}); chưa ghi gì vào ${dest}.`);
  }
  fs.renameSync(temp, target);
  return { file: target, bytes: fs.statSync(target).size };
}

function integrityProblem(file: string): string | undefined {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const first = rows[0]?.integrity_check;
    return rows.length === 1 && first === 'ok' ? undefined : rows.slice(0, 3).map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}

/** The migrations this program knows, in the order drizzle applies them. */
function knownMigrations(): { hash: string; folderMillis: number }[] {
  return readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
}

/**
 * Checks that `file` is a nhacviec database this program can use: an SQLite
 * file, with the nhacviec tables and drizzle's migration record, no migration
 * newer than the ones this program knows, and a clean integrity check.
 * Returns how many migrations it records; throws BackupRefused otherwise.
 */
export function checkRestorable(file: string, shownName = file): number {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new BackupRefused(`Không tìm thấy tệp ${shownName}.`);
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, head.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (!head.equals(SQLITE_HEADER)) throw new BackupRefused(`Tệp ${shownName} không phải cơ sở dữ liệu SQLite, không khôi phục.`);

  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new BackupRefused(`Không mở được tệp ${shownName} như một cơ sở dữ liệu SQLite.`);
  }
  try {
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name),
    );
    if (!tables.has('__drizzle_migrations') || CORE_TABLES.some((t) => !tables.has(t))) {
      throw new BackupRefused(`Tệp ${shownName} không phải cơ sở dữ liệu của nhacviec (thiếu bảng đơn vị, cán bộ, nhiệm vụ hoặc bảng phiên bản).`);
    }
    const recorded = db.prepare('SELECT hash, created_at AS at FROM __drizzle_migrations').all() as { hash: string; at: number | string }[];
    const known = knownMigrations();
    const newest = Math.max(...known.map((m) => m.folderMillis));
    if (recorded.length > known.length || recorded.some((r) => Number(r.at) > newest)) {
      throw new BackupRefused(
        `Tệp ${shownName} được tạo bởi một phiên bản nhacviec mới hơn (${recorded.length} bản nâng cấp cấu trúc, chương trình này biết ${known.length}). Hãy cập nhật nhacviec rồi khôi phục.`,
      );
    }
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    if (rows.length !== 1 || rows[0]?.integrity_check !== 'ok') {
      throw new BackupRefused(`Tệp ${shownName} bị hỏng (kiểm tra toàn vẹn không đạt), không khôi phục.`);
    }
    return recorded.length;
  } catch (e) {
    if (e instanceof BackupRefused) throw e;
    throw new BackupRefused(`Không đọc được tệp ${shownName} như một cơ sở dữ liệu SQLite (${(e as Error).message}).`);
  } finally {
    db.close();
  }
}

/** `<db>.truoc-khoi-phuc-20261129T154000Z` */
export function previousName(dbFile: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${dbFile}.truoc-khoi-phuc-${stamp}`;
}

/**
 * Puts the database at `dbFile` back from the backup `source`. Nothing is
 * touched until the copy has been checked. The current database must not be
 * in use (the bot stopped): switching it out of WAL mode needs it alone, and
 * that is the test. The current file is kept as `<db>.truoc-khoi-phuc-<time>`.
 */
export async function restoreDatabase(dbFile: string, source: string, now: Date = new Date()): Promise<RestoreResult> {
  const target = path.resolve(dbFile);
  if (path.resolve(source) === target) throw new BackupRefused('Tệp cần khôi phục chính là cơ sở dữ liệu đang dùng.');
  if (!fs.existsSync(source) || !fs.statSync(source).isFile()) throw new BackupRefused(`Không tìm thấy tệp ${source}.`);
  fs.mkdirSync(path.dirname(target), { recursive: true });

  // Work on a copy next to the database, so the final step is a rename on one file system.
  const temp = tempNameBeside(target, 'khoi-phuc');
  try {
    fs.copyFileSync(source, temp, fs.constants.COPYFILE_EXCL);
    const migrationsInFile = checkRestorable(temp, source);
    settleAlone(temp, 'tệp sao lưu');

    let previous: string | undefined;
    if (fs.existsSync(target)) {
      settleAlone(target, 'cơ sở dữ liệu hiện tại');
      previous = previousName(target, now);
      fs.copyFileSync(target, previous, fs.constants.COPYFILE_EXCL);
    }
    // The old -wal / -shm belong to the old file; next to the new one they would corrupt it.
    removeQuietly(sidecars(target));
    fs.renameSync(temp, target);

    // Opening applies the migrations this program knows that the backup lacks.
    const db = await openDb(target);
    let after: number;
    try {
      // drizzle's own bookkeeping table is in no schema: raw SQL.
      after = (await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM __drizzle_migrations`))?.n ?? 0;
    } finally {
      await db.close();
    }
    return { ...(previous ? { previous } : {}), migrationsInFile, migrationsApplied: after - migrationsInFile };
  } finally {
    removeQuietly([temp, ...sidecars(temp)]);
  }
}

function inUse(what: string): string {
  return `Không khôi phục được: ${what} đang được mở bởi chương trình khác (bot đang chạy?). Hãy dừng bot rồi thử lại.`;
}

/**
 * Folds any WAL into the main file and leaves it in rollback-journal mode, so
 * the file alone holds everything. Fails when another connection has the file
 * open (a running bot): leaving WAL mode needs exclusive access.
 */
function settleAlone(file: string, what: string): void {
  const db = new Database(file, { fileMustExist: true, timeout: 1000 });
  try {
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new BackupRefused(inUse(what));
  } catch (e) {
    if (e instanceof BackupRefused) throw e;
    if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw new BackupRefused(inUse(what));
    throw new BackupRefused(`Không khôi phục được: không mở được ${what} (${(e as Error).message}).`);
  } finally {
    db.close();
  }
}
