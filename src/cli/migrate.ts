import type { Command } from 'commander';
import { context } from './context.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Tạo hoặc nâng cấp cơ sở dữ liệu lên phiên bản mới nhất')
    .action(() => {
      const { config } = context();
      process.stdout.write(`Cơ sở dữ liệu ${config.dbFile} đã ở phiên bản mới nhất.\n`);
    });
}
