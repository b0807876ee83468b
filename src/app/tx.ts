// One all-or-nothing write for a chat use case.
import { inTransaction, type Db } from '../db/open.ts';

/** Runs fn in a transaction, nesting as a savepoint when one is already open. */
export function inDb<T>(db: Db, fn: () => T): T {
  return db.$client.inTransaction ? db.$client.transaction(fn)() : inTransaction(db, fn);
}
