// Crash safety of the real program. `nhacviec start` runs as a child process
// (polling the Telegram emulator on loopback; the database a real SQLite file, or,
// with PROOF_DB=postgres://…, a fresh database made on that server for the run and
// dropped after it) and is killed with SIGKILL at random moments, then started
// again, many times over, while officers type /xong and reminders fall due. Then it
// is started once more and stopped cleanly, and the figures are read from what the
// emulator saw and what the database holds (crash/db-checks.ts, through the Db):
//
// - completionsLost: a completion the bot acknowledged (its "done" answer reached
//   the chat) that is not in the database, checked right after every kill and at
//   the end. Must be 0: the answer is sent only after the transaction commits.
// - remindersLost: an RM task whose reminder time had passed that no reminder
//   message in its unit's group ever named. Must be 0: the tick writes reminders
//   to the outbox in one transaction with the tick's high-water mark, and the
//   next process sends what is pending.
// - remindersDuplicated / duplicatesPerKillMax: copies of one reminder message
//   beyond the first, and the most that arrived after any one kill. At most one
//   per kill: a message is marked sent right after its send, so only the message
//   in flight at the kill can go twice.
// - integrityErrors: after every kill and at the end, on SQLite PRAGMA
//   integrity_check rows other than 'ok' plus foreign_key_check rows; on
//   PostgreSQL the indexes amcheck finds inconsistent. Must be 0.
//
// Why synchronous=FULL on SQLite (src/db/sqlite.ts): SIGKILL kills the process but
// not the machine, so a commit already handed to the OS survives it under any
// setting; what the proof shows here is the ordering (commit, then answer). On a
// power cut or an OS crash, WAL with synchronous=NORMAL may lose the last commits,
// ones whose "done" answer the officer has already read; FULL syncs the WAL on
// every commit, so an acknowledged completion is on disk before the answer
// leaves. The bot writes little, so the cost of the sync is not noticed. On
// PostgreSQL a killed client's open transaction is rolled back by the server, and
// a commit is durable once acknowledged (synchronous_commit, the server's default).
//
// Kills fall uniformly at random between two bounds after each start, except
// for the run that will be up when a reminder minute comes, provided the tick and
// drain leases the killed bots held have run out by then (a bot ticks and drains
// only while it holds them; they are read after every kill): it is killed while
// the outbox drains, at the moment the emulator takes the n-th reminder message
// of that minute (n drawn at random), before the bot has its answer. That is
// the worst moment for the outbox: the message is out but not marked sent, so
// it goes again once the dead drain's claim on it runs out; this is the one
// duplicate a kill may cause. The PRNG is seeded; the seed is printed (PROOF_SEED repeats it).
// Sizes: PROOF_CRASH_KILLS (default 60), PROOF_CRASH_MINUTES (reminder minutes, default 3).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startBot, stopBot, type BotProcess } from '../lib/bot-process.ts';
import { proofSeed, seededRng } from '../lib/prng.ts';
import { startEmulator, type Emulator } from '../lib/telegram-emulator.ts';
import { ChatLog } from '../crash/chat-log.ts';
import { checkFile, outboxState, reminderTasks } from '../crash/db-checks.ts';
import { driveOfficers } from '../crash/officers.ts';
import { seedOffice, type Office } from '../crash/office.ts';
import { scratchDatabases } from '../../bench/scratch-db.ts';
import { freePort } from '../../test/helpers/net.ts';
import { redactUrl } from '../../src/db/open.ts';
import { TICK_LEASE_MS } from '../../src/scheduler/run.ts';
import { CLAIM_MS, LEASE_MS } from '../../src/scheduler/sender.ts';

const TOKEN = '424242:proof-crash-token';
const KILLS = Number(process.env.PROOF_CRASH_KILLS ?? 60);
const REMINDER_MINUTES = Number(process.env.PROOF_CRASH_MINUTES ?? 3);
const UNITS = 90;
const REMINDERS_PER_UNIT = 2;
const COMPLETIONS_PER_UNIT = 10;
const TICK_SECONDS = 2;
/** Lifetime of a run before its kill, drawn uniformly (ms after the spawn). */
const KILL_AFTER_MS: [number, number] = [300, 6_000];
/** A bot started this long before a reminder minute is polling by then (it takes about 1.5 s on 2 busy cores). */
const BOOT_ALLOWANCE_MS = 2_500;
/**
 * A bot ticks and drains only once it holds the tick and drain leases, which a killed bot
 * keeps until they run out (src/scheduler: TICK_LEASE_MS, LEASE_MS). A run is aimed at a
 * reminder minute only if the leases the killed bots left are free a tick before it, and it
 * need not live longer than this before the minute to get there.
 */
