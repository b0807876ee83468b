// Signing in to the web pages without a password: a one-time link sent privately in
// the chat (or printed by `nhacviec web-link`) opens a session for that officer.
// Only SHA-256 digests of the link token and of the session id are stored, so a copy
// of the database signs nobody in.
import crypto from 'node:crypto';
import type { Db } from '../db/open.ts';
import { consumeWebLink, endWebSession, insertWebLink, insertWebSession, liveWebSession, touchWebSession } from '../db/web.repo.ts';

/** A link is valid this long after it is made, and only once. */
export const LINK_VALID_MS = 10 * 60_000;
/** A session ends after this long without a request. */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** last_seen_at moves at most this often (saves a write on every request). */
export const TOUCH_STEP_MS = 60_000;
/** The path of a sign-in link, under PUBLIC_URL. */
export const LOGIN_PATH = '/dangnhap';

/** 32 random bytes, base64url. */
export function newToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function sha256(s: string): string {
  return crypto.createHash('sha256').update(s, 'utf8').digest('hex');
}

/** Makes a one-time sign-in link for an officer: `<publicUrl>/dangnhap/<token>`, valid 10 minutes. */
export async function issueLoginLink(db: Db, officerId: number, now: number, publicUrl: string): Promise<string> {
  const token = newToken();
  await db.tx((tx) => insertWebLink(tx, { tokenHash: sha256(token), officerId, createdAt: now, expiresAt: now + LINK_VALID_MS }));
  return `${publicUrl.replace(/\/+$/, '')}${LOGIN_PATH}/${token}`;
}

export interface NewSession {
  /** The cookie value (never stored). */
  sessionId: string;
  officerId: number;
}

/** Uses a link and opens a session; null when the link is unknown, used or expired. */
export async function signInWithLink(db: Db, token: string, now: number): Promise<NewSession | null> {
  // A token of the wrong shape cannot match a digest: no query for it.
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  return db.tx(async (tx) => {
    const officerId = await consumeWebLink(tx, sha256(token), now);
    if (officerId === undefined) return null;
    const sessionId = newToken();
    await insertWebSession(tx, { idHash: sha256(sessionId), officerId, csrfToken: newToken(), now });
    return { sessionId, officerId };
  });
}

export interface LiveSession {
  officerId: number;
  csrfToken: string;
}

/** The session behind a cookie value, if it is live; refreshes its last request time (at most once a minute). */
export async function resumeSession(db: Db, sessionId: string, now: number): Promise<LiveSession | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(sessionId)) return null;
  const idHash = sha256(sessionId);
  const s = await liveWebSession(db, idHash, now - SESSION_IDLE_MS);
  if (!s) return null;
  if (now - s.lastSeenAt >= TOUCH_STEP_MS) await db.tx((tx) => touchWebSession(tx, idHash, now, TOUCH_STEP_MS));
  return { officerId: s.officerId, csrfToken: s.csrfToken };
}

export async function signOut(db: Db, sessionId: string, now: number): Promise<void> {
  await db.tx((tx) => endWebSession(tx, sha256(sessionId), now));
}
