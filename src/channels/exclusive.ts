// Work that one process at a time may do for the whole bot (long polling a bot,
// holding an SQLite file): it runs only while this process holds the named lease
// (src/db/leases.repo.ts). The holder renews the lease every `renewMs`; the others
// try to take it at the same pace, so when the holder dies its lease runs out and
// another process takes over within ttlMs + renewMs. A holder that finds the lease
// taken by another process, or cannot renew it before it runs out, stops the work
// first. stop() ends the work, then releases the lease: the next process takes
// over at its next try instead of waiting for the lease to run out. A lease whose
// holder ran on this machine and is gone (killed, crashed: its pid no longer
// exists) is taken over at once, without waiting for it to run out.
import os from 'node:os';
import { leaseHolder, releaseLease, takeLease } from '../db/leases.repo.ts';
import type { Db } from '../db/db.ts';
import type { Logger } from '../log.ts';

/** Time as the lease loop sees it: injected in tests. `sleep` ends early when the signal aborts. */
export interface LeaseClock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The reason given to the work's signal when the lease went to another process (or could not be renewed). */
export class LeaseLost extends Error {
  constructor(readonly lease: string) {
    super(`lease ${lease} lost`);
    this.name = 'LeaseLost';
  }
}

/** A long poll lease runs out this long after its holder's last renewal. */
export const POLL_LEASE_MS = 20_000;
/** How often the holder renews, and the others try: a dead poller is replaced within 20 + 5 s. */
export const POLL_RENEW_MS = 5_000;

