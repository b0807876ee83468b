// A validated import, ready to write inside the caller's transaction.
export interface Prepared {
  count: number;
  /** Recurring rules the write will create (the tasks import's repeat column). */
  rules?: number;
  apply(onProgress?: (done: number, total: number) => void): { inserted: number; updated: number; rules?: number };
}
