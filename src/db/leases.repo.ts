// Leases: work that one process at a time may do for the whole bot (draining a
// channel's outbox, …). A lease is held until it expires; its holder renews it
// while alive, and another process takes it over once it has run out.
import { and, eq, lte, or, sql } from 'drizzle-orm';
import type { Db } from './db.ts';

/** Takes the lease, or renews it when this holder has it already. True when held now until `now + ttlMs`. */
export async function takeLease(db: Db, name: string, holder: string, now: number, ttlMs: number): Promise<boolean> {
  const { leases } = db.t;
  const r = await db.orm
    .insert(leases)
    .values({ name, holder, expiresAt: now + ttlMs })
    .onConflictDoUpdate({
      target: leases.name,
      set: { holder, expiresAt: now + ttlMs },
      setWhere: or(eq(leases.holder, holder), lte(leases.expiresAt, now)),
    })
    .returning({ holder: leases.holder });
  return r.length === 1;
}

/** Gives the lease up (at a clean exit), so the next process need not wait for it to run out. */
export async function releaseLease(db: Db, name: string, holder: string): Promise<void> {
  const { leases } = db.t;
  await db.orm.delete(leases).where(and(eq(leases.name, name), eq(leases.holder, holder)));
}

/** Who holds the lease now, if anyone. */
export async function leaseHolder(db: Db, name: string, now: number): Promise<{ holder: string; expiresAt: number } | undefined> {
  const { leases } = db.t;
  const [row] = await db.orm
    .select({ holder: leases.holder, expiresAt: leases.expiresAt })
    .from(leases)
    .where(and(eq(leases.name, name), sql`${leases.expiresAt} > ${now}`));
  return row;
}
