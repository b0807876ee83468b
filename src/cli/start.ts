// `nhacviec start`: every channel whose token is set, the web pages (and webhooks) on
// PORT, plus the scheduler, until SIGINT/SIGTERM. With no token: one line on how to add
// one, then the console on a demo database, logged in as the province chair, with the web
// pages of that database on PORT and a sign-in link for the chair.
// On SQLite one `nhacviec start` per database file is the supported shape: it holds the
// lease process:start while it runs, and a second one refuses to start (several
// processes are what PostgreSQL is for). On PostgreSQL any number may run.
import path from 'node:path';
import type { Command } from 'commander';
import { runConsole } from '../channels/console/run.ts';
import { holderIsGone, holderProcess, runExclusive, takeLeaseFromGone, untilAborted, type Exclusive } from '../channels/exclusive.ts';
import { hasAnyToken, startChannels } from '../channels/run-channels.ts';
import { issueLoginLink } from '../app/web-login.ts';
import { loadConfig, type Config } from '../config.ts';
import { officerByCode } from '../db/officers.repo.ts';
import { listenFailure, serveWeb, type ServedWeb } from '../web/serve.ts';
import { openCliDb, registerDbPassword } from './context.ts';
import { CliFailure } from './errors.ts';
import { leaseHolder } from '../db/leases.repo.ts';
import { engineOf, type Db } from '../db/open.ts';
import { isEmpty, seedDemo } from '../demo/seed.ts';
import { createLogger, registerSecret, type Logger } from '../log.ts';
import { defaultHolder } from '../scheduler/sender.ts';

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

/** The lease of the one `nhacviec start` on an SQLite file. */
export const START_LEASE = 'process:start';
/** A crashed process's start lease runs out after this long; a running one renews it every START_RENEW_MS. */
export const START_LEASE_MS = 30_000;
const START_RENEW_MS = 10_000;

/**
 * The one sentence that refuses a second `nhacviec start` on an SQLite file. `other` is the
 * lease of the process that runs (its holder names its machine and pid). A process that
 * crashed on this machine never gets here (its lease is taken over at once); one that
 * crashed elsewhere, or hangs, holds the file until its lease runs out: the sentence says when.
 */
export function secondStartRefusal(file: string, other: { holder: string; expiresAt: number } | undefined, now: number): string {
  const secs = Math.max(1, Math.ceil(((other?.expiresAt ?? now) - now) / 1000));
  const p = other ? holderProcess(other.holder) : undefined;
  const who = p ? ` (máy ${p.host}, PID ${p.pid})` : '';
  return `Tệp dữ liệu ${file} đang được một tiến trình nhacviec start khác dùng${who}: với SQLite mỗi lúc chỉ chạy được một tiến trình, nên hãy dừng tiến trình kia trước, hoặc chuyển sang PostgreSQL (NHACVIEC_DB=postgres://…) để chạy nhiều tiến trình cùng lúc; nếu tiến trình kia đã dừng đột ngột, hãy chờ ${secs} giây rồi chạy lại.`;
}

/**
 * On SQLite, takes the start lease for `holder` (also from a process of this machine that is
 * gone): null when taken, else the sentence that refuses this second process. On PostgreSQL
 * always null (several processes are supported).
 */
export async function claimStart(db: Db, file: string, holder: string, now: number, gone: (holder: string) => boolean = holderIsGone): Promise<string | null> {
  if (db.engine !== 'sqlite') return null;
  let other: { holder: string; expiresAt: number } | undefined;
  // Twice: the other process may have released the lease between the two reads.
  for (let i = 0; i < 2; i++) {
    if (await takeLeaseFromGone(db, START_LEASE, holder, now, START_LEASE_MS, gone)) return null;
    other = await leaseHolder(db, START_LEASE, now);
    if (other) break;
  }
  return secondStartRefusal(file, other, now);
}

/** Keeps the start lease renewed while the process runs (SQLite only); stop() gives it up. */
export function keepStartLease(db: Db, holder: string, log: Logger): Exclusive | undefined {
  if (db.engine !== 'sqlite') return undefined;
  return runExclusive({ db, log, name: START_LEASE, holder, ttlMs: START_LEASE_MS, renewMs: START_RENEW_MS }, untilAborted);
}

/** The demo's signed-in officer: the province chair. */
export const DEMO_OFFICER = 'CT-TINH';

/**
 * The demo's web pages on PORT, with the address and a sign-in link for the demo chair on
 * stderr. A port in use only costs the pages: the chat demo runs anyway.
 */
async function serveDemoWeb(db: Db, config: Config, log: Logger): Promise<ServedWeb | undefined> {
  let web: ServedWeb;
  try {
    web = await serveWeb({ db, config, log, port: config.env.PORT });
  } catch (e) {
    process.stderr.write(`Không mở được trang web của bản dùng thử. ${listenFailure(config.env.PORT, e)}\n`);
    return undefined;
  }
  const chair = await officerByCode(db, DEMO_OFFICER);
  const link = chair ? await issueLoginLink(db, chair.id, Date.now(), web.publicUrl) : undefined;
  process.stderr.write(`Trang web: ${web.publicUrl}${link ? `\nĐăng nhập với tư cách ${chair!.fullName} (dùng một lần, trong 10 phút): ${link}` : ''}\n`);
  return web;
}

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
          const web = await serveDemoWeb(db, config, log);
          try {
            await runConsole({ db, config, log, officerCode: DEMO_OFFICER });
          } finally {
            await web?.close();
          }
        } finally {
          await db.close();
        }
        return;
      }

      const db = await openCliDb(config.dbFile, { poolSize: config.env.NHACVIEC_PG_POOL, statementTimeoutMs: config.env.NHACVIEC_PG_STATEMENT_TIMEOUT * 1000 });
      // One signal handler for the whole run (removing one and adding another could drop a
      // signal that arrives in between): a stop asked for while the bot starts is honoured
      // once it is up; a second one exits at once.
      let stopAsked: string | null = null;
      let onStop: ((sig: string) => void) | null = null;
      const onSignal = (sig: string) => {
        if (stopAsked) process.exit(130);
        stopAsked = sig;
        onStop?.(sig);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        // One name for this process in every lease it holds (start, poll, tick, drain).
        const holder = defaultHolder();
        const refused = await claimStart(db, config.dbFile, holder, Date.now()).catch(async (e) => {
          await db.close().catch(() => {});
          throw e;
        });
        if (refused) {
          await db.close().catch(() => {});
          throw new CliFailure(refused);
        }
        const startLease = keepStartLease(db, holder, log);
        const closeDb = async () => {
          await startLease?.stop();
          await db.close();
        };
        // PUBLIC_URL is read here until the config has it (config.publicUrl).
        const running = await startChannels({ db, config, log, holder, publicUrl: process.env.PUBLIC_URL }).catch(async (e) => {
          await closeDb().catch(() => {});
          throw new CliFailure(`Không khởi động được bot: ${(e as Error).message.replace(/\.$/, '')}. Kiểm tra token, địa chỉ webhook, cổng PORT và kết nối mạng.`);
        });
        process.stderr.write(`Trang web: ${running.publicUrl}\n`);
        await new Promise<void>((resolve) => {
          onStop = (sig) => {
            log.info({ sig }, 'đang dừng');
            running
              .stop()
              .catch((e: Error) => log.error({ err: e.message }, 'stop failed'))
              .finally(() => {
                closeDb()
                  .catch((e: Error) => log.error({ err: e.message }, 'close failed'))
                  .finally(resolve);
              });
          };
          if (stopAsked) onStop(stopAsked);
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
