// `nhacviec start`: every channel whose token is set, plus the scheduler, until
// SIGINT/SIGTERM. With no token: one line on how to add one, then the console
// on a demo database, logged in as the province chair.
import path from 'node:path';
import type { Command } from 'commander';
import { runConsole } from '../channels/console/run.ts';
import { hasAnyToken, startChannels } from '../channels/run-channels.ts';
import { loadConfig } from '../config.ts';
import { openCliDb, registerDbPassword } from './context.ts';
import { CliFailure } from './errors.ts';
import { engineOf } from '../db/open.ts';
import { isEmpty, seedDemo } from '../demo/seed.ts';
import { createLogger, registerSecret } from '../log.ts';

/** Reads ./.env when present (Node ≥ 20.12); variables already set win. */
export function loadDotEnv(file = '.env'): void {
  const load = (process as { loadEnvFile?: (p: string) => void }).loadEnvFile;
  if (!load) return;
  try {
    load(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export const NO_TOKEN_HINT =
  'Chưa có token bot: thêm TELEGRAM_BOT_TOKEN hoặc ZALO_BOT_TOKEN vào tệp .env rồi chạy lại. Bây giờ mở bản dùng thử trên máy với dữ liệu mẫu.';

export function registerStart(program: Command): Command {
  return program
    .command('start')
    .description('Chạy bot trên Telegram và/hoặc Zalo (theo token đã cấu hình) cùng bộ nhắc hạn; không có token thì mở bản dùng thử')
    .action(async () => {
      loadDotEnv();
      const config = loadConfig();
      for (const s of [config.env.TELEGRAM_BOT_TOKEN, config.env.TELEGRAM_WEBHOOK_SECRET, config.env.ZALO_BOT_TOKEN, config.env.ZALO_WEBHOOK_SECRET]) registerSecret(s);
      registerDbPassword(config.dbFile);
      const log = createLogger(config.env.LOG_LEVEL);

      if (!hasAnyToken(config)) {
        process.stderr.write(`${NO_TOKEN_HINT}\n`);
        // The demo is always a SQLite file: beside the configured one, or in ./data when NHACVIEC_DB is a server URL.
        const demoDir = engineOf(config.dbFile) === 'postgres' ? 'data' : path.dirname(config.dbFile);
        const db = await openCliDb(path.join(demoDir, 'demo.db'));
        try {
          if (await isEmpty(db)) await seedDemo(db, Date.now(), config.zone, config.calendar);
          await runConsole({ db, config, log, officerCode: 'CT-TINH' });
        } finally {
          await db.close();
        }
        return;
      }

      const db = await openCliDb(config.dbFile);
      // A stop asked for while the channels start is honoured once they are up; a second one exits at once.
      let stopAsked: string | null = null;
      const early = (sig: string) => {
        if (stopAsked) process.exit(130);
        stopAsked = sig;
      };
      process.on('SIGINT', early);
      process.on('SIGTERM', early);
      const running = await startChannels({ db, config, log })
        .catch(async (e) => {
          await db.close().catch(() => {});
          throw new CliFailure(`Không khởi động được bot: ${(e as Error).message}. Kiểm tra token, địa chỉ webhook và kết nối mạng.`);
        })
        .finally(() => {
          process.off('SIGINT', early);
          process.off('SIGTERM', early);
        });
      await new Promise<void>((resolve) => {
        const onSignal = (sig: string) => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
          log.info({ sig }, 'đang dừng');
          running
            .stop()
            .catch((e: Error) => log.error({ err: e.message }, 'stop failed'))
            .finally(() => {
              db.close()
                .catch((e: Error) => log.error({ err: e.message }, 'close failed'))
                .finally(resolve);
            });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        if (stopAsked) onSignal(stopAsked);
      });
    });
}
