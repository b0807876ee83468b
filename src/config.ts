// One validated config object: environment variables + config/default.json
// (+ config/holidays.json). Webhook-only settings are required only in webhook mode.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const CONFIG_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../config');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'giờ dạng HH:mm');

/** A channel's send limits; `replyReservePerSec` of `globalPerSec` is left by the outbox drain to direct replies. */
const rate = (defaultReplyReserve: number) =>
  z
    .object({
      perChatPerSec: z.number().positive(),
      perGroupPerMin: z.number().positive(),
      globalPerSec: z.number().positive(),
      replyReservePerSec: z.number().min(0).default(defaultReplyReserve),
    })
    .refine((r) => r.replyReservePerSec < r.globalPerSec, { path: ['replyReservePerSec'], message: 'phải nhỏ hơn globalPerSec' });

export const reminderPlanSchema = z.object({
  beforeDays: z.array(z.number().int().min(0).max(365)),
  at: hhmm,
  overdueDailyWorkingDays: z.number().int().min(0),
  overdueWeeklyAfter: z.boolean(),
  escalateAfterWorkingDays: z.number().int().min(0),
});
export type ReminderPlanConfig = z.infer<typeof reminderPlanSchema>;

export const confirmationSchema = z.object({
  default: z.boolean(),
  byIssuer: z.record(z.string().trim().min(1, 'tên cơ quan giao không được trống'), z.boolean()).default({}),
});
export type ConfirmationDefaults = z.infer<typeof confirmationSchema>;

const fileSchema = z.object({
  timezone: z.string(),
  reminders: reminderPlanSchema.extend({
    unitOverrides: z.record(z.string(), reminderPlanSchema.partial()).default({}),
  }),
  quietHours: z.object({ start: hhmm, end: hhmm }),
  weeklySummaryCron: z.string(),
  tickCron: z.string(),
  nearDeadlineDays: z.number().int().min(0),
  inviteValidDays: z.number().int().min(1),
  /** Day of the month reporting periods are cut on (15: a month runs 15/(M−1)..14/M); null: calendar periods. */
  reportCutoffDay: z
    .number()
    .int()
    .min(1, 'ngày chốt số liệu phải từ 1 đến 28')
    .max(28, 'ngày chốt số liệu phải từ 1 đến 28 (29–31 không có ở mọi tháng)')
    .nullable()
    .default(null),
  rateLimits: z.object({ telegram: rate(5), zalo: rate(1) }),
  /** Whether an imported task needs confirmation when its sheet says nothing: per issuing body (Cơ quan giao, matched folded), else `default`. */
  confirmation: confirmationSchema.default({ default: false, byIssuer: {} }),
});

const secret = z.string().min(8).max(256);

const envSchema = z
  .object({
    NHACVIEC_DB: z.string().default('./data/nhacviec.db'),
    /** PostgreSQL only: connections in this process's pool, and the longest a statement may run. */
    NHACVIEC_PG_POOL: z.coerce.number().int().min(1).max(200).default(10),
    NHACVIEC_PG_STATEMENT_TIMEOUT: z.coerce.number().int().min(1).max(3600).default(30),
    NHACVIEC_TZ: z.string().optional(),
    NHACVIEC_CONFIG: z.string().optional(),
    /** Folder of the evidence files (default: `files` beside the SQLite file; ./data/files on PostgreSQL). */
    NHACVIEC_FILES: z.string().min(1).optional(),
    /** Largest evidence file accepted, in MB. */
    NHACVIEC_FILE_MAX_MB: z.coerce.number().positive().max(2000).default(20),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    PORT: z.coerce.number().int().min(1).max(65535).default(8080),
    /** The address users reach the web pages at (sign-in links, shared images); default http://localhost:<PORT>. */
    PUBLIC_URL: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'phải bắt đầu bằng http:// hoặc https://')
      .optional(),
    TELEGRAM_BOT_TOKEN: z.string().min(1).optional(),
    /** The bot's username (with or without @): invites on the web pages link to https://t.me/<it>?start=<mã mời>. */
    TELEGRAM_BOT_USERNAME: z.string().regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/, 'tên bot Telegram, ví dụ NhacViecBot').optional(),
    TELEGRAM_API_ROOT: z.string().url().optional(),
    TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
    TELEGRAM_WEBHOOK_SECRET: secret.optional(),
    ZALO_BOT_TOKEN: z.string().min(1).optional(),
    ZALO_API_ROOT: z.string().url().default('https://bot-api.zaloplatforms.com'),
    ZALO_WEBHOOK_URL: z.string().url().optional(),
    ZALO_WEBHOOK_SECRET: secret.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET)
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'bắt buộc khi dùng webhook Telegram' });
    if (e.ZALO_WEBHOOK_URL && !e.ZALO_WEBHOOK_SECRET)
      ctx.addIssue({ code: 'custom', path: ['ZALO_WEBHOOK_SECRET'], message: 'bắt buộc khi dùng webhook Zalo' });
  });

export interface Holidays {
  /** Local dates yyyy-mm-dd that are public holidays (days off). */
  holidays: string[];
  /** Local dates yyyy-mm-dd of declared make-up working days (ngày làm bù). */
  makeUpDays: string[];
}

export type FileConfig = z.infer<typeof fileSchema>;
export type EnvConfig = z.infer<typeof envSchema>;

export interface Config extends FileConfig {
  env: EnvConfig;
  dbFile: string;
  zone: string;
  calendar: Holidays;
}

export class ConfigError extends Error {}

/** PUBLIC_URL without a trailing slash, or http://localhost:<port> (the port actually bound). */
export function publicUrlOf(config: Config, port: number = config.env.PORT): string {
  return (config.env.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`Không đọc được tệp cấu hình ${file}: ${(e as Error).message}`);
  }
}

function describe(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join('.') || '(gốc)'}: ${i.message}`).join('; ');
}

function loadHolidays(dir: string): Holidays {
  const file = path.join(dir, 'holidays.json');
  if (!fs.existsSync(file)) return { holidays: [], makeUpDays: [] };
  const raw = readJson(file) as Record<string, { holidays?: string[]; makeUpDays?: string[] }>;
  const out: Holidays = { holidays: [], makeUpDays: [] };
  for (const [year, v] of Object.entries(raw)) {
    if (!/^\d{4}$/.test(year)) continue;
    out.holidays.push(...(v.holidays ?? []));
    out.makeUpDays.push(...(v.makeUpDays ?? []));
  }
  return out;
}

/** Builds the config from an environment (default process.env). Throws ConfigError with a Vietnamese message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(`Cấu hình môi trường không hợp lệ: ${describe(parsedEnv.error)}`);
  const dir = parsedEnv.data.NHACVIEC_CONFIG ?? CONFIG_DIR;
  const parsedFile = fileSchema.safeParse(readJson(path.join(dir, 'default.json')));
  if (!parsedFile.success) throw new ConfigError(`config/default.json không hợp lệ: ${describe(parsedFile.error)}`);
  const zone = parsedEnv.data.NHACVIEC_TZ ?? parsedFile.data.timezone;
  return {
    ...parsedFile.data,
    env: parsedEnv.data,
    dbFile: parsedEnv.data.NHACVIEC_DB,
    zone,
    calendar: loadHolidays(dir),
  };
}
