// Several processes on one PostgreSQL (issue 12). Three `nhacviec start` run as
// child processes against a fresh database on the server of PROOF_DB (made for the
// run, dropped after it) and a Telegram emulator on loopback that follows Telegram's
// getUpdates rule (an update goes out until a later getUpdates confirms it, so the
// updates a killed poller had fetched go again to the next one) and now and then
// hands out an update twice. Officers type /xong, /viec and /giahan while reminders
// fall due. Phases:
// 1. No kill: the three run side by side through the first reminder minute.
// 2. Kills: every few seconds one process gets SIGKILL, and is started again at once;
//    a quarter of the time the one polling Telegram (holder of poll:telegram), a
//    quarter of the time the one draining the outbox (drain:telegram), read from the
//    leases table, else any of the three. Two more reminder minutes fall in it; at
//    each, the drainer is killed the moment the emulator takes the n-th reminder
//    message (n at random), before it answers: the message is out but not marked
//    sent, and goes again once the dead drain's claim on it runs out (2 minutes).
// 3. No kill again until everything has settled, then SIGTERM to all three.
// Figures, counted from what the emulator saw and what the database holds:
// - clusterCompletionsLost / clusterExtensionsLost: a /xong or /giahan the bot
//   acknowledged whose effect is not in the database (after every kill and at the end).
// - clusterNoticesLost: an acknowledged extension request whose notice never reached
//   the leadership group (it goes through the outbox).
// - clusterRemindersLost: a reminder due by the end that never reached its group.
// - clusterDuplicatesPerKillMax: most repeated group messages one kill caused (the
//   message in flight at a drain's kill goes again once its claim runs out: at most 1);
//   clusterDuplicatesWithoutKills: repeats in phase 1, where no kill explains them.
// - clusterUpdatesTwice: answers beyond the messages typed, per chat, command and task:
//   an update handled twice (a repeat delivery must be dropped silently).
// - clusterMaxPerChatPerSec / clusterMaxPerGroupPerMin: the most messages to one group
//   in any second / minute; clusterMaxGlobalPerSec: to all chats in any second, direct
//   replies included. Direct replies are exempt from the per-chat limit (they stay
//   immediate); their figure, clusterMaxPerPrivateChatPerSec, is shown, not judged.
// - clusterFailoverMsMax: after a kill of the poller, until the next getUpdates (by
//   another process); after a kill of the drainer, until another process holds
//   drain:telegram. clusterPollOverlaps: getUpdates calls that came while another
//   caller's long poll was open (two pollers at once).
// - clusterIntegrityErrors: amcheck on every index after every kill and at the end.
// Without PROOF_DB (a postgres:// URL) the suite is skipped: clusterSkipped = 1.
// PROOF_SEED repeats a run's schedule; PROOF_CLUSTER_KILLS sets the kills (default 30).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { startBot, stopBot, type BotProcess } from '../lib/bot-process.ts';
import { proofSeed, seededRng } from '../lib/prng.ts';
import { startEmulator, type Emulator } from '../lib/telegram-emulator.ts';
import { checkFile, outboxState, reminderTasks } from '../crash/db-checks.ts';
import { seedOffice, type Office } from '../crash/office.ts';
import { Observed, rates } from '../cluster/observed.ts';
import { driveClusterOfficers } from '../cluster/officers.ts';
import { scratchDatabases } from '../../bench/scratch-db.ts';
import { freePort } from '../../test/helpers/net.ts';
import { CONFIG_DIR } from '../../src/config.ts';
import type { Db } from '../../src/db/db.ts';
import { openDb, redactUrl } from '../../src/db/open.ts';
import { holderProcess, pollLeaseName } from '../../src/channels/exclusive.ts';
import { CLAIM_MS, LEASE_MS, leaseName } from '../../src/scheduler/sender.ts';

