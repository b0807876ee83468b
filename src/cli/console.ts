import type { Command } from 'commander';
import { runConsole } from '../channels/console/run.ts';
import { context } from './context.ts';

export function registerConsole(program: Command): Command {
  return program
    .command('console')
    .description('Trò chuyện thử với bot ngay trên máy, với tư cách một cán bộ (không cần token)')
    .requiredOption('--as <mã cán bộ>', 'mã cán bộ, ví dụ CT-TINH')
    .action(async (opts: { as: string }) => {
      const ctx = await context();
      await runConsole({ db: ctx.db, config: ctx.config, log: ctx.log, officerCode: opts.as, now: ctx.now });
    });
}
