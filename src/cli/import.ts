import { Argument, type Command } from 'commander';
import { IMPORT_KINDS, KIND_LABEL, type ImportKind } from '../app/import/columns.ts';
import { formatRowErrors, importFile } from '../app/import/import.service.ts';
import { context } from './context.ts';
import { CliFailure } from './errors.ts';
import { progressBar } from './progress.ts';

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Nhập đơn vị, cán bộ, nhiệm vụ hoặc cam kết từ tệp .csv / .xlsx (hoặc tất cả, hoặc không gì)')
    .addArgument(new Argument('<loại>', 'units (đơn vị), officers (cán bộ), tasks (nhiệm vụ) hoặc commitments (cam kết)').choices(IMPORT_KINDS))
    .argument('<tệp>', 'đường dẫn tệp .csv hoặc .xlsx')
    .option('--dry-run', 'chỉ kiểm tra, không ghi gì')
    .action(async (kind: ImportKind, file: string, opts: { dryRun?: boolean }) => {
      const ctx = await context();
      const result = await importFile(ctx.db, kind, file, {
        zone: ctx.config.zone,
        now: ctx.now(),
        calendar: ctx.config.calendar,
        confirmation: ctx.config.confirmation,
        dryRun: opts.dryRun,
        onProgress: progressBar('Đang nhập'),
      });
      const label = KIND_LABEL[kind];
      if (!result.ok) {
        throw new CliFailure(`Không nhập gì: ${result.errors.length} lỗi trong tệp ${file}. Sửa các dòng sau rồi nhập lại:\n${formatRowErrors(result.errors)}`);
      }
      if (result.dryRun) {
        const rules = result.rules ? `, trong đó ${result.rules} nhiệm vụ sẽ lặp lại định kỳ` : '';
        process.stdout.write(`Kiểm tra xong, không ghi gì: ${result.rows} ${label} hợp lệ${rules}.\n`);
      } else {
        const rules = result.rules ? ` Tạo ${result.rules} nhiệm vụ định kỳ, mã quy tắc là mã nhiệm vụ thêm đuôi -LL.` : '';
        process.stdout.write(`Đã nhập ${result.rows} ${label}: ${result.inserted} mới, ${result.updated} cập nhật.${rules}\n`);
      }
    });
}
