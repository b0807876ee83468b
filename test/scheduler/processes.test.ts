// Several `nhacviec start` processes on one database, as two (or three) instances in
// this process sharing one Db handle: exactly one of them long polls each bot, a dead
// poller is replaced within 30 s, a clean stop hands over at once, and a poller that
// lost its lease stops. On SQLite a second `nhacviec start` is refused instead.
// Every lease clock is a manual one: time only moves when a test says so.
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startChannels, type RunningChannels } from '../../src/channels/run-channels.ts';
import { holderIsGone, LeaseLost, POLL_LEASE_MS, POLL_RENEW_MS, pollLeaseName, runExclusive, untilAborted, type Exclusive, type LeaseClock } from '../../src/channels/exclusive.ts';
import { claimStart, START_LEASE, START_LEASE_MS } from '../../src/cli/start.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { TICK_LEASE } from '../../src/scheduler/run.ts';
import { leaseName } from '../../src/scheduler/sender.ts';
import type { Db } from '../../src/db/db.ts';
import { leaseHolder, releaseLease } from '../../src/db/leases.repo.ts';
import { testDb, testEngine } from '../helpers/db.ts';
import { startFakeTelegram, type FakeTelegram } from '../channels/helpers/fake-telegram.ts';
import { startFakeZalo, zaloText, type FakeZalo } from '../channels/helpers/fake-zalo.ts';

const log = pino({ level: 'silent' });
const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);

interface ManualClock extends LeaseClock {
  t: number;
  /** Moves time on and wakes the sleeps that are due. */
  advance(ms: number): void;
  /** How many loops sleep on this clock now. */
  parked(): number;
}

function manualClock(start = T0): ManualClock {
  const sleepers = new Set<{ at: number; wake: () => void }>();
  const c: ManualClock = {
    t: start,
    now: () => c.t,
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal.aborted) return resolve();
        const s = {
          at: c.t + ms,
          wake: () => {
            sleepers.delete(s);
            signal.removeEventListener('abort', s.wake);
            resolve();
          },
        };
        sleepers.add(s);
        signal.addEventListener('abort', s.wake, { once: true });
      });
    },
    advance(ms) {
      c.t += ms;
      for (const s of [...sleepers]) if (s.at <= c.t) s.wake();
    },
    parked: () => sleepers.size,
  };
  return c;
}

/** Waits (in real time, briefly) until `cond` holds: the outcome never depends on how long it took. */
async function until(cond: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Lets a loop take its turn: time moves, and the test waits until the loop sleeps again. */
async function step(clock: ManualClock, ms = POLL_RENEW_MS, loops = 1): Promise<void> {
  clock.advance(ms);
  await until(() => clock.parked() >= loops, 'the lease loop to sleep again');
}

/** A Db whose transactions fail while `down` is set (a process cut off from the database). */
function cutOff(db: Db): Db & { down: boolean } {
  const d = {
    ...db,
    down: false,
    async tx<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
      if (d.down) throw new Error('connection refused');
      return db.tx(fn);
    },
  };
  return d;
}

let db: Db;
beforeEach(async () => {
  db = await testDb();
});

