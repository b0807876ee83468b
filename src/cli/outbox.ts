// `nhacviec outbox`: how many messages are pending, sent, failed — and why the failed ones failed.
import type { Command } from 'commander';
import { countByStatus, failedMessages } from '../db/outbox.repo.ts';
import { formatDateTime } from '../domain/dates.ts';
import { context } from './context.ts';

const LABEL: Record<string, string> = { pending: 'đang chờ', sent: 'đã gửi', failed: 'thất bại' };

export function registerOutbox(program: Command): Command {
  return program
    .command('outbox')
    .description('Xem hàng đợi tin nhắn: số tin theo trạng thái và các tin gửi thất bại kèm lý do')
    .option('--limit <n>', 'số tin thất bại hiện ra', '20')
    .option('--json', 'in dạng JSON')
    .action(async (opts: { limit: string; json?: boolean }) => {
      const { db, config } = await context();
      const counts = Object.fromEntries((await countByStatus(db)).map((c) => [c.status, c.n]));
      const failed = await failedMessages(db, Math.max(1, Number(opts.limit) || 20));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ counts, failed })}\n`);
        return;
      }
      const lines = [['pending', 'sent', 'failed'].map((s) => `${LABEL[s]}: ${counts[s] ?? 0}`).join(' · ')];
      if (failed.length > 0) lines.push('', 'Tin thất bại gần nhất:');
      for (const f of failed) {
        lines.push(`#${f.id} ${formatDateTime(f.createdAt, config.zone)} ${f.channel} ${f.chatId} (${f.kind}, ${f.attempts} lần): ${f.lastError ?? 'không rõ lý do'}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
