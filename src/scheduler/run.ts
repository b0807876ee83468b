// The scheduler of `nhacviec start`: a tick every minute (node-cron, no overlap)
// and a drain loop that keeps the outbox moving. stop() waits for the work in hand.
// With several processes on one database, one of them ticks (the tick lease); the
// others take over when it stops renewing. A tick run twice writes nothing new anyway.
import cron from 'node-cron';
import type { Config } from '../config.ts';
import { releaseLease } from '../db/leases.repo.ts';
import { takeLeaseFromGone } from '../channels/exclusive.ts';
import type { Db } from '../db/open.ts';
import type { BotPauses } from '../channels/bot-pause.ts';
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
  /** Longest the drain loop sleeps before looking at the outbox again (default DRAIN_POLL_MS). */
  drainPollMs?: number;
  /** The bot-wide 429 pauses, shared with this process's reply path. */
  pauses?: BotPauses;
  /** The address users reach (PUBLIC_URL): when https, Zalo groups get the weekly chart from it. */
  publicUrl?: string;
}

/** Longest the drain loop sleeps before looking at the outbox again (new rows also wake it). */
const DRAIN_POLL_MS = 5_000;
export const TICK_LEASE = 'tick';
/**
 * One process ticks at a time. The lease is taken at each tick and not renewed in
 * between, so with the minute tick it has always run out by the next one: whichever
 * process comes first then ticks, and a process that died is never waited for long.
 */
export const TICK_LEASE_MS = 30_000;

export interface RunningScheduler {
  /** Wakes the drain loop now (new rows in the outbox, e.g. a command's notices). */
  wake(): void;
  stop(): Promise<void>;
}

export function startScheduler(deps: SchedulerDeps): RunningScheduler {
  const { db, config, log } = deps;
  const now = deps.now ?? (() => Date.now());
  const holder = deps.holder ?? defaultHolder();
  const pollMs = deps.drainPollMs ?? DRAIN_POLL_MS;
  let stopped = false;
  let wake: (() => void) | null = null;
  const clock: Clock = {
    now,
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const t = setTimeout(done, Math.max(0, Math.min(ms, pollMs)));
        function done() {
          clearTimeout(t);
          wake = null;
          resolve();
        }
        wake = done;
      }),
  };
  const sender = createOutboxSender({ db, config, log, senders: deps.senders, clock, holder, ...(deps.pauses ? { pauses: deps.pauses } : {}) });
  /** Set when a wake came while the drain was busy: its next round starts without sleeping. */
  let wakeSoon = false;
  const wakeDrain = () => {
    if (wake) wake();
    else wakeSoon = true;
  };

  let ticking: Promise<void> | null = null;
  const runTick = () => {
    if (ticking || stopped) return ticking ?? undefined;
    ticking = Promise.resolve()
      .then(async () => {
        const at = now();
        // A ticker killed on this machine (its pid gone) is not waited for.
        if (!(await takeLeaseFromGone(db, TICK_LEASE, holder, at, TICK_LEASE_MS))) return;
        const r = await tick(db, at, config);
        const s = await enqueueWeeklySummaryIfDue(db, at, config, { publicUrl: deps.publicUrl });
        if (r.unroutable.length > 0) log.warn({ unroutable: r.unroutable.slice(0, 20), count: r.unroutable.length }, 'reminders with no chat to go to');
        if (r.messages > 0 || s.messages > 0 || r.generated > 0) {
          log.info({ generated: r.generated, reminders: r.reminders, messages: r.messages, summaries: s.messages }, 'tick');
        }
        wakeDrain();
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
        const wait = r.nextAt === undefined ? pollMs : r.nextAt - now();
        if (wakeSoon) wakeSoon = false;
        else if (wait > 0) await clock.sleep(wait);
      } catch (e) {
        log.error({ err: (e as Error).message }, 'drain failed');
        await clock.sleep(pollMs);
      }
    }
  })();
  void runTick();

  return {
    wake: wakeDrain,
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