describe('runExclusive: one process at a time does the work', () => {
  const LEASE = 'poll:test';
  type Event = { who: string; what: 'start' | 'end'; at: number; lost?: boolean };
  let events: Event[];
  let running: Exclusive[];
  beforeEach(() => {
    events = [];
    running = [];
  });
  afterEach(async () => {
    for (const r of running) await r.stop();
  });

  function start(who: string, clock: ManualClock, on: Db = db): Exclusive {
    const x = runExclusive({ db: on, log, name: LEASE, holder: who, clock }, async (signal) => {
      events.push({ who, what: 'start', at: clock.now() });
      await untilAborted(signal);
      events.push({ who, what: 'end', at: clock.now(), lost: signal.reason instanceof LeaseLost });
    });
    running.push(x);
    return x;
  }

  it('the first takes the lease and works; the second waits; nobody else starts the work', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = start('A', ca);
    await until(() => ca.parked() === 1);
    const b = start('B', cb);
    await until(() => cb.parked() === 1);
    for (let i = 0; i < 5; i++) {
      await step(ca);
      await step(cb);
    }
    expect(a.working()).toBe(true);
    expect(b.working()).toBe(false);
    expect(b.held()).toBe(false);
    expect((await leaseHolder(db, LEASE, ca.now()))?.holder).toBe('A');
    expect(events).toEqual([{ who: 'A', what: 'start', at: T0 }]);
  });

  it('a clean stop ends the work, then releases the lease: the other takes over at its next try, long before the lease would have run out', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = start('A', ca);
    await until(() => ca.parked() === 1);
    start('B', cb);
    await until(() => cb.parked() === 1);
    await a.stop();
    expect(events).toEqual([
      { who: 'A', what: 'start', at: T0 },
      { who: 'A', what: 'end', at: T0, lost: false },
    ]);
    expect(await leaseHolder(db, LEASE, T0)).toBeUndefined();
    await step(cb);
    expect(events[2]).toEqual({ who: 'B', what: 'start', at: T0 + POLL_RENEW_MS });
    expect(POLL_RENEW_MS).toBeLessThan(POLL_LEASE_MS);
  });

  it('a holder that stops renewing (dead, or frozen) is replaced within 30 s; back, it finds the lease gone and stops its work', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = start('A', ca);
    await until(() => ca.parked() === 1);
    const b = start('B', cb);
    await until(() => cb.parked() === 1);
    // A's clock stands still: it renews no more. B tries every 5 s.
    while (!b.working()) await step(cb);
    const tookAfter = cb.now() - T0;
    expect(tookAfter).toBeGreaterThanOrEqual(POLL_LEASE_MS);
    expect(tookAfter).toBeLessThanOrEqual(POLL_LEASE_MS + POLL_RENEW_MS);
    expect(tookAfter).toBeLessThanOrEqual(30_000);
    expect((await leaseHolder(db, LEASE, cb.now()))?.holder).toBe('B');
    // A wakes up: its renewal fails, so it ends its work (with a LeaseLost) at once.
    await step(ca);
    expect(a.working()).toBe(false);
    expect(events.filter((e) => e.who === 'A')).toEqual([
      { who: 'A', what: 'start', at: T0 },
      { who: 'A', what: 'end', at: T0 + POLL_RENEW_MS, lost: true },
    ]);
    expect(b.working()).toBe(true);
  });

  it('a holder killed on this machine (its pid gone) is replaced at the next try, without waiting for its lease to run out', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = start('A', ca);
    await until(() => ca.parked() === 1);
    const b = runExclusive({ db, log, name: LEASE, holder: 'B', clock: cb, gone: (h) => h === 'A' }, async (signal) => {
      events.push({ who: 'B', what: 'start', at: cb.now() });
      await untilAborted(signal);
    });
    running.push(b);
    await until(() => cb.parked() === 1);
    expect(b.working()).toBe(true);
    expect(events.at(-1)).toEqual({ who: 'B', what: 'start', at: T0 });
    // (Here A is not really gone: at its next try it finds the lease taken and stops.)
    await step(ca);
    expect(a.working()).toBe(false);
  });

  it('a holder cut off from the database stops its work before its lease runs out, so two never work at once', async () => {
    const clock = manualClock();
    const aDb = cutOff(db);
    const a = start('A', clock, aDb);
    await until(() => clock.parked() === 1);
    const b = start('B', clock);
    await until(() => clock.parked() === 2);
    aDb.down = true;
    while (!b.working()) await step(clock, POLL_RENEW_MS, 2);
    expect(a.working()).toBe(false);
    const aEnd = events.find((e) => e.who === 'A' && e.what === 'end')!;
    const bStart = events.find((e) => e.who === 'B' && e.what === 'start')!;
    expect(aEnd.lost).toBe(true);
    expect(aEnd.at).toBeLessThan(T0 + POLL_LEASE_MS);
    expect(bStart.at).toBeGreaterThanOrEqual(T0 + POLL_LEASE_MS);
    expect(bStart.at - T0).toBeLessThanOrEqual(30_000);
    // Back on the database, A waits its turn.
    aDb.down = false;
    await step(clock, POLL_RENEW_MS, 2);
    expect(a.working()).toBe(false);
    expect(b.working()).toBe(true);
  });

  it('a holder whose database hangs (no answer at all) stops its work before its lease runs out, without waiting for the answer', async () => {
    const clock = manualClock();
    let hang: { fail: () => void } | null = null;
    const hanging: Db = {
      ...db,
      tx<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
        if (!hang) return db.tx(fn);
        return new Promise<T>((_resolve, reject) => (hang = { fail: () => reject(new Error('connection reset')) }));
      },
    };
    // Short timings: the guard against a silent database runs on real time.
    const x = runExclusive({ db: hanging, log, name: LEASE, holder: 'A', clock, ttlMs: 400, renewMs: 100 }, async (signal) => {
      events.push({ who: 'A', what: 'start', at: clock.now() });
      await untilAborted(signal);
      events.push({ who: 'A', what: 'end', at: clock.now(), lost: signal.reason instanceof LeaseLost });
    });
    running.push(x);
    await until(() => clock.parked() === 1);
    expect(x.working()).toBe(true);
    hang = { fail: () => {} };
    clock.advance(100);
    // The renewal never answers; the work ends anyway, with a LeaseLost, while the lease (until T0 + 400) still holds.
    await until(() => !x.working(), 'the work to stop');
    expect(events.at(-1)).toMatchObject({ who: 'A', what: 'end', lost: true });
    expect(clock.now()).toBeLessThan(T0 + 400);
    const silent = hang as { fail: () => void } | null;
    hang = null;
    silent?.fail();
    await until(() => clock.parked() === 1);
    expect(x.working()).toBe(false);
  });

  it('of three processes exactly one works at every step, through a clean stop and a death', async () => {
    const clocks = [manualClock(), manualClock(), manualClock()];
    const procs = ['A', 'B', 'C'].map((who, i) => start(who, clocks[i]));
    await until(() => clocks.every((c) => c.parked() === 1));
    const workers = () => procs.filter((p) => p.working()).length;
    expect(workers()).toBe(1);
    const first = procs.findIndex((p) => p.working());
    await procs[first].stop();
    const rest = [0, 1, 2].filter((i) => i !== first);
    for (const i of rest) await step(clocks[i]);
    expect(workers()).toBe(1);
    // The new holder dies (its clock stops); the last one takes over within 30 s.
    const second = rest.find((i) => procs[i].working())!;
    const last = rest.find((i) => i !== second)!;
    const from = clocks[last].now();
    while (!procs[last].working()) {
      await step(clocks[last]);
      expect(clocks[last].now() - from).toBeLessThanOrEqual(30_000);
    }
  });

  it('work that fails by itself is started again while the lease is held', async () => {
    const clock = manualClock();
    let tries = 0;
    const x = runExclusive({ db, log, name: LEASE, holder: 'A', clock }, async (signal) => {
      tries++;
      if (tries === 1) throw new Error('boom');
      await untilAborted(signal);
    });
    running.push(x);
    await until(() => clock.parked() === 1);
    await until(() => !x.working());
    for (let i = 0; i < 4 && tries < 2; i++) await step(clock);
    expect(tries).toBe(2);
    expect(x.working()).toBe(true);
    expect(x.held()).toBe(true);
  });
});

