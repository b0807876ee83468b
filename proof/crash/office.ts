// The office the crash proof runs: a config folder and a seeded database.
//
// Each unit has a Telegram group bound to it and one officer linked to a
// Telegram account. Two kinds of task:
// - RM-…: reminder tasks, never completed. The plan is cut down to a single
//   reminder on the deadline day at the unit's own `at` minute, and each
//   task's deadline is that very instant, so every RM task has exactly one
//   reminder, at a known instant, falling due while the proof runs.
// - DN-…: completion tasks, due in a month (no reminder in the window), that
//   officers close with /xong during the proof.
// Every day from a week back to a month and a half ahead is declared a working
// day (make-up day) and there are no quiet hours, so the proof behaves the
// same on a Sunday night as on a Tuesday morning.
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { CONFIG_DIR } from '../../src/config.ts';
import { openDb } from '../../src/db/open.ts';

const DAY_MS = 86_400_000;

export interface OfficeSize {
  units: number;
  reminderTasksPerUnit: number;
  completionTasksPerUnit: number;
  /** Instants (whole minutes) at which reminders fall due; unit i gets instants[i % length]. */
  reminderAt: number[];
  /** Seconds between scheduler ticks. */
  tickSeconds: number;
}

export interface Officer {
  userId: number;
  name: string;
  unitCode: string;
}

export interface Office {
  /** The database (a file path or a postgres:// URL): the bots' NHACVIEC_DB. */
  target: string;
  configDir: string;
  officers: Officer[];
  /** DN code → the officer who may close it. */
  completionTasks: Map<string, Officer>;
  /** Telegram group chat id → unit code. */
  groups: Map<string, string>;
  /** For each instant of `reminderAt`, how many groups get a reminder message then. */
  groupsAt: number[];
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

export function writeConfig(dir: string, size: OfficeSize, now: number): void {
  const base = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, 'default.json'), 'utf8'));
  const zone: string = base.timezone;
  const hhmm = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');
  const unitOverrides: Record<string, { at: string }> = {};
  for (let i = 0; i < size.units; i++) unitOverrides[unitCode(i)] = { at: hhmm(size.reminderAt[i % size.reminderAt.length]) };
  // A weekly summary date far from today, so none is owed during the proof.
  const far = DateTime.fromMillis(now + 120 * DAY_MS, { zone });
  const config = {
    ...base,
    reminders: { beforeDays: [0], at: base.reminders.at, overdueDailyWorkingDays: 0, overdueWeeklyAfter: false, escalateAfterWorkingDays: 0, unitOverrides },
    quietHours: { start: '00:00', end: '00:00' },
    weeklySummaryCron: `0 8 ${far.day} ${far.month} *`,
    tickCron: `*/${size.tickSeconds} * * * * *`,
  };
  const makeUpDays: string[] = [];
  for (let d = -7; d <= 45; d++) makeUpDays.push(DateTime.fromMillis(now + d * DAY_MS, { zone }).toISODate()!);
  const year = String(DateTime.fromMillis(now, { zone }).year);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'default.json'), JSON.stringify(config, null, 2));
  fs.writeFileSync(path.join(dir, 'holidays.json'), JSON.stringify({ [year]: { holidays: [], makeUpDays } }, null, 2));
}

function unitCode(i: number): string {
  return `PU-${pad(i + 1, 3)}`;
}

export function groupChatId(i: number): string {
  return String(-(100_000 + i));
}

/** Writes the config and seeds the database at `target` (a file path or a fresh postgres:// database). */
export async function seedOffice(dir: string, target: string, size: OfficeSize, now: number): Promise<Office> {
  const configDir = path.join(dir, 'config');
  writeConfig(configDir, size, now);
  const db = await openDb(target);
  const created = now - DAY_MS;
  const officers: Officer[] = [];
  const completionTasks = new Map<string, Officer>();
  const groups = new Map<string, string>();
  const groupsAt = size.reminderAt.map(() => 0);
  let rm = 0;
  let dn = 0;
  try {
    await db.tx(async (tx) => {
      const t = tx.t;
      const task = (code: string, title: string, unitId: number, deadline: number) => ({
        code,
        title,
        unitId,
        assignedBy: 'UBND tỉnh',
        sourceDoc: 'Kế hoạch kiểm thử',
        assignedAt: created,
        deadline,
        effectiveDeadline: deadline,
        createdAt: created,
        updatedAt: created,
      });
      for (let i = 0; i < size.units; i++) {
        const code = unitCode(i);
        const [{ id: unitId }] = await tx.orm.insert(t.units).values({ code, name: `Phòng thử nghiệm ${i + 1}`, path: '/' }).returning({ id: t.units.id });
        await tx.orm.update(t.units).set({ path: `/${unitId}/` }).where(eq(t.units.id, unitId));
        const [{ id: officerId }] = await tx.orm
          .insert(t.officers)
          .values({ code: `CB-${pad(i + 1, 3)}`, fullName: `Cán bộ ${i + 1}`, unitId, role: 'officer' })
          .returning({ id: t.officers.id });
        const officer: Officer = { userId: 700_000 + i, name: `Cán bộ ${i + 1}`, unitCode: code };
        officers.push(officer);
        await tx.orm.insert(t.chatAccounts).values({ channel: 'telegram', externalId: String(officer.userId), officerId, privateChatId: String(officer.userId), linkedAt: created });
        const chat = groupChatId(i);
        await tx.orm.insert(t.groupBindings).values({ channel: 'telegram', chatId: chat, unitId, leadership: false, status: 'ok', createdAt: created });
        groups.set(chat, code);
        const at = size.reminderAt[i % size.reminderAt.length];
        if (size.reminderTasksPerUnit > 0) groupsAt[i % size.reminderAt.length]++;
        const rows = [];
        for (let k = 0; k < size.reminderTasksPerUnit; k++) {
          const c = `RM-${pad(++rm, 4)}`;
          rows.push(task(c, `Báo cáo nhắc hạn ${c}`, unitId, at));
        }
        for (let k = 0; k < size.completionTasksPerUnit; k++) {
          const c = `DN-${pad(++dn, 4)}`;
          rows.push(task(c, `Nhiệm vụ hoàn thành ${c}`, unitId, now + 30 * DAY_MS));
          completionTasks.set(c, officer);
        }
        if (rows.length > 0) await tx.orm.insert(t.tasks).values(rows);
      }
    });
  } finally {
    await db.close();
  }
  return { target, configDir, officers, completionTasks, groups, groupsAt };
}
