// The bot-wide 429 pause as every sender of a process sees it (the outbox drain
// and the direct replies): the pause lives in the database (src/db/pause.repo.ts),
// so a 429 seen by any process holds back all of them; each process reads it at
// most once per `cacheMs` per channel, which keeps the check off the send path.
// Create one per process and give it to both the drain and the reply path: a
// 429 one of them sees then holds the other back at once, not after the cache.
import type { Db } from '../db/db.ts';
import { botPausedUntil, notePause } from '../db/pause.repo.ts';
import type { Channel } from '../db/schema.ts';

export interface BotPauses {
  /** Until when nothing may go to `channel` (undefined: free at `now`). Read from the database at most once per cacheMs. */
  until(channel: Channel, now: number): Promise<number | undefined>;
  /** A 429 said "retry after": nothing goes to `channel`, from any process, before `until`. */
  note(channel: Channel, until: number): Promise<void>;
}

/** The end of the pause a 429 asks for (at least a second). */
export function pauseEnd(retryAfterSec: number, now: number): number {
  return now + Math.max(1, retryAfterSec) * 1000;
}

/** How stale this process's view of another process's 429 may be. */
export const PAUSE_CACHE_MS = 1_000;

export function dbPauses(db: Db, opts: { cacheMs?: number; by?: string } = {}): BotPauses {
  const cacheMs = opts.cacheMs ?? PAUSE_CACHE_MS;
  const known = new Map<Channel, { until: number; readAt: number }>();
  return {
    async until(channel, now) {
      const k = known.get(channel);
      let until = k?.until ?? 0;
      if (!k || now - k.readAt >= cacheMs || now < k.readAt) {
        until = Math.max(until, (await botPausedUntil(db, channel, now)) ?? 0);
        known.set(channel, { until, readAt: now });
      }
      return until > now ? until : undefined;
    },
    async note(channel, until) {
      // This process holds back at once, even if the write below fails.
      const k = known.get(channel);
      known.set(channel, { until: Math.max(until, k?.until ?? 0), readAt: k?.readAt ?? -Infinity });
      await db.tx((tx) => notePause(tx, channel, until, opts.by));
    },
  };
}
