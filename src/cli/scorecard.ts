// `nhacviec report commitments --year Y`: the year-end scorecard of commitments.
import fs from 'node:fs';
import { Option, type Command } from 'commander';
import { scorecard, scorecardToJson } from '../app/commitments/scorecard.ts';
import { formatScorecardText, scorecardToXlsx } from '../app/commitments/scorecard-format.ts';
import { yearEnd } from '../domain/commitments.ts';
import { parseInstant } from '../domain/dates.ts';
import { InvalidInput } from '../domain/errors.ts';
import { context } from './context.ts';

interface ScorecardOpts {
  year: string;
  format?: 'text' | 'json' | 'xlsx';
  out?: string;
  asOf?: string;
}

function parseYear(text: string): number {
  const y = /^\d{4}$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!(y >= 2000 && y <= 2100)) throw new InvalidInput(`Năm "${text.slice(0, 20)}" không hợp lệ. Hãy nhập năm có 4 chữ số, ví dụ: --year 2025.`);
  return y;
}

/**
 * The parent `report` command has --format, --out and --as-of too, and takes
 * them wherever they stand unless positional options are on: a value the user
 * typed wins, on whichever command it landed; defaults come last.
 */
function mergedOptions(cmd: Command): ScorecardOpts {
  const own = cmd.opts<ScorecardOpts>();
  const parent = cmd.parent;
  const pick = <K extends keyof ScorecardOpts>(key: K): ScorecardOpts[K] => {
    const typed = (c: Command) => c.getOptionValue(key) !== undefined && c.getOptionValueSource(key) !== 'default';
    if (typed(cmd)) return own[key];
    if (parent && typed(parent)) return parent.getOptionValue(key) as ScorecardOpts[K];
    return own[key];
  };
  return { year: own.year, format: pick('format'), out: pick('out'), asOf: pick('asOf') };
}

/** Adds `commitments` under the `report` command. */
export function registerCommitmentsReport(reportCmd: Command): Command {
  return reportCmd
    .command('commitments')
    .description('Kết quả thực hiện cam kết năm: chỉ tiêu đạt / không đạt / chưa có số liệu, điểm và xếp hạng các đơn vị')
    .requiredOption('--year <năm>', 'năm của cam kết, ví dụ 2025')
    .addOption(new Option('--format <dạng>', 'dạng báo cáo').choices(['text', 'json', 'xlsx']).default('text'))
    .option('--out <tệp>', 'ghi vào tệp thay vì màn hình (bắt buộc ghi tệp với xlsx)')
    .option('--as-of <ngày>', 'tính tình trạng đến ngày này (mặc định: cuối năm đó, hoặc hôm nay nếu năm chưa hết)')
    .action(async (_opts: ScorecardOpts, cmd: Command) => {
      const opts = mergedOptions(cmd);
      const ctx = await context();
      const zone = ctx.config.zone;
      const year = parseYear(opts.year);
      const asOf = opts.asOf !== undefined ? parseInstant(opts.asOf, { zone, dateOnly: 'end' }).ms : Math.min(ctx.now(), yearEnd(year, zone));
      const card = await scorecard(ctx.db, { year, asOf, zone });
      const format = opts.format ?? 'text';
      if (format === 'xlsx') {
        const out = opts.out ?? `ket-qua-cam-ket-${year}.xlsx`;
        fs.writeFileSync(out, await scorecardToXlsx(card, zone));
        process.stderr.write(`Đã ghi kết quả cam kết vào ${out}.\n`);
        return;
      }
      const text = format === 'json' ? JSON.stringify(scorecardToJson(card)) : formatScorecardText(card, zone);
      if (opts.out) {
        fs.writeFileSync(opts.out, `${text}\n`);
        process.stderr.write(`Đã ghi kết quả cam kết vào ${opts.out}.\n`);
      } else process.stdout.write(`${text}\n`);
    });
}
