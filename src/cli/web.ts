// `nhacviec web`: the web pages alone (no chat channels, no scheduler), until Ctrl+C;
// `nhacviec web-link --as <mã>`: a one-time sign-in link for an officer, printed here.
import type { Command } from 'commander';
import { issueLoginLink } from '../app/web-login.ts';
import { publicUrlOf } from '../config.ts';
import { officerByCode } from '../db/officers.repo.ts';
import { NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import { listenFailure, serveWeb } from '../web/serve.ts';
import { context } from './context.ts';
import { CliFailure } from './errors.ts';

function parsePort(s: string): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CliFailure(`Cổng '${s}' không hợp lệ: cần một số từ 0 đến 65535 (0: một cổng còn trống).`);
  return n;
}

export function registerWeb(program: Command): Command {
  return program
    .command('web')
    .description('Chạy riêng trang web (không kênh chat, không bộ nhắc hạn) trên cổng PORT')
    .option('--port <cổng>', 'cổng lắng nghe (mặc định: PORT, 8080)')
    .option('--host <địa chỉ>', 'giao diện mạng lắng nghe (mặc định: tất cả)')
    .action(async (opts: { port?: string; host?: string }) => {
      const { db, config, log, now } = await context();
      const port = opts.port !== undefined ? parsePort(opts.port) : config.env.PORT;
      const web = await serveWeb({ db, config, log, port, now, ...(opts.host ? { host: opts.host } : {}) }).catch((e: unknown) => {
        throw new CliFailure(listenFailure(port, e));
      });
      process.stdout.write(`Trang web: ${web.publicUrl}\nĐăng nhập: gõ /web trong chat với bot, hoặc chạy nhacviec web-link --as <mã cán bộ>. Ctrl+C để dừng.\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await web.close();
    });
}

export function registerWebLink(program: Command): Command {
  return program
    .command('web-link')
    .description('In đường dẫn đăng nhập trang web (dùng một lần, trong 10 phút) cho một cán bộ')
    .requiredOption('--as <mã cán bộ>', 'mã cán bộ, ví dụ CT-TINH')
    .action(async (opts: { as: string }) => {
      const { db, config, now } = await context();
      const code = normCode(opts.as);
      const o = await officerByCode(db, code);
      if (!o) throw new NotFound(`Không có cán bộ mã ${code}. Kiểm tra lại mã (ví dụ: --as CT-TINH).`);
      if (!o.active) throw new CliFailure(`Cán bộ ${o.fullName} (${o.code}) đã ngừng hoạt động nên không đăng nhập được.`);
      const url = await issueLoginLink(db, o.id, now(), publicUrlOf(config));
      process.stdout.write(`${url}\n`);
      process.stderr.write(`Đường dẫn đăng nhập cho ${o.fullName} (${o.code}), dùng một lần, hết hạn sau 10 phút.\n`);
    });
}
