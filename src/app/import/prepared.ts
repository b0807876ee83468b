// A validated import, ready to write inside the caller's transaction.
import type { Db } from '../../db/db.ts';

export interface Prepared {
  count: number;
  /** Recurring rules the write will create (the tasks import's repeat column). */
  rules?: number;
  /** Writes through `tx`, the import's transaction. */
  apply(tx: Db, onProgress?: (done: number, total: number) => void): Promise<{ inserted: number; updated: number; rules?: number }>;
}