describe('long polling with several nhacviec processes on one database', () => {
  const TG_TOKEN = '777888999:AAH-several-processes';
  let tg: FakeTelegram;
  let zalo: FakeZalo;
  let procs: RunningChannels[];
  beforeEach(async () => {
    tg = await startFakeTelegram();
    zalo = await startFakeZalo();
    procs = [];
  });
  afterEach(async () => {
    for (const p of procs) await p.stop();
    await tg.close();
    await zalo.close();
  });

  function config(who: string): Config {
    const c = loadConfig({
      NHACVIEC_DB: ':memory:',
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_API_ROOT: tg.root(who),
      ZALO_BOT_TOKEN: zalo.token,
      ZALO_API_ROOT: zalo.url,
    });
    return { ...c, env: { ...c.env, PORT: 0 } };
  }

  async function proc(who: string, clock: ManualClock): Promise<RunningChannels> {
    // The real command core on the shared database: an update is marked handled there, once.
    const p = await startChannels({ db, config: config(who), log, now: () => T0, scheduler: false, holder: who, pollLease: { clock } });
    procs.push(p);
    // Its two lease loops (telegram, zalo) have had their first try.
    await until(() => clock.parked() === 2, `${who}'s lease loops`);
    return p;
  }

  it('one holder name per process in all its leases (poll, tick, drain); a stop releases every one of them', async () => {
    const clock = manualClock();
    const p = await startChannels({ db, config: config('A'), log, now: () => T0, holder: 'host-a:101:aaaa', pollLease: { clock } });
    await until(() => clock.parked() === 2);
    const names = [pollLeaseName('telegram'), pollLeaseName('zalo'), TICK_LEASE, leaseName('telegram'), leaseName('zalo')];
    const holders = async () => Promise.all(names.map(async (n) => (await leaseHolder(db, n, T0))?.holder));
    for (let i = 0; i < 200 && (await holders()).includes(undefined); i++) await new Promise((r) => setTimeout(r, 10));
    expect(await holders()).toEqual(names.map(() => 'host-a:101:aaaa'));
    await p.stop();
    expect(await holders()).toEqual(names.map(() => undefined));
  });

  const tgPolls = (who: string) => tg.calls.filter((c) => c.who === who && c.method === 'getUpdates').length;

  it('the first process polls both bots, the second none; a message is answered once', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = await proc('A', ca);
    const b = await proc('B', cb);
    expect(a.polling().sort()).toEqual(['telegram', 'zalo']);
    expect(b.polling()).toEqual([]);
    for (let i = 0; i < 3; i++) {
      await step(ca, POLL_RENEW_MS, 2);
      await step(cb, POLL_RENEW_MS, 2);
    }
    expect(b.polling()).toEqual([]);
    await until(() => tgPolls('A') > 0);
    expect(tgPolls('B')).toBe(0);
    expect(tg.calls.some((c) => c.status === 409)).toBe(false);
    expect((await leaseHolder(db, pollLeaseName('telegram'), ca.now()))?.holder).toBe('A');
    expect((await leaseHolder(db, pollLeaseName('zalo'), ca.now()))?.holder).toBe('A');

    tg.message(501, '/trogiup');
    await tg.waitSent(1);
    expect(tg.sent.map((s) => [s.who, s.chat_id])).toEqual([['A', '501']]);
    zalo.queue(zaloText('/trogiup', { userId: 'z-1', messageId: 'zm-1' }));
    await zalo.waitSent(1);
    expect(zalo.sent.map((s) => s.chat_id)).toEqual(['z-1']);
  });

  it('a clean stop hands both bots over at the other process\'s next try; what the first handled is not handled again', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = await proc('A', ca);
    const b = await proc('B', cb);
    const first = tg.message(502, '/trogiup');
    await tg.waitSent(1);
    await a.stop();
    procs.splice(procs.indexOf(a), 1);
    // The stop confirmed the handled update to the server (a getUpdates past it), before releasing.
    expect(tg.calls.filter((c) => c.who === 'A' && c.method === 'getUpdates').at(-1)?.body).toMatchObject({ offset: first + 1, limit: 1 });
    expect(await leaseHolder(db, pollLeaseName('telegram'), ca.now())).toBeUndefined();
    await step(cb, POLL_RENEW_MS, 2);
    expect(b.polling().sort()).toEqual(['telegram', 'zalo']);
    await until(() => tgPolls('B') > 0);
    tg.message(502, '/viec');
    await tg.waitSent(2);
    expect(tg.sent.map((s) => s.who)).toEqual(['A', 'B']);
    expect(tg.calls.some((c) => c.status === 409)).toBe(false);
  });

  it('a poller that stops renewing is replaced within 30 s; Telegram ends its pending poll with 409, and at its next try it stops polling for good', async () => {
    const ca = manualClock();
    const cb = manualClock();
    const a = await proc('A', ca);
    const b = await proc('B', cb);
    await until(() => tg.pollers().includes('A'));
    // A's lease clock stands still (a frozen process): B tries every 5 s.
    while (!b.polling().includes('telegram')) {
      await step(cb, POLL_RENEW_MS, 2);
      expect(cb.now() - T0).toBeLessThanOrEqual(30_000);
    }
    await until(() => tgPolls('B') > 0);
    // B's getUpdates cut A's pending one short, as Telegram does.
    await until(() => tg.calls.some((c) => c.who === 'A' && c.status === 409));
    // A wakes: its lease is B's now, so it stops polling (and does not cut B's poll short on the way out).
    await step(ca, POLL_RENEW_MS, 2);
    expect(a.polling()).toEqual([]);
    const aPolls = tgPolls('A');
    tg.message(503, '/trogiup');
    await tg.waitSent(1);
    expect(tg.sent.map((s) => s.who)).toEqual(['B']);
    expect(tgPolls('A')).toBe(aPolls);
    expect(tg.calls.filter((c) => c.who === 'B' && c.status === 409)).toEqual([]);
  });
});

