// The first thing every chat update does: mark it handled (once) and find who sent it.
import { and, eq, sql } from 'drizzle-orm';
import { markProcessed } from './accounts.repo.ts';
import { senderByAccount, type SenderWithPromptRow } from './officers.repo.ts';
import type { Db } from './open.ts';
import { prepared } from './prepared.ts';
import type { Channel } from './schema.ts';

/** `first`: the update had not been handled (it is marked now); `sender`: its account's officer, read only when first. */
export interface Incoming {
  first: boolean;
  sender: SenderWithPromptRow | undefined;
}

// PostgreSQL: the mark and the sender in one statement (the insert in a WITH), one round trip
// to the server instead of two. SQLite has no INSERT inside WITH, and its two statements cost
// no round trip. No row back: the update was handled before.
const markedSenderQuery = prepared('nv_mark_and_sender', (orm, t, name) => {
  const { processedUpdates: pu, chatAccounts: a, officers: o, units: u, pendingPrompts: p } = t;
  const marked = orm.$with('marked').as(
    orm
      .insert(pu)
      .values({ channel: sql.placeholder('channel'), updateKey: sql.placeholder('key'), at: sql.placeholder('now') })
      .onConflictDoNothing()
      .returning({ at: pu.at }),
  );
  return orm
    .with(marked)
    .select({
      at: marked.at,
      account: { id: a.id, privateChatId: a.privateChatId },
      officer: { id: o.id, code: o.code, fullName: o.fullName, role: o.role, title: o.title, active: o.active },
      unit: { id: u.id, code: u.code, name: u.name, path: u.path },
      prompt: { kind: p.kind, taskId: p.taskId, expiresAt: p.expiresAt },
    })
    .from(marked)
    .leftJoin(a, and(eq(a.channel, sql.placeholder('channel')), eq(a.externalId, sql.placeholder('externalId'))))
    .leftJoin(o, eq(o.id, a.officerId))
    .leftJoin(u, eq(u.id, o.unitId))
    .leftJoin(p, and(eq(p.channel, a.channel), eq(p.externalId, a.externalId)))
    .prepare(name);
});

/** Marks the update handled (when it has a key) and, if it was not handled before, reads its sender. */
export async function markAndFindSender(db: Db, channel: Channel, key: string | undefined, externalId: string, now: number): Promise<Incoming> {
  if (key === undefined) return { first: true, sender: await senderByAccount(db, channel, externalId) };
  if (db.engine === 'sqlite') {
    if (!(await markProcessed(db, channel, key, now))) return { first: false, sender: undefined };
    return { first: true, sender: await senderByAccount(db, channel, externalId) };
  }
  const [r] = await markedSenderQuery(db).execute({ channel, key, now, externalId });
  if (!r) return { first: false, sender: undefined };
  const { account, officer, unit, prompt } = r;
  if (!account || !officer || !unit) return { first: true, sender: undefined };
  return {
    first: true,
    sender: {
      id: officer.id,
      code: officer.code,
      fullName: officer.fullName,
      role: officer.role,
      title: officer.title,
      active: officer.active ? 1 : 0,
      unitId: unit.id,
      unitCode: unit.code,
      unitName: unit.name,
      unitPath: unit.path,
      accountId: account.id,
      privateChatId: account.privateChatId,
      promptKind: prompt?.kind ?? null,
      promptTaskId: prompt?.taskId ?? null,
      promptExpiresAt: prompt?.expiresAt ?? null,
    },
  };
}
