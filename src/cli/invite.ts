import type { Command } from 'commander';
import { createInvite } from '../app/register.ts';
import { context } from './context.ts';

export function registerInvite(program: Command): Command {
  return program
    .command('invite')
    .description('Cấp mã mời dùng một lần để cán bộ liên kết tài khoản chat (/dangky <mã>)')
    .argument('<mã cán bộ>', 'mã cán bộ, ví dụ CB-XA-AN')
    .action(async (officerCode: string) => {
      const ctx = await context();
      const code = await createInvite(ctx.db, officerCode, ctx.now(), ctx.config.inviteValidDays);
      process.stdout.write(`${code}\n`);
    });
}
