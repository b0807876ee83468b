// Units: lookups by code and id.
import type { Db } from './open.ts';
import { stmt } from './statements.ts';

export interface UnitRow {
  id: number;
  code: string;
  name: string;
  path: string;
}

export function unitByCode(db: Db, code: string): UnitRow | undefined {
  return stmt(db, 'SELECT id, code, name, path FROM units WHERE code = ?').get(code) as UnitRow | undefined;
}

export function unitById(db: Db, id: number): UnitRow | undefined {
  return stmt(db, 'SELECT id, code, name, path FROM units WHERE id = ?').get(id) as UnitRow | undefined;
}
