// The CLI's edge: a known error becomes one Vietnamese sentence and exit code 1;
// anything else is logged and the user sees a short sentence, never a stack trace.
import { ConfigError } from '../config.ts';
import { DbBusy } from '../db/db.ts';
import { DomainError } from '../domain/errors.ts';
import { redact } from '../log.ts';

/** Thrown by a command to stop with a message and exit code 1 (e.g. an import with bad rows). */
export class CliFailure extends Error {}

export const DB_BUSY_TEXT = 'Cơ sở dữ liệu đang bận (một tiến trình khác đang ghi): thử lại sau ít phút.';

/** redact(), and the password of any postgres:// URL in the text (of an error we did not word ourselves). */
function clean(text: string): string {
  return redact(text).replace(/(postgres(?:ql)?:\/\/[^:/@\s]*:)[^@\s]*@/gi, '$1***@');
}

export function reportError(e: unknown): number {
  if (e instanceof CliFailure || e instanceof DomainError || e instanceof ConfigError) {
    process.stderr.write(`${redact(e.message)}\n`);
    return 1;
  }
  if (e instanceof DbBusy) {
    process.stderr.write(`${DB_BUSY_TEXT}\n`);
    return 1;
  }
  const err = e as Error;
  if (process.env.NHACVIEC_DEBUG) process.stderr.write(`${clean(String(err?.stack ?? err))}\n`);
  process.stderr.write(`Lỗi không mong đợi: ${clean(String(err?.message ?? err)).slice(0, 300)}\n`);
  return 1;
}
