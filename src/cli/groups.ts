import { Option, type Command } from 'commander';
import { bindChat, listBindings } from '../app/bindings.ts';
import { InvalidInput } from '../domain/errors.ts';
import { context } from './context.ts';

export function registerGroups(program: Command): Command {
  const groups = program.command('groups').description('Nhóm chat gắn với đơn vị hoặc nhóm lãnh đạo');
  groups
    .command('bind')
    .description('Gắn một nhóm chat với một đơn vị (--unit) hoặc làm nhóm lãnh đạo (--leadership)')
    .addOption(new Option('--channel <kênh>', 'kênh chat').choices(['telegram', 'zalo']).makeOptionMandatory())
    .requiredOption('--chat <id>', 'mã nhóm chat')
    .option('--unit <mã>', 'mã đơn vị')
    .option('--leadership', 'nhóm lãnh đạo nhận đề nghị gia hạn và tổng hợp hằng tuần')
    .action(async (opts: { channel: 'telegram' | 'zalo'; chat: string; unit?: string; leadership?: boolean }) => {
      if (!!opts.unit === !!opts.leadership) throw new InvalidInput('Hãy chọn đúng một trong hai: --unit <mã đơn vị> hoặc --leadership.');
      const ctx = await context();
      const msg = await bindChat(ctx.db, opts.channel, opts.chat, opts.leadership ? 'leadership' : { unitCode: opts.unit! }, ctx.now());
      process.stdout.write(`${msg}\n`);
    });
  groups
    .command('list')
    .description('Liệt kê các nhóm đã gắn')
    .action(async () => {
      const rows = await listBindings((await context()).db);
      if (rows.length === 0) {
        process.stdout.write('Chưa có nhóm nào được gắn.\n');
        return;
      }
      for (const b of rows) {
        const what = b.leadership ? 'nhóm lãnh đạo' : `${b.unitName} (${b.unitCode})`;
        const broken = b.status === 'ok' ? '' : ' — bot không còn gửi được vào nhóm này';
        process.stdout.write(`${b.channel}\t${b.chatId}\t${what}${broken}\n`);
      }
    });
  return groups;
}
