// `nhacviec summary [--now INSTANT]`: writes the weekly summary now and sends it.
import type { Command } from 'commander';
import { createOutboxSender, type DrainResult } from '../scheduler/sender.ts';
import { sendersFromConfig } from '../scheduler/senders.ts';
import { enqueueWeeklySummaryIfDue } from '../scheduler/summary.ts';
import { context } from './context.ts';
import { nowOption } from './tick.ts';

export function registerSummary(program: Command): Command {
  return program
    .command('summary')
    .description('Gửi ngay bản tổng hợp tuần tới nhóm lãnh đạo và các nhóm đơn vị')
    .option('--now <thời điểm>', 'tính như vào thời điểm này (dd/mm/yyyy HH:mm hoặc ISO 8601)')
    .option('--max-wait <giây>', 'chờ giới hạn gửi tối đa bao nhiêu giây', '120')
    .action(async (opts: { now?: string; maxWait: string }) => {
      const { db, config, log, now: clock } = await context();
      const now = nowOption(opts.now, config.zone, clock);
      const { messages } = await enqueueWeeklySummaryIfDue(db, now, config, { force: true, publicUrl: process.env.PUBLIC_URL });
      if (messages === 0) {
        process.stderr.write('Chưa có nhóm lãnh đạo hay nhóm đơn vị nào được gắn: gõ /nhom lanhdao trong nhóm lãnh đạo để gắn.\n');
      }
      const senders = sendersFromConfig(config);
      let d: DrainResult | undefined;
      if (senders.length > 0) {
        const sender = createOutboxSender({ db, config, log, senders });
        try {
          d = await sender.drain(Math.max(0, Number(opts.maxWait) || 0) * 1000);
        } finally {
          await sender.release();
        }
      }
      process.stdout.write(`${JSON.stringify({ messages, sent: d?.sent ?? 0, failed: d?.failed ?? 0 })}\n`);
    });
}
