// Chat accounts linked to officers, and the one-time invite codes that link them.
import type { Db } from './open.ts';
import type { Channel } from './schema.ts';
import { stmt } from './statements.ts';

export interface AccountRow {
  id: number;
  officerId: number;
  privateChatId: string | null;
}

export function accountByExternalId(db: Db, channel: Channel, externalId: string): AccountRow | undefined {
  return stmt(
    db,
    'SELECT id, officer_id AS officerId, private_chat_id AS privateChatId FROM chat_accounts WHERE channel = ? AND external_id = ?',
  ).get(channel, externalId) as AccountRow | undefined;
}

/** Links (or re-links) a chat account to an officer; returns the account id. */
export function upsertAccount(
  db: Db,
  a: { channel: Channel; externalId: string; officerId: number; displayName?: string; privateChatId?: string; now: number },
): number {
  const row = stmt(
    db,
    `INSERT INTO chat_accounts (channel, external_id, officer_id, display_name, private_chat_id, linked_at)
     VALUES (@channel, @externalId, @officerId, @displayName, @privateChatId, @now)
     ON CONFLICT (channel, external_id) DO UPDATE SET officer_id = excluded.officer_id,
       display_name = coalesce(excluded.display_name, display_name),
       private_chat_id = coalesce(excluded.private_chat_id, private_chat_id), linked_at = excluded.linked_at
     RETURNING id`,
  ).get({ displayName: null, privateChatId: null, ...a }) as { id: number };
  return row.id;
}

export function setPrivateChatId(db: Db, accountId: number, chatId: string): void {
  stmt(db, 'UPDATE chat_accounts SET private_chat_id = ? WHERE id = ?').run(chatId, accountId);
}

/** Private chats of an officer's accounts, the given channel first. */
export function privateChatsOfOfficer(db: Db, officerId: number): { channel: Channel; chatId: string }[] {
  return stmt(
    db,
    `SELECT channel, private_chat_id AS chatId FROM chat_accounts
     WHERE officer_id = ? AND private_chat_id IS NOT NULL ORDER BY linked_at DESC`,
  ).all(officerId) as { channel: Channel; chatId: string }[];
}

export function insertInvite(db: Db, code: string, officerId: number, now: number, expiresAt: number): void {
  stmt(db, 'INSERT INTO invites (code, officer_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(code, officerId, now, expiresAt);
}

export interface InviteRow {
  code: string;
  officerId: number;
  expiresAt: number;
  usedAt: number | null;
}

export function inviteByCode(db: Db, code: string): InviteRow | undefined {
  return stmt(db, 'SELECT code, officer_id AS officerId, expires_at AS expiresAt, used_at AS usedAt FROM invites WHERE code = ?').get(
    code,
  ) as InviteRow | undefined;
}

/** Marks an invite used; false when it was used in the meantime. */
export function useInvite(db: Db, code: string, accountId: number, now: number): boolean {
  return stmt(db, 'UPDATE invites SET used_at = ?, used_by_account_id = ? WHERE code = ? AND used_at IS NULL').run(now, accountId, code).changes === 1;
}

/** The open question the bot asked this person, if any. */
export interface PromptRow {
  kind: string;
  taskId: number | null;
  expiresAt: number;
}

export function pendingPrompt(db: Db, channel: Channel, externalId: string): PromptRow | undefined {
  return stmt(db, 'SELECT kind, task_id AS taskId, expires_at AS expiresAt FROM pending_prompts WHERE channel = ? AND external_id = ?').get(
    channel,
    externalId,
  ) as PromptRow | undefined;
}

export function setPrompt(db: Db, p: { channel: Channel; externalId: string; kind: string; taskId: number; now: number; expiresAt: number }): void {
  stmt(
    db,
    `INSERT INTO pending_prompts (channel, external_id, kind, task_id, created_at, expires_at) VALUES (@channel, @externalId, @kind, @taskId, @now, @expiresAt)
     ON CONFLICT (channel, external_id) DO UPDATE SET kind = excluded.kind, task_id = excluded.task_id,
       created_at = excluded.created_at, expires_at = excluded.expires_at`,
  ).run(p);
}

export function clearPrompt(db: Db, channel: Channel, externalId: string): void {
  stmt(db, 'DELETE FROM pending_prompts WHERE channel = ? AND external_id = ?').run(channel, externalId);
}

/** Forgets updates handled before `before`: the platforms redeliver for a day at most. */
export function pruneProcessed(db: Db, before: number): number {
  return stmt(db, 'DELETE FROM processed_updates WHERE at < ?').run(before).changes;
}

/** Records an update as handled; false when it was handled before. */
export function markProcessed(db: Db, channel: Channel, key: string, now: number): boolean {
  return stmt(db, 'INSERT OR IGNORE INTO processed_updates (channel, update_key, at) VALUES (?, ?, ?)').run(channel, key, now).changes === 1;
}
