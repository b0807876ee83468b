import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { DateTime } from 'luxon';
import { reportToJson } from '../app/report/format-json.ts';
import { formatReportText } from '../app/report/format-text.ts';
import { writeReportXlsx } from '../app/report/format-xlsx.ts';
import { buildReport } from '../app/report.service.ts';
import { parseInstant } from '../domain/dates.ts';
import { InvalidInput } from '../domain/errors.ts';
import { checkCutoffDay, parsePeriod, type Period } from '../domain/period.ts';
import { context } from './context.ts';

interface ReportOpts {
  asOf?: string;
  from?: string;
  to?: string;
  period?: string;
  cutoff?: string;
  unit?: string;
  assignedBy?: string;
  format: 'text' | 'json' | 'xlsx';
  out?: string;
}

export function registerReport(program: Command): Command {
  return program
    .command('report')
    .description('Báo cáo kết quả thực hiện nhiệm vụ: đúng hạn, chậm, quá hạn, đang thực hiện')
    .option('--as-of <ngày>', 'tính tình trạng đến thời điểm này (mặc định: bây giờ; ngày không giờ = cuối ngày)')
    .option('--from <ngày>', 'chỉ nhiệm vụ giao từ ngày này')
    .option('--to <ngày>', 'chỉ nhiệm vụ giao đến hết ngày này')
    .option('--period <kỳ>', 'kỳ báo cáo thay cho --from/--to: "thang 9", "quy 3/2026", "6 thang", "9 thang", "nam 2026"')
    .option('--cutoff <ngày>', 'ngày chốt số liệu của kỳ (1–28; 15: tháng 9 là 15/08–14/09; mặc định: reportCutoffDay trong cấu hình)')
    .option('--unit <mã>', 'chỉ một đơn vị và các đơn vị trực thuộc')
    .option('--assigned-by <chữ>', 'chỉ nhiệm vụ của cơ quan giao có chứa chữ này (vd: "UBND tỉnh")')
    .addOption(new Option('--format <dạng>', 'dạng báo cáo').choices(['text', 'json', 'xlsx']).default('text'))
    .option('--out <tệp>', 'ghi vào tệp thay vì màn hình (bắt buộc ghi tệp với xlsx)')
    .action(async (opts: ReportOpts) => {
      const ctx = await context();
      const zone = ctx.config.zone;
      const date = (text: string | undefined, mode: 'start' | 'end') =>
        text === undefined ? undefined : parseInstant(text, { zone, dateOnly: mode }).ms;
      const givenAsOf = date(opts.asOf, 'end');
      const period = namedPeriod(opts, givenAsOf ?? ctx.now(), zone, ctx.config.reportCutoffDay);
      // A period still running is counted up to now, one that has ended up to its last day.
      const asOf = givenAsOf ?? (period ? Math.min(ctx.now(), period.to) : ctx.now());
      const from = period?.from ?? date(opts.from, 'start');
      const to = period?.to ?? date(opts.to, 'end');
      if (from !== undefined && to !== undefined && from > to) throw new InvalidInput('Ngày --from phải trước ngày --to.');
      if (period && period.from > asOf) throw new InvalidInput(`Kỳ ${period.label} chưa bắt đầu. Hãy chọn một kỳ đã qua hoặc đang diễn ra.`);
      const data = await buildReport(
        ctx.db,
        { asOf, from, to, unitCode: opts.unit, assignedBy: opts.assignedBy, period: period && { label: period.label, cutoffDay: period.cutoffDay } },
        zone,
      );
      if (opts.format === 'xlsx') {
        const out = opts.out ?? `bao-cao-nhiem-vu-${DateTime.fromMillis(asOf, { zone }).toFormat('yyyyMMdd')}.xlsx`;
        await writeReportXlsx(ctx.db, data, zone, fs.createWriteStream(out));
        process.stderr.write(`Đã ghi báo cáo vào ${out}.\n`);
        return;
      }
      const text = opts.format === 'json' ? JSON.stringify(reportToJson(data, zone)) : formatReportText(data, zone);
      if (opts.out) {
        fs.writeFileSync(opts.out, `${text}\n`);
        process.stderr.write(`Đã ghi báo cáo vào ${opts.out}.\n`);
      } else process.stdout.write(`${text}\n`);
    });
}

/** --period with the cutoff of --cutoff, else of the config; undefined without --period. */
function namedPeriod(opts: ReportOpts, now: number, zone: string, configured: number | null): Period | undefined {
  const cutoff = opts.cutoff === undefined ? configured : checkCutoffDay(opts.cutoff);
  if (opts.period === undefined) {
    if (opts.cutoff !== undefined) throw new InvalidInput('--cutoff chỉ dùng kèm --period, ví dụ: --period "thang 9" --cutoff 15.');
    return undefined;
  }
  if (opts.from !== undefined || opts.to !== undefined) throw new InvalidInput('Dùng --period hoặc --from/--to, không dùng cả hai.');
  return parsePeriod(opts.period, now, zone, cutoff);
}
