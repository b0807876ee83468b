// A validated import, ready to write inside the caller's transaction.
export interface Prepared {
  count: number;
  apply(onProgress?: (done: number, total: number) => void): { inserted: number; updated: number };
}
