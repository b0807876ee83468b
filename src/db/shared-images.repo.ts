// Pictures served at an unguessable address for a while (the weekly chart for Zalo, which
// sends a photo only from a public URL). The token is the address: 32 random bytes.
import { randomBytes } from 'node:crypto';
import { eq, lte } from 'drizzle-orm';
import type { Db } from './open.ts';

export interface SharedImage {
  contentType: string;
  body: Buffer;
  expiresAt: number;
}

/** How long a shared picture stays reachable by default. */
export const SHARED_IMAGE_TTL_MS = 14 * 86_400_000;

/** A new token: 32 random bytes, base64url (43 characters). */
export function newImageToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Stores `body` under a new token, reachable until `now + ttlMs`; the token. */
export async function shareImage(db: Db, img: { contentType: string; body: Buffer; now: number; ttlMs?: number }): Promise<string> {
  const token = newImageToken();
  await db.orm.insert(db.t.sharedImages).values({
    token,
    contentType: img.contentType,
    bodyBase64: img.body.toString('base64'),
    createdAt: img.now,
    expiresAt: img.now + (img.ttlMs ?? SHARED_IMAGE_TTL_MS),
  });
  return token;
}

/** The picture under `token` if it has not expired at `now`. */
export async function sharedImage(db: Db, token: string, now: number): Promise<SharedImage | undefined> {
  const { sharedImages: s } = db.t;
  const rows = await db.orm.select({ contentType: s.contentType, bodyBase64: s.bodyBase64, expiresAt: s.expiresAt }).from(s).where(eq(s.token, token));
  const r = rows[0];
  if (!r || r.expiresAt <= now) return undefined;
  return { contentType: r.contentType, body: Buffer.from(r.bodyBase64, 'base64'), expiresAt: r.expiresAt };
}

/** Deletes the pictures expired at `now`; how many. */
export async function pruneSharedImages(db: Db, now: number): Promise<number> {
  const { sharedImages: s } = db.t;
  return db.run(db.orm.delete(s).where(lte(s.expiresAt, now)).getSQL());
}
