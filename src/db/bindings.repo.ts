// Group bindings: which chat belongs to which unit, and which is the leadership group.
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';
import { stmt } from './statements.ts';

export interface BindingRow {
  id: number;
  channel: Channel;
  chatId: string;
  unitId: number | null;
  unitCode: string | null;
  unitName: string | null;
  leadership: number;
  status: string;
}

const SELECT = `SELECT b.id, b.channel, b.chat_id AS chatId, b.unit_id AS unitId, u.code AS unitCode, u.name AS unitName,
  b.leadership, b.status FROM group_bindings b LEFT JOIN units u ON u.id = b.unit_id`;

export function upsertBinding(db: Db, b: { channel: Channel; chatId: string; unitId: number | null; leadership: boolean; now: number }): void {
  stmt(
    db,
    `INSERT INTO group_bindings (channel, chat_id, unit_id, leadership, status, created_at) VALUES (@channel, @chatId, @unitId, @leadership, 'ok', @now)
     ON CONFLICT (channel, chat_id) DO UPDATE SET unit_id = excluded.unit_id, leadership = excluded.leadership, status = 'ok'`,
  ).run({ ...b, leadership: b.leadership ? 1 : 0 });
}

export function allBindings(db: Db): BindingRow[] {
  return stmt(db, `${SELECT} ORDER BY b.channel, b.leadership DESC, u.code, b.chat_id`).all() as BindingRow[];
}

export function leadershipChats(db: Db): BindingRow[] {
  return stmt(db, `${SELECT} WHERE b.leadership = 1 AND b.status = 'ok' ORDER BY b.id`).all() as BindingRow[];
}

export function unitChats(db: Db, unitId: number): BindingRow[] {
  return stmt(db, `${SELECT} WHERE b.unit_id = ? AND b.status = 'ok' ORDER BY b.id`).all(unitId) as BindingRow[];
}
