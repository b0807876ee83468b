// The scheduler of `nhacviec start`: a tick every minute (node-cron, no overlap)
// and a drain loop that keeps the outbox moving. stop() waits for the work in hand.
// With several processes on one database, one of them ticks (the tick lease); the
// others take over when it stops renewing. A tick run twice writes nothing new anyway.
import cron from 'node-cron';
import type { Config } from '../config.ts';
import { releaseLease, takeLease } from '../db/leases.repo.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import type { ChannelSender } from '../channels/types.ts';
import { createOutboxSender, defaultHolder, type Clock } from './sender.ts';
import { tick } from './tick.ts';
import { enqueueWeeklySummaryIfDue } from './summary.ts';

export interface SchedulerDeps {
  db: Db;
  config: Config;
  log: Logger;
  senders: ChannelSender[];
  now?: () => number;
  /** This process's name in leases (default: host, pid and a random part). */
  holder?: string;
}

/** Longest the drain loop sleeps before looking at the outbox again (new rows also wake it). */
const DRAIN_POLL_MS = 5_000;
export const TICK_LEASE = 'tick';
/** The tick runs every minute: a holder that missed two ticks is taken over. */
export const TICK_LEASE_MS = 150_000;

export function startScheduler(deps: SchedulerDeps): { stop(): Promise<void> } {
  const { db, config, log } = deps;
  const now = deps.now ?? (() => Date.now());
  const holder = deps.holder ?? defaultHolder();
  let stopped = false;
  let wake: (() => void) | null = null;
  const clock: Clock = {
    now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, Math.min(ms, DRAIN_POLL_MS)));
        function done() {
          clearTimeout(t);
          wake = null;
          resolve();
        }
        wake = done;
      }),
  };
  const sender = createOutboxSender({ db, config, log, senders: deps.senders, clock, holder });

  let ticking: Promise<void> | null = null;
  const runTick = () => {
    if (ticking || stopped) return ticking ?? undefined;
    ticking = Promise.resolve()
      .then(async () => {
        const at = now();
        if (!(await db.tx((tx) => takeLease(tx, TICK_LEASE, holder, at, TICK_LEASE_MS)))) return;
        const r = await tick(db, at, config);
        const s = await enqueueWeeklySummaryIfDue(db, at, config);
        if (r.unroutable.length > 0) log.warn({ unroutable: r.unroutable.slice(0, 20), count: r.unroutable.length }, 'reminders with no chat to go to');
        if (r.messages > 0 || s.messages > 0 || r.generated > 0) {
          log.info({ generated: r.generated, reminders: r.reminders, messages: r.messages, summaries: s.messages }, 'tick');
        }
        wake?.();
      })
      .catch((e) => log.error({ err: (e as Error).message }, 'tick failed'))
      .finally(() => {
        ticking = null;
      });
    return ticking;
  };
  const task = cron.schedule(config.tickCron, runTick, { timezone: config.zone, noOverlap: true, name: 'nhacviec-tick' });

  const draining = (async () => {
    while (!stopped) {
      try {
        const r = await sender.drainOnce();
        if (stopped) break;
        const wait = r.nextAt === undefined ? DRAIN_POLL_MS : r.nextAt - now();
        if (wait > 0) await clock.sleep(wait);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'drain failed');
        await clock.sleep(DRAIN_POLL_MS);
      }
    }
  })();
  void runTick();

  return {
    async stop() {
      stopped = true;
      await task.stop();
      wake?.();
      await ticking;
      await draining;
      // Hand the work over at once rather than after the leases run out.
      await sender.release().catch((e: Error) => log.warn({ err: e.message }, 'drain lease not released'));
      await db.tx((tx) => releaseLease(tx, TICK_LEASE, holder)).catch((e: Error) => log.warn({ err: e.message }, 'tick lease not released'));
    },
  };
}
