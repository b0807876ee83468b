// Sign-in links and web sessions: only SHA-256 digests of the secrets are stored.
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Db } from './db.ts';

/** Stores a sign-in link's digest for an officer, valid until `expiresAt`. */
export async function insertWebLink(db: Db, row: { tokenHash: string; officerId: number; createdAt: number; expiresAt: number }): Promise<void> {
  await db.orm.insert(db.t.webLinks).values({ ...row, usedAt: null });
}

/**
 * Uses a link once: one UPDATE that only matches an unused, unexpired link, so two
 * requests with the same link cannot both win. The officer id, or undefined.
 */
export async function consumeWebLink(db: Db, tokenHash: string, now: number): Promise<number | undefined> {
  const l = db.t.webLinks;
  const rows = await db.orm
    .update(l)
    .set({ usedAt: now })
    .where(and(eq(l.tokenHash, tokenHash), isNull(l.usedAt), gt(l.expiresAt, now)))
    .returning({ officerId: l.officerId });
  return rows[0]?.officerId;
}

export async function insertWebSession(db: Db, row: { idHash: string; officerId: number; csrfToken: string; now: number }): Promise<void> {
  await db.orm.insert(db.t.webSessions).values({ idHash: row.idHash, officerId: row.officerId, csrfToken: row.csrfToken, createdAt: row.now, lastSeenAt: row.now, endedAt: null });
}

export interface WebSessionRow {
  officerId: number;
  csrfToken: string;
  lastSeenAt: number;
}

/** A session not signed out and seen after `idleSince`. */
export async function liveWebSession(db: Db, idHash: string, idleSince: number): Promise<WebSessionRow | undefined> {
  const s = db.t.webSessions;
  const rows = await db.orm
    .select({ officerId: s.officerId, csrfToken: s.csrfToken, lastSeenAt: s.lastSeenAt })
    .from(s)
    .where(and(eq(s.idHash, idHash), isNull(s.endedAt), gt(s.lastSeenAt, idleSince)))
    .limit(1);
  return rows[0];
}

/** Moves last_seen_at forward, unless another request did so less than `minStepMs` ago. */
export async function touchWebSession(db: Db, idHash: string, now: number, minStepMs: number): Promise<void> {
  const s = db.t.webSessions;
  await db.orm
    .update(s)
    .set({ lastSeenAt: now })
    .where(and(eq(s.idHash, idHash), isNull(s.endedAt), lt(s.lastSeenAt, now - minStepMs)));
}

export async function endWebSession(db: Db, idHash: string, now: number): Promise<void> {
  const s = db.t.webSessions;
  await db.orm.update(s).set({ endedAt: now }).where(and(eq(s.idHash, idHash), isNull(s.endedAt)));
}

/** Forgets links that can no longer be used and sessions that can no longer resume (ended or idle since `idleSince`). */
export async function pruneWebSignIns(db: Db, now: number, idleSince: number): Promise<void> {
  const l = db.t.webLinks;
  const s = db.t.webSessions;
  await db.orm.delete(l).where(lt(l.expiresAt, now));
  await db.orm.delete(s).where(or(lt(s.lastSeenAt, idleSince), lt(s.endedAt, now)));
}
