// A fresh database with the real migrations applied, in memory.
import { openDb, type Db } from '../../src/db/open.ts';

export function testDb(): Db {
  return openDb(':memory:');
}
