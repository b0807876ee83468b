// A small office for the scheduler tests, on the engine under test.
import { asc } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/open.ts';
import type { Channel, Role } from '../../src/db/schema.ts';
import { testDb } from '../helpers/db.ts';

export const ZONE = 'Asia/Ho_Chi_Minh';
export const at = (s: string) => DateTime.fromFormat(s, 'yyyy-MM-dd HH:mm', { zone: ZONE }).toMillis();
export const endOf = (d: string) => DateTime.fromISO(d, { zone: ZONE }).endOf('day').toMillis();

export function testConfig(): Config {
  return loadConfig({});
}

export interface Office {
  db: Db;
  config: Config;
  unit(code: string, name: string): Promise<number>;
  officer(code: string, name: string, unitId: number, role: string, title?: string): Promise<number>;
  task(code: string, unitId: number, deadline: number, created?: number): Promise<number>;
  group(channel: string, chatId: string, unitId: number | null, leadership?: boolean): Promise<void>;
  account(channel: string, externalId: string, officerId: number, privateChatId: string): Promise<void>;
}

export async function office(): Promise<Office> {
  const db = await testDb();
  const { units, officers, tasks, groupBindings, chatAccounts } = db.t;
  const created = at('2024-01-01 00:00');
  return {
    db,
    config: testConfig(),
    async unit(code, name) {
      const [r] = await db.orm.insert(units).values({ code, name, path: '/' }).returning({ id: units.id });
      return r.id;
    },
    async officer(code, name, unitId, role, title) {
      const [r] = await db.orm
        .insert(officers)
        .values({ code, fullName: name, unitId, role: role as Role, title: title ?? null })
        .returning({ id: officers.id });
      return r.id;
    },
    async task(code, unitId, deadline, createdAt = created) {
      const [r] = await db.orm
        .insert(tasks)
        .values({ code, title: `Nhiệm vụ ${code}`, unitId, assignedAt: createdAt, deadline, effectiveDeadline: deadline, createdAt, updatedAt: createdAt })
        .returning({ id: tasks.id });
      return r.id;
    },
    async group(channel, chatId, unitId, leadership = false) {
      await db.orm.insert(groupBindings).values({ channel: channel as Channel, chatId, unitId, leadership, status: 'ok', createdAt: created });
    },
    async account(channel, externalId, officerId, privateChatId) {
      await db.orm.insert(chatAccounts).values({ channel: channel as Channel, externalId, officerId, privateChatId, linkedAt: created });
    },
  };
}

/** Sets a scheduler state value (meta), as an earlier run would have left it. */
export async function putMeta(db: Db, key: string, value: string): Promise<void> {
  const { meta } = db.t;
  await db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}

export async function outboxRows(db: Db) {
  const { outbox } = db.t;
  return db.orm
    .select({
      key: outbox.key,
      channel: outbox.channel,
      chatId: outbox.chatId,
      kind: outbox.kind,
      text: outbox.text,
      payload: outbox.payload,
      status: outbox.status,
      lastError: outbox.lastError,
      attempts: outbox.attempts,
    })
    .from(outbox)
    .orderBy(asc(outbox.id));
}
