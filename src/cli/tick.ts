// `nhacviec tick [--now INSTANT] [--max-wait GIÂY]`: one tick, then drain the outbox
// (waiting out rate limits up to a bound) and exit — so system cron can drive it.
import type { Command } from 'commander';
import { parseInstant } from '../domain/dates.ts';
import { createOutboxSender } from '../scheduler/sender.ts';
import { sendersFromConfig } from '../scheduler/senders.ts';
import { enqueueWeeklySummaryIfDue } from '../scheduler/summary.ts';
import { tick } from '../scheduler/tick.ts';
import { context } from './context.ts';
import { CliFailure } from './errors.ts';

/** --now as typed (dd/mm/yyyy HH:mm, ISO …), else the clock. */
export function nowOption(value: string | undefined, zone: string, clock: () => number): number {
  return value ? parseInstant(value, { zone }).ms : clock();
}

export function registerTick(program: Command): Command {
  return program
    .command('tick')
    .description('Chạy một lượt nhắc hạn: ghi các nhắc việc đến hạn vào hàng đợi rồi gửi đi')
    .option('--now <thời điểm>', 'coi như bây giờ là thời điểm này (dd/mm/yyyy HH:mm hoặc ISO 8601)')
    .option('--max-wait <giây>', 'chờ giới hạn gửi tối đa bao nhiêu giây', '120')
    .option('--no-send', 'chỉ ghi vào hàng đợi, không gửi')
    .action(async (opts: { now?: string; maxWait: string; send: boolean }) => {
      const { db, config, log, now: clock } = await context();
      const maxWait = Number(opts.maxWait);
      if (!Number.isFinite(maxWait) || maxWait < 0) throw new CliFailure('--max-wait phải là số giây, ví dụ: --max-wait 60');
      const now = nowOption(opts.now, config.zone, clock);
      const r = await tick(db, now, config);
      const s = await enqueueWeeklySummaryIfDue(db, now, config, { publicUrl: process.env.PUBLIC_URL });
      for (const u of r.unroutable) {
        process.stderr.write(`Không có nơi nhận nhắc việc ${u.taskCode}: đơn vị ${u.unitCode} chưa gắn nhóm và chưa ai đăng ký.\n`);
      }
      let sent = 0;
      let failed = 0;
      const senders = opts.send ? sendersFromConfig(config) : [];
      if (opts.send && senders.length === 0) process.stderr.write('Chưa có token bot: tin nhắn nằm trong hàng đợi, chưa gửi.\n');
      let elsewhere: string[] = [];
      if (senders.length > 0) {
        // Another process draining a channel (`nhacviec start`, an earlier tick still waiting
        // out a rate limit) sends what this tick wrote; this one does not wait for it.
        const sender = createOutboxSender({ db, config, log, senders });
        try {
          const d = await sender.drain(maxWait * 1000);
          sent = d.sent;
          failed = d.failed;
          elsewhere = d.elsewhere ?? [];
        } finally {
          await sender.release();
        }
        if (elsewhere.length > 0) process.stderr.write(`Một tiến trình khác đang gửi tin (${elsewhere.join(', ')}): tin mới trong hàng đợi sẽ do tiến trình đó gửi.\n`);
      }
      process.stdout.write(
        `${JSON.stringify({ since: r.since, now, generated: r.generated, reminders: r.reminders, messages: r.messages + s.messages, unroutable: r.unroutable.length, sent, failed, elsewhere })}\n`,
      );
    });
}
