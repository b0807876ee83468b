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

/** redact() over a finished JSON line, where a secret may also appear JSON-escaped. */
function redactLine(line: string): string {
  let out = redact(line);
  for (const s of secrets) {
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.split(escaped).join('***');
  }
  return out;
}

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', dest: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      base: undefined,
      formatters: { level: (label) => ({ level: label }) },
      hooks: {
        // The last line of defence: a secret inside a logged object (a URL, an error
        // field) is hidden too, whatever the call site did.
        streamWrite: redactLine,
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
