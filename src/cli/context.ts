// What every CLI command gets: the config, the database (migrated) and a logger.
import { loadConfig, type Config } from '../config.ts';
import { describeOpenError, engineOf, openDb, redactUrl, type Db, type OpenOptions } from '../db/open.ts';
import { createLogger, registerSecret, type Logger } from '../log.ts';
import { CliFailure } from './errors.ts';

export interface CliContext {
  config: Config;
  db: Db;
  log: Logger;
  /** The clock; commands that accept --now override it. */
  now: () => number;
}

let cached: CliContext | undefined;

/**
 * Opens the database named by NHACVIEC_DB (a SQLite file or a postgres:// URL).
 * A failure becomes one Vietnamese sentence (CliFailure), never the password or a stack trace.
 */
export async function openCliDb(target: string, opts: OpenOptions = {}): Promise<Db> {
  try {
    return await openDb(target, opts);
  } catch (e) {
    const what = engineOf(target) === 'postgres' ? 'PostgreSQL' : 'SQLite';
    throw new CliFailure(
      describeOpenError(e, target) ?? `Không mở được cơ sở dữ liệu ${what} ${redactUrl(target)}: kiểm tra NHACVIEC_DB và quyền truy cập.`,
    );
  }
}

/** Opens everything once, lazily, so `--help` works without a database. */
export async function context(): Promise<CliContext> {
  if (cached) return cached;
  const config = loadConfig();
  registerSecret(config.env.TELEGRAM_BOT_TOKEN);
  registerSecret(config.env.TELEGRAM_WEBHOOK_SECRET);
  registerSecret(config.env.ZALO_BOT_TOKEN);
  registerSecret(config.env.ZALO_WEBHOOK_SECRET);
  registerDbPassword(config.dbFile);
  const log = createLogger(config.env.LOG_LEVEL);
  const db = await openCliDb(config.dbFile, { poolSize: config.env.NHACVIEC_PG_POOL, statementTimeoutMs: config.env.NHACVIEC_PG_STATEMENT_TIMEOUT * 1000 });
  cached = { config, db, log, now: () => Date.now() };
  return cached;
}

/** A password in a postgres:// URL is a secret like the tokens: never in a log line. */
export function registerDbPassword(target: string): void {
  if (engineOf(target) !== 'postgres') return;
  try {
    const pw = decodeURIComponent(new URL(target).password);
    if (pw) registerSecret(pw);
  } catch {
    // Not a URL: nothing to hide, and openDb will say what is wrong with it.
  }
}

export async function closeContext(): Promise<void> {
  const c = cached;
  cached = undefined;
  await c?.db.close();
}
