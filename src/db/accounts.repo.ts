// Chat accounts linked to officers, and the one-time invite codes that link them.
import { and, desc, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import { prepared } from './prepared.ts';
import type { Channel } from './schema.ts';

export interface AccountRow {
  id: number;
  officerId: number;
  privateChatId: string | null;
}

export async function accountByExternalId(db: Db, channel: Channel, externalId: string): Promise<AccountRow | undefined> {
  const { chatAccounts: a } = db.t;
  const rows = await db.orm
    .select({ id: a.id, officerId: a.officerId, privateChatId: a.privateChatId })
    .from(a)
    .where(and(eq(a.channel, channel), eq(a.externalId, externalId)))
    .limit(1);
  return rows[0];
}

/** Links (or re-links) a chat account to an officer; returns the account id. */
export async function upsertAccount(
  db: Db,
  a: { channel: Channel; externalId: string; officerId: number; displayName?: string; privateChatId?: string; now: number },
): Promise<number> {
  const { chatAccounts } = db.t;
  const rows = await db.orm
    .insert(chatAccounts)
    .values({
      channel: a.channel,
      externalId: a.externalId,
      officerId: a.officerId,
      displayName: a.displayName ?? null,
      privateChatId: a.privateChatId ?? null,
      linkedAt: a.now,
    })
    .onConflictDoUpdate({
      target: [chatAccounts.channel, chatAccounts.externalId],
      // A name or private chat not given keeps the one on record.
      set: {
        officerId: a.officerId,
        linkedAt: a.now,
        ...(a.displayName != null ? { displayName: a.displayName } : {}),
        ...(a.privateChatId != null ? { privateChatId: a.privateChatId } : {}),
      },
    })
    .returning({ id: chatAccounts.id });
  return rows[0]!.id;
}

export async function setPrivateChatId(db: Db, accountId: number, chatId: string): Promise<void> {
  const { chatAccounts } = db.t;
  await db.orm.update(chatAccounts).set({ privateChatId: chatId }).where(eq(chatAccounts.id, accountId));
}

/** Private chats of an officer's accounts, the given channel first. */
export async function privateChatsOfOfficer(db: Db, officerId: number): Promise<{ channel: Channel; chatId: string }[]> {
  const { chatAccounts: a } = db.t;
  const rows = await db.orm
    .select({ channel: a.channel, chatId: a.privateChatId })
    .from(a)
    .where(and(eq(a.officerId, officerId), isNotNull(a.privateChatId)))
    .orderBy(desc(a.linkedAt));
  const out: { channel: Channel; chatId: string }[] = [];
  for (const r of rows) if (r.chatId !== null) out.push({ channel: r.channel, chatId: r.chatId });
  return out;
}

export async function insertInvite(db: Db, code: string, officerId: number, now: number, expiresAt: number): Promise<void> {
  await db.orm.insert(db.t.invites).values({ code, officerId, createdAt: now, expiresAt });
}

export interface InviteRow {
  code: string;
  officerId: number;
  expiresAt: number;
  usedAt: number | null;
}

export async function inviteByCode(db: Db, code: string): Promise<InviteRow | undefined> {
  const { invites: i } = db.t;
  const rows = await db.orm
    .select({ code: i.code, officerId: i.officerId, expiresAt: i.expiresAt, usedAt: i.usedAt })
    .from(i)
    .where(eq(i.code, code))
    .limit(1);
  return rows[0];
}

/** Marks an invite used; false when it was used in the meantime. */
export async function useInvite(db: Db, code: string, accountId: number, now: number): Promise<boolean> {
  const { invites: i } = db.t;
  const rows = await db.orm
    .update(i)
    .set({ usedAt: now, usedByAccountId: accountId })
    .where(and(eq(i.code, code), isNull(i.usedAt)))
    .returning({ code: i.code });
  return rows.length === 1;
}

/** The open question the bot asked this person, if any. */
export interface PromptRow {
  kind: string;
  taskId: number | null;
  expiresAt: number;
}

export async function pendingPrompt(db: Db, channel: Channel, externalId: string): Promise<PromptRow | undefined> {
  const { pendingPrompts: p } = db.t;
  const rows = await db.orm
    .select({ kind: p.kind, taskId: p.taskId, expiresAt: p.expiresAt })
    .from(p)
    .where(and(eq(p.channel, channel), eq(p.externalId, externalId)))
    .limit(1);
  return rows[0];
}

// Asked after every late /xong: prepared once per connection.
const setPromptQuery = prepared('nv_set_prompt', (orm, { pendingPrompts: p }, name) =>
  orm
    .insert(p)
    .values({
      channel: sql.placeholder('channel'),
      externalId: sql.placeholder('externalId'),
      kind: sql.placeholder('kind'),
      taskId: sql.placeholder('taskId'),
      createdAt: sql.placeholder('now'),
      expiresAt: sql.placeholder('expiresAt'),
    })
    .onConflictDoUpdate({
      target: [p.channel, p.externalId],
      set: { kind: sql`excluded.kind`, taskId: sql`excluded.task_id`, createdAt: sql`excluded.created_at`, expiresAt: sql`excluded.expires_at` },
    })
    .prepare(name),
);

export async function setPrompt(
  db: Db,
  p: { channel: Channel; externalId: string; kind: string; taskId: number; now: number; expiresAt: number },
): Promise<void> {
  await setPromptQuery(db).execute({ channel: p.channel, externalId: p.externalId, kind: p.kind, taskId: p.taskId, now: p.now, expiresAt: p.expiresAt });
}

export async function clearPrompt(db: Db, channel: Channel, externalId: string): Promise<void> {
  const { pendingPrompts: p } = db.t;
  await db.orm.delete(p).where(and(eq(p.channel, channel), eq(p.externalId, externalId)));
}

/** Forgets updates handled before `before`: the platforms redeliver for a day at most. */
export async function pruneProcessed(db: Db, before: number): Promise<number> {
  const { processedUpdates: p } = db.t;
  // A row count, not the rows: a day of updates can be many.
  return db.run(db.orm.delete(p).where(lt(p.at, before)).getSQL());
}

// Every update is marked: prepared once per connection.
const markQuery = prepared('nv_mark_processed', (orm, { processedUpdates: p }, name) =>
  orm
    .insert(p)
    .values({ channel: sql.placeholder('channel'), updateKey: sql.placeholder('key'), at: sql.placeholder('now') })
    .onConflictDoNothing()
    .returning({ at: p.at })
    .prepare(name),
);

/** Records an update as handled; false when it was handled before. */
export async function markProcessed(db: Db, channel: Channel, key: string, now: number): Promise<boolean> {
  const rows = await markQuery(db).execute({ channel, key, now });
  return rows.length === 1;
}