const TOKEN = '434343:proof-cluster-token';
const PROCESSES = 3;
const KILLS = Number(process.env.PROOF_CLUSTER_KILLS ?? 30);
const UNITS = 90;
const REMINDER_MINUTES = 3;
const TICK_SECONDS = 2;
const LEADERSHIP_CHAT = '-990001';
/**
 * The drain sends at Telegram's 30/s less the share kept for direct replies (config
 * rateLimits.telegram.replyReservePerSec, 5 by default), which go out at once from whichever
 * process handled the command (a poller starts at most that many updates a second). The
 * officers here type about 4 messages a second, more in a burst and after a failover (the
 * updates that waited), so the office keeps 10 a second for them, as a deployment with that
 * many commands would.
 */
const REPLY_RESERVE_PER_SEC = 10;
/** Seeding and the first starts come before the first reminder minute. */
const SETUP_MS = 25_000;
/** Phase 1 goes on this long after the first reminder minute at least (its drain is done by then). */
const QUIET_AFTER_FIRST_MS = 10_000;
/** A kill is aimed at the drainer of each reminder minute after the first, armed this long before it. */
const AIM_LEAD_MS = 6_000;
/** An aimed kill that did not happen within this long after its minute is given up. */
const AIM_WINDOW_MS = 10_000;
/** Time between two kills, drawn uniformly. */
const KILL_GAP_MS: [number, number] = [2_000, 5_000];
/** Kills go on this long after the last reminder minute, so its drain is hit too. */
const TAIL_MS = 15_000;
/** Phase 3 waits at most this long: a message claimed by a drain killed mid-send goes again once its claim has run out. */
const FINAL_WAIT_MS = CLAIM_MS + LEASE_MS + 30_000;
/** A failover not seen within this long counts as this long. */
const FAILOVER_WATCH_MS = 60_000;
const STOP_GRACE_MS = 15_000;
/** A process started this long ago has loaded and handles SIGTERM (it takes about 2 s on 2 busy cores). */
const UP_MS = 8_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stderr.write(`cluster: ${s}\n`);
const DAY_MS = 86_400_000;

