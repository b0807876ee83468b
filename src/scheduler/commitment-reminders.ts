// The commitment part of a tick: targets due in 30 and 7 days go to their unit,
// and in the first days of a month units with reported targets are asked for
// fresh values. Once per working day, from the reminder hour on; every message
// has an outbox key, so a rerun (even with the day mark reset) writes nothing.
import { targetsDueSoon, unitsWithReportedTargets, type DueSoonAlert } from '../app/commitments/alerts.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import { enqueueMany, getMeta, setMeta, type NewOutboxRow } from '../db/outbox.repo.ts';
import { dayNumber, isWorkingDayNumber, localDate, workingDayOnOrAfter, type WorkCalendar } from '../domain/calendar.ts';
import { parseHhmm, type LocalClock } from '../domain/local-clock.ts';
import { unitTargetsMany } from './routes.ts';

export const LAST_COMMITMENT_DAY_KEY = 'scheduler.lastCommitmentDay';
/** Reminders before a target's due date, in calendar days. */
export const TARGET_DUE_DAYS = [30, 7] as const;
/** A monthly prompt missed on the first working day (the bot was down) still goes within this many days after it. */
const PROMPT_CATCH_UP_DAYS = 6;

export interface CommitmentReminderResult {
  messages: number;
}

/** One message per unit, reminder (30 or 7) and due date: the targets that share them. */
function groupDue(alerts: readonly DueSoonAlert[], clock: LocalClock): { key: string; unitId: number; alerts: DueSoonAlert[] }[] {
  const groups = new Map<string, { key: string; unitId: number; alerts: DueSoonAlert[] }>();
  for (const a of alerts) {
    const key = `c:due:${a.unitId}:${localDate(clock.dayOf(a.dueAt))}:${a.bucket}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, unitId: a.unitId, alerts: [] }));
    g.alerts.push(a);
  }
  return [...groups.values()];
}

function dueText(alerts: readonly DueSoonAlert[]): string {
  return [...alerts.map((a) => a.text), 'Xem cả cam kết: /camket. Cập nhật số liệu: /camket capnhat <mã chỉ tiêu> <giá trị>.'].join('\n');
}

/** The first working day of the month holding `day`. */
function firstWorkingDayOfMonth(calendar: WorkCalendar, day: number): number {
  return workingDayOnOrAfter(calendar, dayNumber(`${localDate(day).slice(0, 8)}01`));
}

/** Writes today's commitment reminders to the outbox, if today is a working day, the hour has come and it was not done today. */
export async function enqueueCommitmentReminders(
  db: Db,
  now: number,
  config: Config,
  env: { calendar: WorkCalendar; clock: LocalClock },
): Promise<CommitmentReminderResult> {
  const { calendar, clock } = env;
  const result: CommitmentReminderResult = { messages: 0 };
  const today = clock.dayOf(now);
  if (!isWorkingDayNumber(calendar, today) || clock.minuteOfDay(now) < parseHhmm(config.reminders.at)) return result;
  if ((await getMeta(db, LAST_COMMITMENT_DAY_KEY)) === String(today)) return result;

  const due = groupDue(await targetsDueSoon(db, { asOf: now, days: TARGET_DUE_DAYS, zone: config.zone }), clock);
  const month = localDate(today).slice(0, 7);
  const sinceFirst = today - firstWorkingDayOfMonth(calendar, today);
  const prompts = sinceFirst >= 0 && sinceFirst <= PROMPT_CATCH_UP_DAYS ? await unitsWithReportedTargets(db, Number(month.slice(0, 4))) : [];

  await db.tx(async (tx) => {
    // Every unit's routes in one go, then every message in one multi-row insert (in this order).
    const routes = await unitTargetsMany(tx, [...due.map((g) => g.unitId), ...prompts.map((p) => p.unitId)]);
    const rows: NewOutboxRow[] = [];
    const put = (unitId: number, key: string, kind: string, text: string) => {
      for (const r of routes.get(unitId) ?? []) {
        rows.push({ key: `${key}:${r.channel}:${r.chatId}`, channel: r.channel, chatId: r.chatId, kind, text, createdAt: now, notBefore: now });
      }
    };
    for (const g of due) put(g.unitId, g.key, 'commitment-due', dueText(g.alerts));
    for (const p of prompts) put(p.unitId, `c:month:${month}:${p.unitId}`, 'commitment-prompt', p.text);
    result.messages += (await enqueueMany(tx, rows)).size;
    await setMeta(tx, LAST_COMMITMENT_DAY_KEY, String(today));
  });
  return result;
}
