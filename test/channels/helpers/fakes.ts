// A fake command core and a logger that captures its output, for the adapter tests.
import { Writable } from 'node:stream';
import type { BotCore, IncomingMessage, Reply } from '../../../src/bot/types.ts';
import { createLogger, type Logger } from '../../../src/log.ts';

export interface FakeCore extends BotCore {
  seen: IncomingMessage[];
}

/**
 * Echoes the text back; handles each updateKey once, as the real core does, and like it
 * calls `committed` once the update is recorded (a repeat included: it commits as handled).
 */
export function fakeCore(respond?: (m: IncomingMessage) => Reply[]): FakeCore {
  const keys = new Set<string>();
  const seen: IncomingMessage[] = [];
  return {
    seen,
    async handle(msg, _now, opts) {
      if (msg.updateKey !== undefined) {
        if (keys.has(`${msg.channel}:${msg.updateKey}`)) {
          opts?.committed?.();
          return [];
        }
        keys.add(`${msg.channel}:${msg.updateKey}`);
      }
      seen.push(msg);
      opts?.committed?.();
      return respond ? respond(msg) : [{ text: `Bạn gõ: ${msg.text || msg.callbackData}` }];
    },
  };
}

export function capturedLogger(): { log: Logger; output: () => string } {
  let out = '';
  const dest = new Writable({
    write(chunk, _enc, cb) {
      out += chunk.toString();
      cb();
    },
  });
  return { log: createLogger('debug', dest as never), output: () => out };
}