export async function run(): Promise<Record<string, number>> {
  const url = process.env.PROOF_DB;
  if (!url || !/^postgres(ql)?:\/\//i.test(url)) {
    say('skipped: several processes need PostgreSQL; give PROOF_DB=postgres://… to run it');
    return { clusterSkipped: 1 };
  }
  const seed = proofSeed();
  say(`seed ${seed} (PROOF_SEED=${seed} repeats the kill schedule and the typing)`);
  const rng = seededRng(seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-proof-cluster-'));
  const t0 = Date.now();
  const firstMinute = Math.ceil((t0 + SETUP_MS) / 60_000) * 60_000;
  const reminderAt = Array.from({ length: REMINDER_MINUTES }, (_, i) => firstMinute + i * 60_000);
  const scratch = await scratchDatabases(url, 'nhacviec_proof');
  let office: Office;
  let emulator: Emulator;
  let watch: Db;
  try {
    const target = await scratch.fresh('cluster');
    say(`database on ${scratch.where}; reminder minutes at ${reminderAt.map((t) => new Date(t).toISOString().slice(11, 16)).join(', ')} UTC`);
    office = await seedOffice(dir, target, { units: UNITS, reminderTasksPerUnit: 2, completionTasksPerUnit: 10, reminderAt, tickSeconds: TICK_SECONDS }, t0);
    reserveForReplies(office.configDir);
    watch = await openDb(target, { migrate: false, poolSize: 2 });
    // The leadership group, where extension requests go (through the outbox).
    await watch.orm.insert(watch.t.groupBindings).values({ channel: 'telegram', chatId: LEADERSHIP_CHAT, unitId: null, leadership: true, status: 'ok', createdAt: t0 });
    emulator = await startEmulator(TOKEN, { offsets: true, redeliver: 0.05, random: () => rng.next() });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    await scratch.cleanup();
    throw e;
  }
  const env = {
    NHACVIEC_DB: office.target,
    NHACVIEC_CONFIG: office.configDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    LOG_LEVEL: 'info',
  };
  const groups = new Set([...office.groups.keys(), LEADERSHIP_CHAT]);
  const observed = new Observed(new Set(office.groups.keys()), LEADERSHIP_CHAT);
  emulator.onBotMessage((m) => observed.add(m));
  const zone = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, 'default.json'), 'utf8')).timezone as string;
  const officers = driveClusterOfficers({
    emulator,
    tasks: office.completionTasks,
    observed,
    rng,
    gapMs: [150, 350],
    retypeAfterMs: 5_000,
    extendTo: DateTime.fromMillis(t0 + 40 * DAY_MS, { zone }).toFormat('dd/MM/yyyy'),
    extendEvery: 6,
  });

  const slots: BotProcess[] = [];
  const logOf = (i: number) => path.join(dir, `bot-${i}.log`);
  // Every start serves the web pages on PORT: each slot has a free port of its own (all run on this machine).
  const ports: number[] = [];
  while (ports.length < PROCESSES) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const start = (i: number) => (slots[i] = startBot(dir, { ...env, PORT: String(ports[i]) }, logOf(i)));
  let unexpectedExits = 0;
  /** Processes killed in the middle of a send (see `aim`): dead on purpose. */
  const killedMidSend = new Set<BotProcess>();
  /** Restarts a process killed mid-send, or one that exited by itself (it should not). */
  const revive = async () => {
    for (let i = 0; i < PROCESSES; i++) {
      if (slots[i].alive()) continue;
      if (killedMidSend.has(slots[i])) {
        await slots[i].exited;
        start(i);
        continue;
      }
      unexpectedExits++;
      say(`process ${i} exited by itself (${JSON.stringify(await slots[i].exited)}); its log ends:\n${tail(logOf(i), 10)}`);
      if (unexpectedExits > KILLS) throw new Error(`the processes keep exiting by themselves; see ${dir}`);
      start(i);
    }
  };
  const holderOf = async (lease: string): Promise<string | undefined> => {
    const [row] = await watch.orm.select({ holder: watch.t.leases.holder, expiresAt: watch.t.leases.expiresAt }).from(watch.t.leases).where(eq(watch.t.leases.name, lease));
    return row && row.expiresAt > Date.now() ? row.holder : undefined;
  };
  const slotOf = (holder: string | undefined) => {
    const pid = holder ? holderProcess(holder)?.pid : undefined;
    const i = slots.findIndex((s) => s.alive() && s.child.pid === pid);
    return i >= 0 ? i : undefined;
  };

  /** What is known of an acknowledged completion the database does not hold: for the reader of a failed run. */
  const explainLost = async (code: string, when: string) => {
    const seen = emulator.botMessages.filter((m) => m.text.includes(code)).map((m) => `${new Date(m.at).toISOString().slice(11, 23)} ${m.chatId}: ${m.text.slice(0, 80)}`);
    const [task] = await watch.orm.select({ id: watch.t.tasks.id, completedAt: watch.t.tasks.completedAt }).from(watch.t.tasks).where(eq(watch.t.tasks.code, code));
    const events = task ? await watch.orm.select({ kind: watch.t.taskEvents.kind, at: watch.t.taskEvents.at }).from(watch.t.taskEvents).where(eq(watch.t.taskEvents.taskId, task.id)) : [];
    say(`LOST ${code} (${when}): task ${JSON.stringify(task)}, events ${JSON.stringify(events)}; the bot said:\n  ${seen.join('\n  ')}`);
  };
  let kills = 0;
  let leaderKills = 0;
  let midSendKills = 0;
  /**
   * A kill aimed at the drainer of a reminder minute: at the n-th reminder message the
   * emulator takes, before it answers (the message is out, not yet marked sent).
   */
  let aim: { at: number; nth: number; seen: number; bot: BotProcess; holder: string; polls: boolean } | undefined;
  let integrity = 0;
  const lost = new Set<string>();
  const pollKills: number[] = [];
  const drainFailovers: Promise<number>[] = [];
  /** Time until drain:telegram is held by a holder other than `gone`. */
  const watchDrain = async (gone: string, killedAt: number): Promise<number> => {
    while (Date.now() - killedAt < FAILOVER_WATCH_MS) {
      const h = await holderOf(leaseName('telegram')).catch(() => gone);
      if (h !== undefined && h !== gone) return Date.now() - killedAt;
      await sleep(100);
    }
    return FAILOVER_WATCH_MS;
  };
  try {
    // Phase 1: no kill.
    for (let i = 0; i < PROCESSES; i++) start(i);
    // Officers start once the bot polls: the processes' first start is not what this suite measures.
    while (emulator.polls() === 0) {
      await sleep(100);
      await revive();
    }
    officers.start(true);
    const firstDue = () => reminderTasks(office.target).then((ts) => ts.filter((t) => t.at <= reminderAt[0]));
    while (Date.now() < reminderAt[0] + QUIET_AFTER_FIRST_MS) {
      await sleep(500);
      await revive();
    }
    const quietUntil = reminderAt[0] + 60_000 - 15_000;
    for (;;) {
      const due = await firstDue();
      if (due.every((t) => observed.chat.remindedIn.get(t.code)?.has(t.chatId)) && (await outboxState(office.target)).pending === 0) break;
      if (Date.now() > quietUntil) {
        say('phase 1: the first reminders were not all out before the next minute');
        break;
      }
      await sleep(500);
      await revive();
    }
    say(`phase 1 done (no kill): ${observed.chat.acked.size} completions acknowledged, ${observed.chat.remindedIn.size} tasks reminded`);

    // Phase 2: kills.
    emulator.onBotMessage((m) => {
      const a = aim;
      if (!a || m.at < a.at || !office.groups.has(m.chatId) || ++a.seen !== a.nth) return;
      aim = undefined;
      if (!a.bot.alive()) return;
      a.bot.child.kill('SIGKILL');
      const killedAt = Date.now();
      killedMidSend.add(a.bot);
      kills++;
      observed.kills = kills;
      leaderKills++;
      midSendKills++;
      drainFailovers.push(watchDrain(a.holder, killedAt));
      if (a.polls) pollKills.push(killedAt);
    });
    const armed = new Set<number>();
    const lastReminder = reminderAt[reminderAt.length - 1];
    while (kills < KILLS || Date.now() < lastReminder + TAIL_MS) {
      await sleep(rng.int(KILL_GAP_MS[0], KILL_GAP_MS[1]));
      await revive();
      // A reminder minute comes: aim at its drainer, and leave the processes alone until it is hit.
      const k = reminderAt.findIndex((t, i) => i > 0 && !armed.has(i) && t - Date.now() <= AIM_LEAD_MS && t - Date.now() > 500);
      if (k >= 0) {
        armed.add(k);
        const [drainer, poller] = await Promise.all([holderOf(leaseName('telegram')), holderOf(pollLeaseName('telegram'))]);
        const slot = slotOf(drainer);
        if (drainer && slot !== undefined) aim = { at: reminderAt[k], nth: rng.int(1, office.groupsAt[k]), seen: 0, bot: slots[slot], holder: drainer, polls: poller === drainer };
      }
      if (aim) {
        if (Date.now() < aim.at + AIM_WINDOW_MS) continue;
        aim = undefined;
      }
      const r = rng.next();
      const lease = r < 0.25 ? pollLeaseName('telegram') : r < 0.5 ? leaseName('telegram') : undefined;
      const victim = slotOf(lease ? await holderOf(lease) : undefined) ?? rng.int(0, PROCESSES - 1);
      // What the victim held, whoever it was chosen as.
      const [pollHolder, drainHolder] = await Promise.all([holderOf(pollLeaseName('telegram')), holderOf(leaseName('telegram'))]);
      const bot = slots[victim];
      bot.child.kill('SIGKILL');
      const killedAt = Date.now();
      await bot.exited;
      kills++;
      observed.kills = kills;
      const held = [pollHolder, drainHolder].some((h) => h && holderProcess(h)?.pid === bot.child.pid);
      if (held) leaderKills++;
      if (pollHolder && holderProcess(pollHolder)?.pid === bot.child.pid) pollKills.push(killedAt);
      if (drainHolder && holderProcess(drainHolder)?.pid === bot.child.pid) drainFailovers.push(watchDrain(drainHolder, killedAt));
      start(victim);
      // The acknowledged codes as of now, before the database is read: an answer that comes
      // while it is read may be of a commit the read did not see yet (the other processes run on).
      const check = await checkFile(office.target, [...observed.chat.acked.keys()]);
      for (const c of check.missing) if (!lost.has(c)) await explainLost(c, `after kill ${kills}`);
      for (const c of check.missing) lost.add(c);
      integrity += check.integrityErrors;
      if (kills % 10 === 0) say(`${kills} kills (${leaderKills} of a leader), ${observed.chat.acked.size} completions acknowledged, ${observed.chat.remindedIn.size} tasks reminded`);
    }

    // Phase 3: no kill, until everything has settled.
    officers.start(false);
    const settleFrom = Date.now();
    const due = (await reminderTasks(office.target)).filter((t) => t.at <= settleFrom);
    const settled = async () =>
      due.every((t) => observed.chat.remindedIn.get(t.code)?.has(t.chatId)) &&
      officers.unanswered() === 0 &&
      observed.noticesLost() === 0 &&
      (await outboxState(office.target)).pending === 0;
    while (Date.now() < settleFrom + FINAL_WAIT_MS && !(await settled())) {
      await sleep(500);
      await revive();
    }
    say(`settled ${Math.round((Date.now() - settleFrom) / 1000)} s after the last kill`);
    await officers.stop();
    // A process just restarted sets its SIGTERM handler once it has loaded: stopped before, it would just die.
    while (slots.some((s) => Date.now() - s.startedAt < UP_MS)) await sleep(200);
    const stops = await Promise.all(slots.map((s) => stopBot(s, STOP_GRACE_MS)));
    const cleanStopErrors = stops.filter((s) => s.code !== 0 || s.forced).length;
    if (cleanStopErrors) say(`${cleanStopErrors} processes did not stop cleanly: ${JSON.stringify(stops)}`);

    const end = await checkFile(office.target, [...observed.chat.acked.keys()]);
    for (const c of end.missing) if (!lost.has(c)) await explainLost(c, 'at the end');
    for (const c of end.missing) lost.add(c);
    integrity += end.integrityErrors;
    const dueAtEnd = (await reminderTasks(office.target)).filter((t) => t.at <= settleFrom);
    const delivered = dueAtEnd.filter((t) => observed.chat.remindedIn.get(t.code)?.has(t.chatId)).length;
    const stored = new Set((await watch.orm.select({ id: watch.t.extensions.id }).from(watch.t.extensions)).map((x) => x.id));
    const extensionsLost = [...observed.extensionsAcked.keys()].filter((id) => !stored.has(id)).length;
    const outbox = await outboxState(office.target);
    const failovers = [...pollKills.map((k) => firstAfter(emulator.pollTimes, k) - k), ...(await Promise.all(drainFailovers))];
    const rate = rates(emulator.botMessages, groups);
    say(`busiest second: ${busiest(emulator.botMessages, groups)}`);
    if (observed.unexpected.length > 0) say(`unexpected answers, the first: ${JSON.stringify(observed.unexpected.slice(0, 3))}`);
    say(`failovers (ms): polling ${pollKills.map((k) => firstAfter(emulator.pollTimes, k) - k).join(', ')}; draining ${(await Promise.all(drainFailovers)).join(', ')}`);
    return {
      clusterSeed: seed,
      clusterProcesses: PROCESSES,
      clusterKills: kills,
      clusterLeaderKills: leaderKills,
      clusterKillsMidSend: midSendKills,
      clusterUnexpectedExits: unexpectedExits,
      clusterCleanStopErrors: cleanStopErrors,
      clusterMessagesTyped: [...observed.typed.values()].reduce((a, b) => a + b, 0),
      clusterCompletionsAcked: observed.chat.acked.size,
      clusterCompletionsLost: lost.size,
      clusterExtensionsAcked: observed.extensionsAcked.size,
      clusterExtensionsLost: extensionsLost,
      clusterNoticesLost: observed.noticesLost(),
      clusterRemindersDue: dueAtEnd.length,
      clusterRemindersLost: dueAtEnd.length - delivered,
      clusterDuplicatesPerKillMax: observed.duplicatesPerKillMax(),
      clusterDuplicatesWithoutKills: observed.duplicatesWithoutKills(),
      clusterUpdatesRedelivered: [...emulator.deliveries.values()].filter((n) => n > 1).length,
      clusterUpdatesTwice: observed.updatesTwice(),
      clusterUnexpectedAnswers: observed.unexpected.length,
      clusterMaxPerChatPerSec: rate.perChatPerSec,
      clusterMaxPerPrivateChatPerSec: rate.perPrivateChatPerSec,
      clusterMaxPerGroupPerMin: rate.perGroupPerMin,
      clusterMaxGlobalPerSec: rate.globalPerSec,
      clusterPollOverlaps: emulator.pollOverlaps(),
      clusterFailovers: failovers.length,
      clusterFailoverMsMax: Math.max(0, ...failovers),
      clusterOutboxPendingAtEnd: outbox.pending,
      clusterIntegrityErrors: integrity,
    };
  } finally {
    for (const s of slots) {
      if (s?.alive()) {
        s.child.kill('SIGKILL');
        await s.exited;
      }
    }
    await officers.stop();
    await emulator.stop();
    await watch.close().catch(() => {});
    if (process.env.PROOF_KEEP) {
      say(`files kept in ${dir}, the database at ${redactUrl(office.target)}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
      await scratch.cleanup();
    }
  }
}

/** Sets the office's reply reserve (see REPLY_RESERVE_PER_SEC). */
function reserveForReplies(configDir: string): void {
  const file = path.join(configDir, 'default.json');
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.rateLimits.telegram.replyReservePerSec = REPLY_RESERVE_PER_SEC;
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
}

/** The first time in sorted `times` after `t` (t + FAILOVER_WATCH_MS when none). */
function firstAfter(times: number[], t: number): number {
  const x = times.find((v) => v > t);
  return x ?? t + FAILOVER_WATCH_MS;
}

function tail(file: string, lines: number): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

/** The second with the most messages, and what they were: for the reader of the figures. */
function busiest(messages: readonly { chatId: string; at: number }[], groups: ReadonlySet<string>): string {
  const sorted = [...messages].sort((a, b) => a.at - b.at);
  let best = { n: 0, lo: 0, hi: -1 };
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi].at - sorted[lo].at >= 1_000) lo++;
    if (hi - lo + 1 > best.n) best = { n: hi - lo + 1, lo, hi };
  }
  const w = sorted.slice(best.lo, best.hi + 1);
  const inGroups = w.filter((m) => groups.has(m.chatId)).length;
  return w.length === 0 ? 'none' : `${w.length} messages from ${new Date(w[0].at).toISOString().slice(11, 23)}: ${inGroups} to groups, ${w.length - inGroups} answers in private chats`;
}
