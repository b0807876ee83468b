// One tick: a function of (database, now). Works out which reminders fell due
// since the last tick and writes them to the outbox in one transaction, under
// unique keys, so running the same tick twice makes nothing new. Set-based: the
// candidates are read in a query or two, decided in memory, and written in
// multi-row inserts; each unit's routes are read once, whatever its reminders.
import { generateDue } from '../app/recurring/generate.ts';
import type { Config } from '../config.ts';
import { leadershipChats } from '../db/bindings.repo.ts';
import { privateChatsOfOfficer, pruneProcessed } from '../db/accounts.repo.ts';
import { activeOfficersByRole } from '../db/officers.repo.ts';
import type { Db } from '../db/open.ts';
import { enqueueMany, getMeta, logRemindersMany, setMeta, type NewOutboxRow } from '../db/outbox.repo.ts';
import { pruneSharedImages } from '../db/shared-images.repo.ts';
import { pruneWebSignIns } from '../db/web.repo.ts';
import { SESSION_IDLE_MS } from '../app/web-login.ts';
import { assigneesOfTasks, cooperatorsOfTasks, privateChatsOfOfficers } from '../db/task-people.repo.ts';
import { openTasksByDeadline, overdueTasksOnWeekdays, responsibleOfUnits, type CandidateTask } from '../db/reminder-candidates.repo.ts';
import { isWorkingDayNumber, makeCalendar, workingDayOnOrAfter, type WorkCalendar } from '../domain/calendar.ts';
import { localClock, type LocalClock } from '../domain/local-clock.ts';
import { dueReminders, planForUnit, type DueReminder, type ReminderPlan, type ReminderRules } from '../domain/reminders.ts';
import { enqueueCommitmentReminders } from './commitment-reminders.ts';
import { enqueueConfirmationNudges } from './confirmation-nudges.ts';
import { unitTargetsMany, type Target } from './routes.ts';
import { officerLabel, reminderMessage, type ReminderItem } from './texts.ts';

export const LAST_TICK_KEY = 'scheduler.lastTick';
const DAY_MS = 86_400_000;
/** How far back the very first tick looks, so a bot started at 09:00 still sends today's 08:00 reminders. */
const FIRST_TICK_LOOKBACK_MS = DAY_MS;
/** Margin for day-based reminders moved across a holiday block (Tết with its weekends). */
const HOLIDAY_SLACK_DAYS = 16;
/** How long a handled update id is remembered against replays (Telegram and Zalo redeliver within a day). */
const PROCESSED_KEEP_MS = 3 * DAY_MS;

export interface TickResult {
  since: number;
  now: number;
  candidates: number;
  reminders: number;
  messages: number;
  /** Occurrences of recurring rules created by this tick. */
  generated: number;
  /** Reminders with no chat to go to (no bound group, nobody linked): logged by the caller. */
  unroutable: { taskCode: string; unitCode: string }[];
}

export interface TickEnv {
  calendar: WorkCalendar;
  clock: LocalClock;
}

/** The calendar and clock of a config, built once per process. */
const envs = new WeakMap<Config, TickEnv>();
export function tickEnv(config: Config): TickEnv {
  let e = envs.get(config);
  if (!e) {
    e = { calendar: makeCalendar(config.calendar), clock: localClock(config.zone) };
    envs.set(config, e);
  }
  return e;
}

function allPlans(config: Config): ReminderPlan[] {
  const { unitOverrides, ...base } = config.reminders;
  return [base, ...Object.values(unitOverrides).map((o) => ({ ...base, ...o }))];
}

/** Open tasks that can have a reminder in (since, now]: a deadline near the window, or a weekly overdue day in it. */
async function candidates(db: Db, config: Config, env: TickEnv, since: number, now: number): Promise<CandidateTask[]> {
  const plans = allPlans(config);
  const maxBefore = Math.max(0, ...plans.flatMap((p) => p.beforeDays));
  const maxAfterWd = Math.max(0, ...plans.map((p) => Math.max(p.overdueDailyWorkingDays, p.escalateAfterWorkingDays)));
  const lo = since - (Math.ceil((maxAfterWd * 7) / 5) + HOLIDAY_SLACK_DAYS) * DAY_MS;
  const hi = now + (maxBefore + HOLIDAY_SLACK_DAYS) * DAY_MS;
  const byId = new Map<number, CandidateTask>();
  for (const t of await openTasksByDeadline(db, lo, hi)) byId.set(t.id, t);
  if (plans.some((p) => p.overdueWeeklyAfter)) {
    // A weekly notice planned for day X is sent on the working day on or before X: the window's
    // working days T take X from T up to the day before the next working day.
    const { calendar, clock } = env;
    const residues = new Set<number>();
    const first = clock.dayOf(since);
    const last = clock.dayOf(now);
    for (let t = first; t <= last && residues.size < 7; t++) {
      if (!isWorkingDayNumber(calendar, t)) continue;
      const next = workingDayOnOrAfter(calendar, t + 1);
      for (let x = t; x < next && residues.size < 7; x++) residues.add(((x % 7) + 7) % 7);
    }
    // The zone's offset from UTC (Vietnam has no daylight saving time) turns an instant into its local day number in SQL.
    const offsetMs = last * DAY_MS - clock.at(last, 0);
    for (const t of await overdueTasksOnWeekdays(db, lo, offsetMs, [...residues])) byId.set(t.id, t);
  }
  return [...byId.values()];
}

