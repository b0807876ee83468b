// A demo province on the engine under test, a bot core over it, and a way to talk to it as someone.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { asc, eq, sql, type SQL } from 'drizzle-orm';
import { createBotCore } from '../../../src/bot/core.ts';
import type { IncomingMessage, Reply } from '../../../src/bot/types.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { FileStore } from '../../../src/files/store.ts';
import { createLogger } from '../../../src/log.ts';
import type { OutboxPayload } from '../../../src/scheduler/sender.ts';
import { testDb } from '../../helpers/db.ts';

/** 23/11/2026 08:00 in Hà Nội, a Monday. */
export const NOW = Date.UTC(2026, 10, 23, 1, 0, 0);
export const ZONE = 'Asia/Ho_Chi_Minh';

export interface Harness {
  db: Db;
  send(userId: string, text: string, extra?: Partial<IncomingMessage>, now?: number): Promise<Reply[]>;
  /** The first reply's text. */
  say(userId: string, text: string, extra?: Partial<IncomingMessage>, now?: number): Promise<string>;
  /** Links a telegram account `userId` to an officer, with a private chat `p-<userId>`. */
  link(officerCode: string, userId?: string): Promise<string>;
  logLines: string[];
}

export async function harness(): Promise<Harness> {
  const db = await testDb();
  await seedDemo(db, NOW, ZONE);
  const config = loadConfig({});
  const logLines: string[] = [];
  const log = createLogger('info', { write: (s: string) => logLines.push(s) });
  // Evidence sent in a test goes to a folder of its own under the system's temporary folder (created on the first file).
  const core = createBotCore({ db, config, log, files: new FileStore(path.join(os.tmpdir(), `nv-test-files-${randomUUID()}`)) });
  const send = (userId: string, text: string, extra: Partial<IncomingMessage> = {}, now = NOW) =>
    core.handle({ channel: 'telegram', chatId: `p-${userId}`, chatType: 'private', userId, text, ...extra }, now);
  return {
    db,
    send,
    logLines,
    async say(userId, text, extra, now) {
      const r = await send(userId, text, extra, now);
      return r[0]?.text ?? '';
    },
    async link(officerCode, userId = officerCode.toLowerCase()) {
      const o = (await officerByCode(db, officerCode))!;
      await db.tx((tx) => upsertAccount(tx, { channel: 'telegram', externalId: userId, officerId: o.id, privateChatId: `p-${userId}`, now: NOW }));
      return userId;
    },
  };
}

export interface TaskRecord {
  id: number;
  completed_at: number | null;
  completed_by: number | null;
  late_reason: string | null;
  deadline: number;
  effective_deadline: number;
}

export async function task(db: Db, code: string): Promise<TaskRecord> {
  return (await db.one<TaskRecord>(sql`SELECT * FROM tasks WHERE code = ${code}`))!;
}

/** Deactivates an officer (their linked accounts then count as unlinked). */
export async function deactivate(db: Db, officerCode: string): Promise<void> {
  const { officers } = db.t;
  await db.orm.update(officers).set({ active: false }).where(eq(officers.code, officerCode));
}

/** Binds a chat as a unit's group (unitCode) or as the leadership group. */
export async function bindGroup(db: Db, b: { channel: 'telegram' | 'zalo'; chatId: string; unitCode?: string; leadership?: boolean; status?: string; createdAt?: number }): Promise<void> {
  const { groupBindings, units } = db.t;
  const unitId = b.unitCode === undefined ? null : (await db.orm.select({ id: units.id }).from(units).where(eq(units.code, b.unitCode)))[0]!.id;
  await db.orm.insert(groupBindings).values({ channel: b.channel, chatId: b.chatId, unitId, leadership: b.leadership ?? false, status: b.status ?? 'ok', createdAt: b.createdAt ?? 0 });
}

/** Removes the leadership group(s). */
export async function unbindLeadership(db: Db): Promise<void> {
  const { groupBindings } = db.t;
  await db.orm.delete(groupBindings).where(eq(groupBindings.leadership, true));
}

/** Rows in a table. */
export async function rowCount(db: Db, table: 'group_bindings' | 'task_events' | 'target_values' | 'tasks' | 'outbox', where?: SQL): Promise<number> {
  const row = await db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}${where ? sql` WHERE ${where}` : sql``}`);
  return Number(row?.n ?? 0);
}

export interface QueuedNotice {
  key: string;
  channel: string;
  chatId: string;
  text: string;
  status: string;
  payload: OutboxPayload | null;
}

/** The notices to other chats the core has queued in the outbox, oldest first. */
export async function queuedNotices(db: Db): Promise<QueuedNotice[]> {
  const { outbox } = db.t;
  const rows = await db.orm
    .select({ key: outbox.key, channel: outbox.channel, chatId: outbox.chatId, text: outbox.text, status: outbox.status, payload: outbox.payload })
    .from(outbox)
    .where(eq(outbox.kind, 'notice'))
    .orderBy(asc(outbox.id));
  return rows.map((r) => ({ ...r, payload: r.payload === null ? null : (JSON.parse(r.payload) as OutboxPayload) }));
}
