// The floors the app is measured against: hand-written SQL run straight on the
// engine's driver (db.native), no query builder and no app code in between; and the
// fastest bare load of rows each engine has (prepared INSERTs in one transaction on
// SQLite, COPY on PostgreSQL), for the import floor and for setting up databases.
// These bypass the Db handle's own locking: the bench runs them while nothing else runs.
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { Db } from '../src/db/db.ts';

type Params = Record<string, unknown> | unknown[];

/** `@name` and `?` placeholders (SQLite's) as PostgreSQL's $1, $2, … with the values in that order. */
function positional(text: string): { text: string; order: (params: Params) => unknown[] } {
  const names: string[] = [];
  let q = 0;
  const out = text.replace(/@(\w+)|\?/g, (_m, name: string | undefined) => {
    if (name === undefined) {
      names.push(String(q++));
      return `$${names.length}`;
    }
    const at = names.indexOf(`@${name}`);
    if (at >= 0) return `$${at + 1}`;
    names.push(`@${name}`);
    return `$${names.length}`;
  });
  return {
    text: out,
    order: (params) =>
      names.map((n) => (Array.isArray(params) ? params[Number(n)] : n.startsWith('@') ? (params as Record<string, unknown>)[n.slice(1)] : undefined)),
  };
}

/** A read, written once with SQLite placeholders; column aliases in double quotes keep their case on PostgreSQL. */
export function bareQuery<T>(db: Db, text: string): (params?: Params) => Promise<T[]> {
  const n = db.native;
  if (n.engine === 'sqlite') {
    const s = n.sqlite.prepare(text);
    return async (params = []) => (Array.isArray(params) ? s.all(...params) : s.all(params)) as T[];
  }
  const p = positional(text);
  return async (params = []) => (await n.query(p.text, p.order(params))).rows as T[];
}

/** One statement committed on its own, with the durability the app has (SQLite: BEGIN IMMEDIATE … COMMIT, synchronous=FULL). */
export function bareWrite(db: Db, text: string): (params?: Params) => Promise<void> {
  const n = db.native;
  if (n.engine === 'sqlite') {
    const s = n.sqlite.prepare(text);
    const write = n.sqlite.transaction((params: Params) => (Array.isArray(params) ? s.run(...params) : s.run(params)));
    return async (params = []) => {
      write.immediate(params);
    };
  }
  const p = positional(text);
  return async (params = []) => {
    await n.query(p.text, p.order(params));
  };
}

export type Value = string | number | boolean | null;

/** COPY's text format: tab between fields, \N for null, backslash escapes. */
function copyField(v: Value): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function* copyLines(rows: Iterable<Value[]>): Generator<string> {
  let chunk: string[] = [];
  for (const r of rows) {
    chunk.push(`${r.map(copyField).join('\t')}\n`);
    if (chunk.length === 1000) {
      yield chunk.join('');
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join('');
}

/**
 * Loads rows (values in the order of `keys`, the table's TypeScript column names) in one
 * transaction: prepared INSERTs on SQLite, COPY on PostgreSQL. Returns how many.
 */
export async function bulkInsert(db: Db, table: Table, keys: string[], rows: Iterable<Value[]>): Promise<number> {
  const columns = getTableColumns(table) as Record<string, { name: string }>;
  const names = keys.map((k) => {
    const c = columns[k];
    if (!c) throw new Error(`${getTableName(table)} has no column ${k}`);
    return `"${c.name}"`;
  });
  const into = `"${getTableName(table)}" (${names.join(', ')})`;
  const n = db.native;
  let count = 0;
  if (n.engine === 'sqlite') {
    const s = n.sqlite.prepare(`INSERT INTO ${into} VALUES (${names.map(() => '?').join(', ')})`);
    n.sqlite.transaction(() => {
      for (const r of rows) {
        s.run(...r.map((v) => (typeof v === 'boolean' ? Number(v) : v)));
        count++;
      }
    })();
    return count;
  }
  if (!n.copyFrom) throw new Error('this PostgreSQL handle has no COPY (PGlite): the bench needs a server');
  const counted = function* () {
    for (const r of rows) {
      count++;
      yield r;
    }
  };
  await n.copyFrom(`COPY ${into} FROM STDIN`, copyLines(counted()));
  return count;
}
