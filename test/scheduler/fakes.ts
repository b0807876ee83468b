// A fake clock (sleep advances time at once) and a fake channel whose answers a test scripts.
import pino from 'pino';
import type { ChannelSender, OutgoingMessage } from '../../src/channels/types.ts';
import type { Clock } from '../../src/scheduler/sender.ts';

export function fakeClock(start: number): Clock & { t: number } {
  const c = {
    t: start,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

export const quietLog = pino({ level: 'silent' });

export interface FakeChannel extends ChannelSender {
  sent: (OutgoingMessage & { at: number })[];
  /** Errors to throw, in order, for a chat (then it accepts). */
  failures: Map<string, Error[]>;
}

export function fakeChannel(channel: 'telegram' | 'zalo', clock: Clock, maxTextLength = 4096): FakeChannel {
  const f: FakeChannel = {
    channel,
    maxTextLength,
    sent: [],
    failures: new Map(),
    async send(msg) {
      const queue = f.failures.get(msg.chatId);
      const err = queue?.shift();
      if (err) throw err;
      f.sent.push({ ...msg, at: clock.now() });
    },
  };
  return f;
}
