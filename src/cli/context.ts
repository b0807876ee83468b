// What every CLI command gets: the config, the database (migrated) and a logger.
import { loadConfig, type Config } from '../config.ts';
import { openDb, type Db } from '../db/open.ts';
import { createLogger, registerSecret, type Logger } from '../log.ts';

export interface CliContext {
  config: Config;
  db: Db;
  log: Logger;
  /** The clock; commands that accept --now override it. */
  now: () => number;
}

let cached: CliContext | undefined;

/** Opens everything once, lazily, so `--help` works without a database. */
export function context(): CliContext {
  if (cached) return cached;
  const config = loadConfig();
  registerSecret(config.env.TELEGRAM_BOT_TOKEN);
  registerSecret(config.env.TELEGRAM_WEBHOOK_SECRET);
  registerSecret(config.env.ZALO_BOT_TOKEN);
  registerSecret(config.env.ZALO_WEBHOOK_SECRET);
  const log = createLogger(config.env.LOG_LEVEL);
  const db = openDb(config.dbFile);
  cached = { config, db, log, now: () => Date.now() };
  return cached;
}

export function closeContext(): void {
  cached?.db.$client.close();
  cached = undefined;
}
