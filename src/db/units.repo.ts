// Units: lookups by code and id.
import { eq } from 'drizzle-orm';
import type { Db } from './open.ts';

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  path: string;
}

export async function unitByCode(db: Db, code: string): Promise<UnitRow | undefined> {
  const { units: u } = db.t;
  const rows = await db.orm.select({ id: u.id, code: u.code, name: u.name, path: u.path }).from(u).where(eq(u.code, code)).limit(1);
  return rows[0];
}

export async function unitById(db: Db, id: number): Promise<UnitRow | undefined> {
  const { units: u } = db.t;
  const rows = await db.orm.select({ id: u.id, code: u.code, name: u.name, path: u.path }).from(u).where(eq(u.id, id)).limit(1);
  return rows[0];
}