/**
 * Runs one tick at `now`. The window is (last tick, now]; after downtime only the
 * latest reminder of each task in the gap goes out, marked as a catch-up.
 */
export async function tick(db: Db, now: number, config: Config): Promise<TickResult> {
  const env = tickEnv(config);
  const last = await getMeta(db, LAST_TICK_KEY);
  const since = last !== undefined ? Number(last) : now - FIRST_TICK_LOOKBACK_MS;
  const result: TickResult = { since, now, candidates: 0, reminders: 0, messages: 0, generated: 0, unroutable: [] };
  if (now <= since) return result;

  // New occurrences first, so one whose reminder is already due gets it in this tick.
  result.generated = (await generateDue(db, now, config)).created;
  await pruneProcessed(db, now - PROCESSED_KEEP_MS);
  await pruneSharedImages(db, now);
  await pruneWebSignIns(db, now, now - SESSION_IDLE_MS);

  const found = await candidates(db, config, env, since, now);
  result.candidates = found.length;
  const due = dueOf(found, config, env, since, now);
  await db.tx(async (tx) => {
    // Reminders another tick (or another process) logged already do not come back as new.
    const logged = await logRemindersMany(
      tx,
      due.map((d) => ({ key: d.key, taskId: d.task.id, kind: d.r.kind, dueAt: d.r.plannedAt, createdAt: now })),
    );
    const fresh = due.filter((d) => logged.has(d.key));
    result.reminders = fresh.length;
    const toUnits = fresh.filter((d) => d.r.kind !== 'escalate');
    // Before the deadline the co-ordinating units are reminded too; the officer named on a task gets every reminder but the escalation, privately.
    const cooperating = await cooperatorsOfTasks(tx, toUnits.filter((d) => d.r.kind === 'before').map((d) => d.task.id));
    const assignees = await assigneesOfTasks(tx, toUnits.map((d) => d.task.id));
    const assigneeChats = await privateChatsOfOfficers(tx, [...assignees.values()].map((a) => a.officerId));
    const unitRoutes = await unitTargetsMany(tx, [...toUnits.map((d) => d.task.unitId), ...[...cooperating.values()].flat()]);
    const lead = fresh.some((d) => d.r.kind === 'escalate') ? await leadershipTargets(tx) : [];
    const targetsOf = (d: Due) => (d.r.kind === 'escalate' ? lead : (unitRoutes.get(d.task.unitId) ?? []));
    const personalOf = (d: Due): Target[] => {
      const a = d.r.kind === 'escalate' ? undefined : assignees.get(d.task.id);
      return a ? (assigneeChats.get(a.officerId) ?? []) : [];
    };
    const cooperatingOf = (d: Due): Target[] => (d.r.kind === 'before' ? (cooperating.get(d.task.id) ?? []).flatMap((u) => unitRoutes.get(u) ?? []) : []);
    const names = new Map<number, string[]>();
    for (const [unitId, officers] of await responsibleOfUnits(tx, fresh.filter((d) => targetsOf(d).length + personalOf(d).length + cooperatingOf(d).length > 0).map((d) => d.task.unitId))) {
      names.set(unitId, officers.map(officerLabel));
    }

    const perChat = new Map<string, { target: Target; items: ReminderItem[]; keys: string[] }>();
    // A chat gets a reminder once, however many ways it is reached (the unit's and the officer's private chat).
    const sent = new Set<string>();
    const add = (targets: Target[], item: ReminderItem, key: string) => {
      for (const target of targets) {
        const k = `${target.channel}|${target.chatId}`;
        if (sent.has(`${k}|${key}`)) continue;
        sent.add(`${k}|${key}`);
        let group = perChat.get(k);
        if (!group) perChat.set(k, (group = { target, items: [], keys: [] }));
        group.items.push(item);
        group.keys.push(key);
      }
    };
    for (const d of fresh) {
      const { task, r } = d;
      const targets = targetsOf(d);
      const personal = personalOf(d);
      const others = cooperatingOf(d);
      if (targets.length === 0 && personal.length === 0 && others.length === 0) {
        result.unroutable.push({ taskCode: task.code, unitCode: task.unitCode });
        continue;
      }
      const item: ReminderItem = {
        taskId: task.id,
        code: task.code,
        title: task.title,
        unitName: task.unitName,
        deadline: task.effectiveDeadline,
        kind: r.kind,
        catchUp: r.catchUp,
        responsible: names.get(task.unitId) ?? [],
      };
      const named = r.kind === 'escalate' ? undefined : assignees.get(task.id);
      if (named) item.assignee = officerLabel(named);
      add(targets, item, d.key);
      add(personal, item, d.key);
      add(others, { ...item, cooperating: true }, d.key);
    }
    const messages: NewOutboxRow[] = [];
    for (const { target, items, keys } of perChat.values()) {
      items.sort((a, b) => kindRank(a.kind) - kindRank(b.kind) || a.deadline - b.deadline || a.code.localeCompare(b.code));
      const msg = reminderMessage(items, { channel: target.channel, now, zone: config.zone, clock: env.clock, calendar: env.calendar });
      const payload = JSON.stringify({ taskIds: items.map((i) => i.taskId), ...(msg.buttons ? { buttons: msg.buttons } : {}) });
      const kind = items.every((i) => i.kind === 'escalate') ? 'escalation' : 'reminder';
      // The chat and the first reminder in it identify the message: a rerun finds the reminders logged and makes nothing.
      messages.push({ key: `m:${target.channel}:${target.chatId}:${keys[0]}`, channel: target.channel, chatId: target.chatId, kind, text: msg.text, payload, createdAt: now, notBefore: now });
    }
    result.messages += (await enqueueMany(tx, messages)).size;
    await setMeta(tx, LAST_TICK_KEY, String(now));
  });
  result.messages += (await enqueueCommitmentReminders(db, now, config, env)).messages;
  result.messages += (await enqueueConfirmationNudges(db, now, config, env)).messages;
  return result;
}

