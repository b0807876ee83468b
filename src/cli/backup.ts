// `nhacviec backup FILE` and `nhacviec restore FILE`. Neither goes through
// context(): a backup must not migrate the database of a running bot, and a
// restore must not hold the database open while it replaces it.
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { backupDatabase, checkRestorable, restoreDatabase } from '../db/backup.ts';
import { backupFilesDir, copyStoredFiles } from '../files/backup.ts';
import { filesDirOf } from '../files/store.ts';
import { engineOf } from '../db/open.ts';
import { viNumber } from '../domain/text.ts';
import { CliFailure } from './errors.ts';

/** 1536 → "1,5 KB" */
export function viSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${viNumber(bytes / 1024, 1)} KB`;
  if (bytes < 1024 ** 3) return `${viNumber(bytes / 1024 ** 2, 1)} MB`;
  return `${viNumber(bytes / 1024 ** 3, 2)} GB`;
}

/** The database's name in a postgres:// URL, for the command to type; a placeholder otherwise (never the password). */
function pgDatabaseName(target: string): string {
  try {
    return decodeURIComponent(new URL(target).pathname.slice(1)) || '<tên_csdl>';
  } catch {
    return '<tên_csdl>';
  }
}

/** Backup and restore copy the SQLite file; a PostgreSQL server has its own tools. */
function refuseOnPostgres(target: string, what: 'backup' | 'restore'): void {
  if (engineOf(target) !== 'postgres') return;
  const name = pgDatabaseName(target);
  throw new CliFailure(
    what === 'backup'
      ? `Trên PostgreSQL, nhacviec backup không dùng được: sao lưu bằng công cụ của máy chủ, ví dụ pg_dump -Fc -f nhacviec.dump ${name} (khôi phục bằng pg_restore).`
      : `Trên PostgreSQL, nhacviec restore không dùng được: khôi phục bằng công cụ của máy chủ, ví dụ pg_restore --clean -d ${name} nhacviec.dump (từ bản sao lưu pg_dump -Fc).`,
  );
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Sao lưu cơ sở dữ liệu ra một tệp, và các tệp minh chứng vào thư mục <tệp>.files (làm được cả khi bot đang chạy)')
    .argument('<tệp>', 'tệp sao lưu sẽ tạo, ví dụ sao-luu/nhacviec-2026-11-29.db')
    .option('--force', 'ghi đè nếu tệp đã có')
    .action((file: string, opts: { force?: boolean }) => {
      const config = loadConfig();
      refuseOnPostgres(config.dbFile, 'backup');
      const r = backupDatabase(config.dbFile, file, { force: opts.force });
      const lines = [`Đã sao lưu cơ sở dữ liệu vào ${r.file} (${viSize(r.bytes)}).`];
      // After the database: every file its rows point to was written before the row, so it is there now.
      const f = copyStoredFiles(filesDirOf(config), backupFilesDir(r.file));
      if (f.files > 0) lines.push(`Đã sao lưu ${f.files} tệp minh chứng vào ${backupFilesDir(r.file)} (${viSize(f.bytes)}).`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });

  program
    .command('restore')
    .description('Khôi phục cơ sở dữ liệu từ một tệp sao lưu, và các tệp minh chứng từ <tệp>.files (dừng bot trước); giữ lại bản cũ')
    .argument('<tệp>', 'tệp sao lưu do nhacviec backup tạo')
    .action(async (file: string) => {
      const config = loadConfig();
      const { dbFile } = config;
      refuseOnPostgres(dbFile, 'restore');
      // The files first, so that no restored row points to a file not yet back; files are
      // named by content, so adding them to the store never harms what is there.
      checkRestorable(file);
      const f = copyStoredFiles(backupFilesDir(file), filesDirOf(config));
      const r = await restoreDatabase(dbFile, file);
      const lines = [`Đã khôi phục cơ sở dữ liệu ${dbFile} từ ${file}.`];
      if (f.files > 0) lines.push(`Đã khôi phục ${f.files} tệp minh chứng vào ${filesDirOf(config)} (${f.copied} tệp chép lại).`);
      if (r.previous) lines.push(`Bản cũ được giữ lại ở ${r.previous}.`);
      if (r.migrationsApplied > 0) lines.push(`Đã nâng cấp cấu trúc dữ liệu của bản sao lưu (${r.migrationsApplied} bước).`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
