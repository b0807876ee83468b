// `nhacviec backup FILE` and `nhacviec restore FILE`. Neither goes through
// context(): a backup must not migrate the database of a running bot, and a
// restore must not hold the database open while it replaces it.
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { backupDatabase, restoreDatabase } from '../db/backup.ts';
import { viNumber } from '../domain/text.ts';

/** 1536 → "1,5 KB" */
export function viSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${viNumber(bytes / 1024, 1)} KB`;
  if (bytes < 1024 ** 3) return `${viNumber(bytes / 1024 ** 2, 1)} MB`;
  return `${viNumber(bytes / 1024 ** 3, 2)} GB`;
}

export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('Sao lưu cơ sở dữ liệu ra một tệp (làm được cả khi bot đang chạy)')
    .argument('<tệp>', 'tệp sao lưu sẽ tạo, ví dụ sao-luu/nhacviec-2026-11-29.db')
    .option('--force', 'ghi đè nếu tệp đã có')
    .action((file: string, opts: { force?: boolean }) => {
      const { dbFile } = loadConfig();
      const r = backupDatabase(dbFile, file, { force: opts.force });
      process.stdout.write(`Đã sao lưu cơ sở dữ liệu vào ${r.file} (${viSize(r.bytes)}).\n`);
    });

  program
    .command('restore')
    .description('Khôi phục cơ sở dữ liệu từ một tệp sao lưu (dừng bot trước); giữ lại bản cũ')
    .argument('<tệp>', 'tệp sao lưu do nhacviec backup tạo')
    .action((file: string) => {
      const { dbFile } = loadConfig();
      const r = restoreDatabase(dbFile, file);
      const lines = [`Đã khôi phục cơ sở dữ liệu ${dbFile} từ ${file}.`];
      if (r.previous) lines.push(`Bản cũ được giữ lại ở ${r.previous}.`);
      if (r.migrationsApplied > 0) lines.push(`Đã nâng cấp cấu trúc dữ liệu của bản sao lưu (${r.migrationsApplied} bước).`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
