// The SQLite and PostgreSQL schemas describe the same database: every repository is typed
// once (against the PostgreSQL tables, see src/db/db.ts) and runs on both, so the two
// files must agree on tables, columns, keys and indexes.
import { getTableColumns, getTableName, is, SQL, StringChunk, Table, type Column } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pg from '../../src/db/schema.pg.ts';
import * as lite from '../../src/db/schema.ts';

interface Shape {
  name: string;
  columns: Record<string, { name: string; dataType: string; notNull: boolean; primary: boolean; hasDefault: boolean; enumValues?: string[] }>;
  primaryKeys: string[][];
  uniques: { name: string | undefined; columns: string[] }[];
  indexes: { name: string; columns: string[]; unique: boolean; where: string | null }[];
  foreignKeys: { columns: string[]; table: string; foreignColumns: string[] }[];
}

/** The text of a fixed SQL fragment such as `completed_at IS NULL`, spaces folded. */
function sqlText(where: SQL | undefined): string | null {
  if (!where) return null;
  return where.queryChunks
    .map((c) => (is(c, StringChunk) ? c.value.join('') : '?'))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
}

const columnName = (c: unknown): string => (c as Column).name;

function columnsOf(table: Table): Shape['columns'] {
  const out: Shape['columns'] = {};
  for (const [key, c] of Object.entries(getTableColumns(table))) {
    out[key] = {
      name: c.name,
      dataType: c.dataType,
      notNull: c.notNull,
      primary: c.primary,
      hasDefault: c.hasDefault,
      ...(c.enumValues?.length ? { enumValues: [...c.enumValues] } : {}),
    };
  }
  return out;
}

function shapeOf(table: Table): Shape {
  const sort = <T>(xs: T[], key: (x: T) => string) => [...xs].sort((a, b) => key(a).localeCompare(key(b)));
  if (is(table, SQLiteTable)) {
    const c = sqliteConfig(table);
    return {
      name: c.name,
      columns: columnsOf(table),
      primaryKeys: c.primaryKeys.map((k) => k.columns.map(columnName)),
      uniques: c.uniqueConstraints.map((u) => ({ name: u.name, columns: u.columns.map(columnName) })),
      indexes: sort(
        c.indexes.map((i) => ({ name: i.config.name, columns: i.config.columns.map(columnName), unique: i.config.unique, where: sqlText(i.config.where) })),
        (i) => i.name,
      ),
      foreignKeys: sort(
        c.foreignKeys.map((f) => {
          const r = f.reference();
          return { columns: r.columns.map(columnName), table: getTableName(r.foreignTable), foreignColumns: r.foreignColumns.map(columnName) };
        }),
        (f) => f.columns.join(),
      ),
    };
  }
  if (is(table, PgTable)) {
    const c = pgConfig(table);
    return {
      name: c.name,
      columns: columnsOf(table),
      primaryKeys: c.primaryKeys.map((k) => k.columns.map(columnName)),
      uniques: c.uniqueConstraints.map((u) => ({ name: u.name, columns: u.columns.map(columnName) })),
      indexes: sort(
        c.indexes.map((i) => ({ name: i.config.name ?? '', columns: i.config.columns.map(columnName), unique: i.config.unique, where: sqlText(i.config.where) })),
        (i) => i.name,
      ),
      foreignKeys: sort(
        c.foreignKeys.map((f) => {
          const r = f.reference();
          return { columns: r.columns.map(columnName), table: getTableName(r.foreignTable), foreignColumns: r.foreignColumns.map(columnName) };
        }),
        (f) => f.columns.join(),
      ),
    };
  }
  throw new Error(`unknown table kind: ${getTableName(table)}`);
}

/** The exported tables of a schema module, by their export name. */
function tablesOf(schema: Record<string, unknown>): Map<string, Table> {
  const out = new Map<string, Table>();
  for (const [key, value] of Object.entries(schema)) if (is(value, Table)) out.set(key, value);
  return out;
}

const liteTables = tablesOf(lite);
const pgTables = tablesOf(pg);

describe('schema.ts (SQLite) and schema.pg.ts (PostgreSQL)', () => {
  it('export the same tables under the same names', () => {
    expect([...pgTables.keys()].sort()).toEqual([...liteTables.keys()].sort());
    for (const [key, t] of liteTables) expect(getTableName(pgTables.get(key)!), key).toBe(getTableName(t));
    expect(liteTables.size).toBeGreaterThanOrEqual(18);
  });

  for (const [key, liteTable] of liteTables) {
    it(`agree on ${getTableName(liteTable)}: columns, keys, indexes, references`, () => {
      const pgTable = pgTables.get(key);
      expect(pgTable, `${key} is in schema.pg.ts`).toBeDefined();
      const a = shapeOf(liteTable);
      const b = shapeOf(pgTable!);
      expect(b.name).toBe(a.name);
      expect(Object.keys(a.columns).length).toBeGreaterThan(0);
      expect(b.columns).toEqual(a.columns);
      expect(b.primaryKeys).toEqual(a.primaryKeys);
      expect(b.uniques).toEqual(a.uniques);
      expect(b.indexes).toEqual(a.indexes);
      expect(b.foreignKeys).toEqual(a.foreignKeys);
    });
  }

  it('the comparison sees what it compares: the partial indexes of open tasks, a composite primary key', () => {
    const tasks = shapeOf(pg.tasks);
    expect(tasks.indexes.filter((i) => i.where === 'completed_at IS NULL').map((i) => i.name).sort()).toEqual(['tasks_open_deadline_idx', 'tasks_unit_open_idx']);
    expect(tasks.indexes.find((i) => i.name === 'tasks_code_uq')).toEqual({ name: 'tasks_code_uq', columns: ['code'], unique: true, where: null });
    expect(shapeOf(lite.processedUpdates).primaryKeys).toEqual([['channel', 'update_key']]);
    expect(shapeOf(lite.units).foreignKeys).toEqual([{ columns: ['parent_id'], table: 'units', foreignColumns: ['id'] }]);
  });

  it('the constants and types shared by both (roles, channels, statuses) are the same', () => {
    expect(pg.ROLES).toEqual(lite.ROLES);
    expect(pg.CHANNELS).toEqual(lite.CHANNELS);
    expect(pg.EXTENSION_STATUSES).toEqual(lite.EXTENSION_STATUSES);
    expect(pg.OUTBOX_STATUSES).toEqual(lite.OUTBOX_STATUSES);
    expect(pg.COMPARATORS).toEqual(lite.COMPARATORS);
  });
});
