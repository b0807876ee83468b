import type { Command } from 'commander';
import { redactUrl } from '../db/open.ts';
import { context } from './context.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Tạo hoặc nâng cấp cơ sở dữ liệu lên phiên bản mới nhất')
    .action(async () => {
      // Opening the database applies the migrations (SQLite or PostgreSQL, as NHACVIEC_DB says).
      const { config, db } = await context();
      const engine = db.engine === 'postgres' ? 'PostgreSQL' : 'SQLite';
      process.stdout.write(`Cơ sở dữ liệu ${engine} ${redactUrl(config.dbFile)} đã ở phiên bản mới nhất.\n`);
    });
}
