// The logger: pino to stderr (stdout is kept for command output such as JSON).
// Secrets are never logged: tokens are redacted from any string that passes redact().
import pino from 'pino';

export type Logger = pino.Logger;

const secrets = new Set<string>();

/** Registers a secret (a bot token, a webhook secret) so that redact() hides it. */
export function registerSecret(s: string | undefined): void {
  if (s && s.length >= 4) secrets.add(s);
}

/** Replaces every registered secret, and anything shaped like a bot token in a URL, by "***". */
export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out.replace(/\/bot[^/\s"']+/g, '/bot***');
}

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', dest: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redact(a) : a instanceof Error ? redact(a.message) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    dest,
  );
}