describe('nhacviec start: one process per SQLite file', () => {
  it('on SQLite a second start is refused with one sentence pointing to PostgreSQL; once the first stops cleanly, it may start; on PostgreSQL several may run', async () => {
    const file = 'data/nhacviec.db';
    expect(await claimStart(db, file, 'host-a:101:aaaa', T0)).toBeNull();
    const second = await claimStart(db, file, 'host-b:202:bbbb', T0 + 1000);
    if (testEngine() === 'postgres') {
      expect(second).toBeNull();
      return;
    }
    expect(second).toBe(
      'Tệp dữ liệu data/nhacviec.db đang được một tiến trình nhacviec start khác dùng (máy host-a, PID 101): với SQLite mỗi lúc chỉ chạy được một tiến trình, nên hãy dừng tiến trình kia trước, hoặc chuyển sang PostgreSQL (NHACVIEC_DB=postgres://…) để chạy nhiều tiến trình cùng lúc; nếu tiến trình kia đã dừng đột ngột, hãy chờ 29 giây rồi chạy lại.',
    );
    // A clean stop releases the lease: the next start goes ahead at once.
    await db.tx((tx) => releaseLease(tx, START_LEASE, 'host-a:101:aaaa'));
    expect(await claimStart(db, file, 'host-b:202:bbbb', T0 + 2000)).toBeNull();
    expect((await leaseHolder(db, START_LEASE, T0 + 2000))?.holder).toBe('host-b:202:bbbb');
  });

  it('the lease of a process that crashed elsewhere (or hangs) runs out: refused until then (the sentence says how long), then allowed', async () => {
    if (testEngine() === 'postgres') return;
    expect(await claimStart(db, 'nv.db', 'host-a:101:aaaa', T0)).toBeNull();
    expect(await claimStart(db, 'nv.db', 'host-b:202:bbbb', T0 + 10_000)).toContain('hãy chờ 20 giây rồi chạy lại');
    expect(await claimStart(db, 'nv.db', 'host-b:202:bbbb', T0 + START_LEASE_MS)).toBeNull();
  });

  it('a start whose holder was killed on this machine (no such process any more) is taken over at once, with no wait', async () => {
    if (testEngine() === 'postgres') return;
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const killed = `${os.hostname()}:${dead}:dead0000`;
    expect(holderIsGone(killed)).toBe(true);
    expect(holderIsGone(`${os.hostname()}:${process.pid}:self0000`)).toBe(false);
    expect(holderIsGone(`another-host:${dead}:x`)).toBe(false);
    expect(holderIsGone('A')).toBe(false);
    expect(await claimStart(db, 'nv.db', killed, T0)).toBeNull();
    expect(await claimStart(db, 'nv.db', 'host-b:202:bbbb', T0 + 1000)).toBeNull();
    expect((await leaseHolder(db, START_LEASE, T0 + 1000))?.holder).toBe('host-b:202:bbbb');
  });
});
