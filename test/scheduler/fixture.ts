// A small office for the scheduler tests, written with plain SQL.
import { DateTime } from 'luxon';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Db } from '../../src/db/open.ts';
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
  unit(code: string, name: string): number;
  officer(code: string, name: string, unitId: number, role: string, title?: string): number;
  task(code: string, unitId: number, deadline: number, created?: number): number;
  group(channel: string, chatId: string, unitId: number | null, leadership?: boolean): void;
  account(channel: string, externalId: string, officerId: number, privateChatId: string): void;
}

export function office(): Office {
  const db = testDb();
  const raw = db.$client;
  const created = at('2024-01-01 00:00');
  return {
    db,
    config: testConfig(),
    unit(code, name) {
      return Number(raw.prepare("INSERT INTO units (code, name, path) VALUES (?, ?, '/')").run(code, name).lastInsertRowid);
    },
    officer(code, name, unitId, role, title) {
      return Number(
        raw.prepare('INSERT INTO officers (code, full_name, unit_id, role, title) VALUES (?, ?, ?, ?, ?)').run(code, name, unitId, role, title ?? null)
          .lastInsertRowid,
      );
    },
    task(code, unitId, deadline, createdAt = created) {
      return Number(
        raw
          .prepare(
            `INSERT INTO tasks (code, title, unit_id, assigned_at, deadline, effective_deadline, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(code, `Nhiệm vụ ${code}`, unitId, createdAt, deadline, deadline, createdAt, createdAt).lastInsertRowid,
      );
    },
    group(channel, chatId, unitId, leadership = false) {
      raw
        .prepare('INSERT INTO group_bindings (channel, chat_id, unit_id, leadership, status, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(channel, chatId, unitId, leadership ? 1 : 0, 'ok', created);
    },
    account(channel, externalId, officerId, privateChatId) {
      raw
        .prepare('INSERT INTO chat_accounts (channel, external_id, officer_id, private_chat_id, linked_at) VALUES (?, ?, ?, ?, ?)')
        .run(channel, externalId, officerId, privateChatId, created);
    },
  };
}

export function outboxRows(db: Db) {
  return db.$client.prepare('SELECT key, channel, chat_id AS chatId, kind, text, payload, status, last_error AS lastError, attempts FROM outbox ORDER BY id').all() as {
    key: string;
    channel: string;
    chatId: string;
    kind: string;
    text: string;
    payload: string | null;
    status: string;
    lastError: string | null;
    attempts: number;
  }[];
}