/** The lease of the one process that long polls `channel`'s bot. */
export function pollLeaseName(channel: 'telegram' | 'zalo'): string {
  return `poll:${channel}`;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The machine and pid in a holder name made by defaultHolder() ("host:pid:random"), if it is one. */
export function holderProcess(holder: string): { host: string; pid: number } | undefined {
  const [host, pidText] = holder.split(':');
  const pid = Number(pidText);
  return host && Number.isInteger(pid) && pid > 0 ? { host, pid } : undefined;
}

/** True when the holder ran on this machine and its process no longer exists. Anything else (another machine, a name of another form) counts as alive. */
export function holderIsGone(holder: string, alive: (pid: number) => boolean = pidAlive): boolean {
  const p = holderProcess(holder);
  return p !== undefined && p.host === os.hostname() && p.pid !== process.pid && !alive(p.pid);
}

/**
 * takeLease, and when another holder has the lease but is known to be gone (see
 * holderIsGone), its lease is given up on its behalf and taken: one transaction.
 */
export async function takeLeaseFromGone(db: Db, name: string, holder: string, now: number, ttlMs: number, gone: (holder: string) => boolean = holderIsGone): Promise<boolean> {
  return db.tx(async (tx) => {
    if (await takeLease(tx, name, holder, now, ttlMs)) return true;
    const current = await leaseHolder(tx, name, now);
    if (!current || !gone(current.holder)) return false;
    await releaseLease(tx, name, current.holder);
    return takeLease(tx, name, holder, now, ttlMs);
  });
}

export const realLeaseClock: LeaseClock = { now: () => Date.now(), sleep: abortableSleep };

/** Resolves when the signal aborts (the work of a lease that only marks "this process runs"). */
export function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

export interface ExclusiveDeps {
  db: Db;
  log: Logger;
  /** The lease, e.g. poll:telegram. */
  name: string;
  /** This process's name in every lease it holds. */
  holder: string;
  ttlMs?: number;
  renewMs?: number;
  clock?: LeaseClock;
  /** Whether a holder is known to be gone (default holderIsGone); injected in tests. */
  gone?: (holder: string) => boolean;
}

export interface Exclusive {
  /** True while this process holds the lease, as of its last try. */
  held(): boolean;
  /** True while the work runs. */
  working(): boolean;
  /** Ends the work (aborting its signal), waits for it, then gives the lease up. */
  stop(): Promise<void>;
}

/** Longest wait before the work is started again after it failed on its own while the lease is held. */
const RESTART_MAX_MS = 60_000;

/**
 * Runs `work(signal)` while this process holds the lease `name`: from the try that
 * takes it until the lease is lost (the signal aborts with a LeaseLost) or stop()
 * (the signal aborts with no LeaseLost). Work that ends by itself (an error) while the
 * lease is held is started again, after a wait that doubles from renewMs to a minute.
 */
export function runExclusive(deps: ExclusiveDeps, work: (signal: AbortSignal) => Promise<void>): Exclusive {
  const { db, log, name, holder } = deps;
  const ttlMs = deps.ttlMs ?? POLL_LEASE_MS;
  const renewMs = deps.renewMs ?? POLL_RENEW_MS;
  if (renewMs * 2 > ttlMs) throw new RangeError(`lease ${name}: renew (${renewMs} ms) at least twice within the ttl (${ttlMs} ms)`);
  const clock = deps.clock ?? realLeaseClock;
  const stopping = new AbortController();
  /** End of the lease as of this process's last successful take (0: not held). */
  let heldUntil = 0;
  let running: { ctrl: AbortController; done: Promise<void> } | null = null;
  let restartAt = 0;
  let restartWait = renewMs;

  function startWork(): void {
    const ctrl = new AbortController();
    const started = clock.now();
    const done = (async () => {
      try {
        await work(ctrl.signal);
        if (!ctrl.signal.aborted) throw new Error('the work ended by itself');
      } catch (e) {
        if (ctrl.signal.aborted) return;
        // Failed on its own: try again later (sooner if it had been running for a while).
        restartWait = clock.now() - started > RESTART_MAX_MS ? renewMs : Math.min(restartWait * 2, RESTART_MAX_MS);
        restartAt = clock.now() + restartWait;
        log.warn({ lease: name, err: (e as Error)?.message, retryInMs: restartWait }, 'leased work stopped');
      }
    })().finally(() => {
      if (running?.ctrl === ctrl) running = null;
    });
    running = { ctrl, done };
  }

  async function endWork(reason?: LeaseLost): Promise<void> {
    const r = running;
    if (!r) return;
    r.ctrl.abort(reason);
    await r.done;
  }

  async function stopLate(): Promise<void> {
    if (!running) return;
    log.warn({ lease: name, holder }, 'lease cannot be renewed in time: stopping its work');
    heldUntil = 0;
    await endWork(new LeaseLost(name));
  }

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      const at = clock.now();
      const taking = takeLeaseFromGone(db, name, holder, at, ttlMs, deps.gone).catch((e: Error) => {
        log.warn({ lease: name, err: e?.message }, 'lease not renewed');
        return undefined;
      });
      // A database that does not answer at all (a server failing over) must not keep the work
      // running past the lease: past this (real) time the work stops, whatever the answer.
      const guard = running && heldUntil !== 0 ? setTimeout(() => void stopLate(), Math.max(0, heldUntil - renewMs - at)) : undefined;
      const took = await taking;
      clearTimeout(guard);
      if (took && clock.now() + renewMs >= at + ttlMs) {
        // Taken, but the answer came too late to count on it until the next try.
        await stopLate();
        heldUntil = 0;
      } else if (took) {
        if (heldUntil === 0) log.info({ lease: name, holder }, 'took the lease');
        heldUntil = at + ttlMs;
        if (!running && !stopping.signal.aborted && clock.now() >= restartAt) startWork();
      } else if (took === false) {
        if (heldUntil !== 0) log.warn({ lease: name, holder }, 'lease taken by another process: stopping its work');
        heldUntil = 0;
        await endWork(new LeaseLost(name));
      } else if (heldUntil !== 0 && clock.now() + renewMs >= heldUntil) {
        // The database failed: stop before the lease runs out and another process starts the same work.
        await stopLate();
        heldUntil = 0;
      }
      await clock.sleep(renewMs, stopping.signal);
    }
  })();

  return {
    held: () => heldUntil !== 0,
    working: () => running !== null,
    async stop() {
      stopping.abort();
      await loop;
      await endWork();
      heldUntil = 0;
      await db.tx((tx) => releaseLease(tx, name, holder)).catch((e: Error) => log.warn({ lease: name, err: e.message }, 'lease not released'));
    },
  };
}