interface Due {
  task: CandidateTask;
  r: DueReminder;
  /** The reminder's identity in reminder_log: task, kind and planned instant. */
  key: string;
}

/**
 * The reminders of the candidates that fell due in (since, now], in candidate order.
 * dueReminders() is pure, so tasks alike in everything it reads (plan, deadline,
 * creation instant) share one call: deadlines cluster on the ends of days.
 */
function dueOf(found: readonly CandidateTask[], config: Config, env: TickEnv, since: number, now: number): Due[] {
  const { unitOverrides, ...base } = config.reminders;
  const byUnit = new Map<string, { rules: ReminderRules; id: number }>();
  // planForUnit gives the base plan itself to units without an override: they share its memo entries.
  const byPlan = new Map<ReminderPlan, { rules: ReminderRules; id: number }>();
  const memo = new Map<string, DueReminder[]>();
  const due: Due[] = [];
  for (const task of found) {
    let p = byUnit.get(task.unitCode);
    if (!p) {
      const plan = planForUnit(base, unitOverrides, task.unitCode);
      p = byPlan.get(plan);
      if (!p) byPlan.set(plan, (p = { rules: { plan, quietHours: config.quietHours, calendar: env.calendar, clock: env.clock }, id: byPlan.size }));
      byUnit.set(task.unitCode, p);
    }
    const k = `${p.id}:${task.effectiveDeadline}:${task.createdAt}`;
    let rs = memo.get(k);
    if (!rs) {
      rs = dueReminders({ effectiveDeadline: task.effectiveDeadline, completedAt: null, createdAt: task.createdAt }, since, now, p.rules);
      memo.set(k, rs);
    }
    for (const r of rs) due.push({ task, r, key: `r:${task.id}:${r.kind}:${r.plannedAt}` });
  }
  return due;
}

function kindRank(k: string): number {
  return k === 'escalate' ? 0 : k === 'weekly' ? 1 : k === 'overdue' ? 2 : 3;
}

/** The leadership groups; else the chairs' private chats (each chair's latest linked account). */
async function leadershipTargets(db: Db): Promise<Target[]> {
  const groups = (await leadershipChats(db)).map((b) => ({ channel: b.channel, chatId: b.chatId }));
  if (groups.length > 0) return groups;
  const chairs: Target[] = [];
  for (const o of await activeOfficersByRole(db, 'chair')) chairs.push(...(await privateChatsOfOfficer(db, o.id)).slice(0, 1));
  return chairs;
}