const AIM_LEAD_MAX_MS = 60_000;
const LEASE_SLACK_MS = TICK_SECONDS * 1000 + 1_000;
/** A run aimed at a reminder minute whose drain never came (the bot was not up in time) is killed this long after the minute. */
const AIM_FALLBACK_MS = 3_000;
/** Seeding and the first start come before the first reminder minute. */
const FIRST_REMINDER_AFTER_MS = 40_000;
/** Kills go on this long after the last reminder minute, so its drain is hit too. */
const TAIL_MS = 15_000;
/**
 * The final, clean run waits at most this long for everything to settle. It ticks only once
 * the last killed ticker's lease has run out (TICK_LEASE_MS), and a message claimed by a drain
 * killed mid-send goes out again only once its claim has (CLAIM_MS).
 */
const FINAL_WAIT_MS = Math.max(TICK_LEASE_MS, CLAIM_MS + LEASE_MS) + 30_000;
const STOP_GRACE_MS = 15_000;
const POLL_MS = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const say = (s: string) => process.stderr.write(`crash: ${s}\n`);

function tail(file: string, lines: number): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n') : '';
}

export async function run(): Promise<Record<string, number>> {
  const seed = proofSeed();
  say(`seed ${seed} (PROOF_SEED=${seed} repeats the kill schedule and the typing)`);
  const rng = seededRng(seed);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-proof-crash-'));
  const logFile = path.join(dir, 'bot.log');
  const t0 = Date.now();
  const firstMinute = Math.ceil((t0 + FIRST_REMINDER_AFTER_MS) / 60_000) * 60_000;
  const reminderAt = Array.from({ length: REMINDER_MINUTES }, (_, i) => firstMinute + i * 60_000);
  // PROOF_DB: a postgres:// URL whose server gets a fresh database for this run.
  const scratch = process.env.PROOF_DB ? await scratchDatabases(process.env.PROOF_DB, 'nhacviec_proof') : undefined;
  const target = scratch ? await scratch.fresh('crash') : path.join(dir, 'proof.db');
  say(`database: ${scratch ? `${scratch.engine} on ${scratch.where}` : target}`);
  let office: Office;
  let emulator: Emulator;
  try {
    office = await seedOffice(dir, target, { units: UNITS, reminderTasksPerUnit: REMINDERS_PER_UNIT, completionTasksPerUnit: COMPLETIONS_PER_UNIT, reminderAt, tickSeconds: TICK_SECONDS }, t0);
    emulator = await startEmulator(TOKEN);
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    await scratch?.cleanup();
    throw e;
  }
  const env = {
    NHACVIEC_DB: office.target,
    NHACVIEC_CONFIG: office.configDir,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: emulator.apiRoot,
    LOG_LEVEL: 'warn',
    // Every start serves the web pages on PORT: a free one, so that no restart depends on 8080.
    PORT: String(await freePort()),
  };
  const log = new ChatLog(new Set(office.groups.keys()));
  emulator.onBotMessage((m) => log.add(m));
  const officers = driveOfficers({ emulator, tasks: office.completionTasks, acked: log.acked, rng, gapMs: [100, 400], retypeAfterMs: 4_000 });

  let kills = 0;
  let killsWhileServing = 0;
  let killsMidDrain = 0;
  let unexpectedExits = 0;
  let integrity = 0;
  const boots: number[] = [];
  const lostAfterKill = new Set<string>();
  const lastReminder = reminderAt[reminderAt.length - 1];
  let leasesFreeAt = 0;
  let current: BotProcess | undefined;
  try {
    officers.start(true);
    while (kills < KILLS || Date.now() < lastReminder + TAIL_MS) {
      const bot = (current = startBot(dir, env, logFile));
      let lifetime = rng.int(KILL_AFTER_MS[0], KILL_AFTER_MS[1]);
      let midDrain = false;
      let unsubscribe = () => {};
      // Up and holding the leases by the minute: boot time, or until the dead bots' leases run out.
      const lead = Math.max(BOOT_ALLOWANCE_MS, leasesFreeAt + LEASE_SLACK_MS - bot.startedAt);
      const next = reminderAt.findIndex((at) => at > bot.startedAt + lead);
      if (lead <= AIM_LEAD_MAX_MS && next >= 0 && reminderAt[next] - bot.startedAt < lead + KILL_AFTER_MS[1]) {
        // Killed the moment the emulator takes the n-th reminder message of that minute, before it answers.
        const at = reminderAt[next];
        const nth = rng.int(1, office.groupsAt[next]);
        let seen = 0;
        unsubscribe = emulator.onBotMessage((m) => {
          if (m.at >= at && office.groups.has(m.chatId) && ++seen === nth && !midDrain) {
            midDrain = true;
            bot.child.kill('SIGKILL');
          }
        });
        lifetime = at - bot.startedAt + AIM_FALLBACK_MS;
      }
      const polledAt = await lifeOf(bot, lifetime, emulator.polls);
      unsubscribe();
      if (polledAt !== undefined) boots.push(polledAt - bot.startedAt);
      if (!bot.alive() && !midDrain) {
        unexpectedExits++;
        say(`the bot exited by itself (${JSON.stringify(await bot.exited)}); its log ends:\n${tail(logFile, 15)}`);
        log.epoch++;
        if (unexpectedExits > KILLS) throw new Error(`the bot keeps exiting by itself; see ${logFile}`);
        continue;
      }
      if (polledAt !== undefined || midDrain) killsWhileServing++;
      if (midDrain) killsMidDrain++;
      bot.child.kill('SIGKILL');
      await bot.exited;
      kills++;
      log.epoch++;
      const check = await checkFile(office.target, log.acked.keys());
      leasesFreeAt = check.leasesFreeAt;
      for (const c of check.missing) lostAfterKill.add(c);
      integrity += check.integrityErrors;
      if (kills % 10 === 0) say(`${kills} kills, ${log.acked.size} completions acknowledged, ${log.remindedIn.size} tasks reminded`);
    }

    // The last run: no new completions, repeats of unanswered ones, then a clean stop.
    officers.start(false);
    const bot = (current = startBot(dir, env, logFile));
    const due = (await reminderTasks(office.target)).filter((t) => t.at <= Date.now());
    const settled = async () =>
      due.every((t) => log.remindedIn.get(t.code)?.has(t.chatId)) && officers.unanswered() === 0 && (await outboxState(office.target)).pending === 0;
    const until = Date.now() + FINAL_WAIT_MS;
    // Up (its SIGTERM handler is set once it polls) and through a tick before anything counts as settled.
    const pollsBefore = emulator.polls();
    while (Date.now() < until && bot.alive() && emulator.polls() === pollsBefore) await sleep(POLL_MS);
    await sleep(TICK_SECONDS * 1000);
    while (Date.now() < until && bot.alive() && !(await settled())) await sleep(POLL_MS * 10);
    await officers.stop();
    const stopped = await stopBot(bot, STOP_GRACE_MS);
    const cleanStopErrors = stopped.code === 0 && !stopped.forced ? 0 : 1;
    if (cleanStopErrors) say(`the last run did not stop cleanly (${JSON.stringify(stopped)}); its log ends:\n${tail(logFile, 15)}`);

    const end = await checkFile(office.target, log.acked.keys());
    for (const c of end.missing) lostAfterKill.add(c);
    integrity += end.integrityErrors;
    const stoppedAt = Date.now();
    const dueAtEnd = (await reminderTasks(office.target)).filter((t) => t.at <= stoppedAt - TICK_SECONDS * 1000);
    const delivered = dueAtEnd.filter((t) => log.remindedIn.get(t.code)?.has(t.chatId)).length;
    const outbox = await outboxState(office.target);
    say(`a bot polled ${median(boots)} ms after its start (median of ${boots.length} runs)`);
    return {
      crashSeed: seed,
      crashRuns: kills,
      crashKillsWhileServing: killsWhileServing,
      crashKillsMidDrain: killsMidDrain,
      crashUnexpectedExits: unexpectedExits,
      crashCleanStopErrors: cleanStopErrors,
      completionsSent: officers.sent(),
      completionsAcked: log.acked.size,
      completionsLost: lostAfterKill.size,
      remindersDue: dueAtEnd.length,
      remindersDelivered: delivered,
      remindersLost: dueAtEnd.length - delivered,
      remindersDuplicated: log.duplicates(),
      duplicatesPerKillMax: log.duplicatesPerKillMax(),
      outboxPendingAtEnd: outbox.pending,
      outboxFailedAtEnd: outbox.failed,
      integrityErrors: integrity,
    };
  } finally {
    // A suite that failed half-way leaves no bot behind.
    if (current?.alive()) {
      current.child.kill('SIGKILL');
      await current.exited;
    }
    await officers.stop();
    await emulator.stop();
    if (process.env.PROOF_KEEP) {
      say(`files kept in ${dir}${scratch ? `, the database at ${redactUrl(target)}` : ''}`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
      await scratch?.cleanup();
    }
  }
}

/** Waits `ms` after the start, or less if the process exits on its own; returns when it first polled, if it did. */
async function lifeOf(bot: BotProcess, ms: number, polls: () => number): Promise<number | undefined> {
  const until = bot.startedAt + ms;
  const before = polls();
  let polledAt: number | undefined;
  while (bot.alive() && Date.now() < until) {
    await sleep(Math.min(POLL_MS, Math.max(0, until - Date.now())));
    if (polledAt === undefined && polls() > before) polledAt = Date.now();
  }
  return polledAt;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : s[Math.floor(s.length / 2)];
}
