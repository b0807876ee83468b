// Prepared statements cached per database: the chat core runs the same few
// queries thousands of times a second, and preparing them each time would dominate.
import type { Statement } from 'better-sqlite3';
import type { Db } from './open.ts';

const caches = new WeakMap<object, Map<string, Statement>>();

export function stmt(db: Db, sql: string): Statement {
  let cache = caches.get(db.$client);
  if (!cache) {
    cache = new Map();
    caches.set(db.$client, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.$client.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}
