// `nhacviec report recurring --year Y`: the yearly table of recurring reports
// (chế độ báo cáo định kỳ), per rule and unit: on time, late, overdue, in progress.
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { DateTime } from 'luxon';
import { formatRecurringReport, recurringReport } from '../app/recurring/report.ts';
import { parseInstant } from '../domain/dates.ts';
import { InvalidInput } from '../domain/errors.ts';
import { context } from './context.ts';

interface Opts {
  year?: string;
  asOf?: string;
  format: 'text' | 'json';
  out?: string;
}

export function registerRecurringReport(reportCmd: Command): Command {
  return reportCmd
    .command('recurring')
    .description('Thực hiện chế độ báo cáo định kỳ trong năm: số kỳ đúng hạn, chậm, quá hạn theo từng nhiệm vụ định kỳ và đơn vị')
    .option('--year <năm>', 'năm báo cáo (mặc định: năm nay)')
    .option('--as-of <ngày>', 'tính tình trạng đến thời điểm này (mặc định: bây giờ; ngày không giờ = cuối ngày)')
    .addOption(new Option('--format <dạng>', 'dạng báo cáo').choices(['text', 'json']).default('text'))
    .option('--out <tệp>', 'ghi vào tệp thay vì màn hình')
    .action(async (opts: Opts) => {
      const ctx = await context();
      const zone = ctx.config.zone;
      const asOf = opts.asOf === undefined ? ctx.now() : parseInstant(opts.asOf, { zone, dateOnly: 'end' }).ms;
      const year = opts.year === undefined ? DateTime.fromMillis(asOf, { zone }).year : Number(opts.year);
      if (!Number.isInteger(year) || year < 2000 || year > 2100) {
        throw new InvalidInput(`Năm "${String(opts.year).slice(0, 10)}" không hợp lệ. Hãy gõ ví dụ --year 2026.`);
      }
      const rep = await recurringReport(ctx.db, year, asOf, zone);
      const text =
        opts.format === 'json'
          ? JSON.stringify({ year: rep.year, asOf: DateTime.fromMillis(rep.asOf, { zone }).toISO(), rows: rep.rows, totals: rep.totals })
          : formatRecurringReport(rep, zone);
      if (opts.out) {
        fs.writeFileSync(opts.out, `${text}\n`);
        process.stderr.write(`Đã ghi báo cáo vào ${opts.out}.\n`);
      } else process.stdout.write(`${text}\n`);
    });
}
