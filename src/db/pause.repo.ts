// A bot-wide pause per channel: after a 429 (`retry_after`), no process sends
// anything on that channel before the instant the server asked for. Stored as a
// row of the leases table named `pause:<channel>` (its expires_at is the end of
// the pause, an integer on both engines), so every process on the database sees it.
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from './db.ts';
import type { Channel } from './schema.ts';

export function pauseName(channel: Channel): string {
  return `pause:${channel}`;
}

/**
 * Nothing goes to `channel`, from any process, before `until` (epoch ms). A pause
 * that already runs longer is kept. A write: call it inside `db.tx`. `by` is
 * only informative (who saw the 429).
 */
export async function notePause(db: Db, channel: Channel, until: number, by = '429'): Promise<void> {
  const { leases } = db.t;
  await db.orm
    .insert(leases)
    .values({ name: pauseName(channel), holder: by, expiresAt: until })
    .onConflictDoUpdate({ target: leases.name, set: { holder: by, expiresAt: until }, setWhere: lt(leases.expiresAt, until) });
}

/** Until when the bot is paused on `channel`, or undefined when it may send at `now`. */
export async function botPausedUntil(db: Db, channel: Channel, now: number): Promise<number | undefined> {
  const { leases } = db.t;
  const [row] = await db.orm
    .select({ until: leases.expiresAt })
    .from(leases)
    .where(and(eq(leases.name, pauseName(channel)), gt(leases.expiresAt, now)));
  return row?.until;
}
