import type { Command } from 'commander';
import { isEmpty, seedDemo } from '../demo/seed.ts';
import { context } from './context.ts';

export function registerDemo(program: Command): Command {
  return program
    .command('demo')
    .description('Tạo dữ liệu mẫu (một tỉnh, các sở, xã/phường, cán bộ, nhiệm vụ) nếu cơ sở dữ liệu còn trống')
    .action(async () => {
      const ctx = await context();
      if (!(await isEmpty(ctx.db))) {
        process.stderr.write('Cơ sở dữ liệu đã có dữ liệu nên không tạo dữ liệu mẫu.\n');
        return;
      }
      await seedDemo(ctx.db, ctx.now(), ctx.config.zone, ctx.config.calendar);
      process.stdout.write('Đã tạo dữ liệu mẫu. Thử: npx nhacviec console --as CT-TINH\n');
    });
}
