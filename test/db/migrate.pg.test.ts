// PostgreSQL: migrating (embedded PGlite, or the server in NHACVIEC_TEST_PG), and the
// one sentence a user gets when the server cannot be reached or refuses.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eq, getTableColumns, getTableName, is, Table } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { describeOpenError, openDb, PG_MIGRATIONS_DIR, redactUrl, type Db } from '../../src/db/open.ts';
import * as pgSchema from '../../src/db/schema.pg.ts';
import { newPgTarget } from '../helpers/db.ts';

const server = process.env.NHACVIEC_TEST_PG;
const dirs: string[] = [];
const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops.splice(0)) await drop().catch(() => {});
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A PostgreSQL database of its own that can be opened twice: a server database, or a PGlite folder. */
async function reopenableTarget(): Promise<string> {
  const target = await newPgTarget();
  drops.push(target.drop);
  if (target.url !== 'pglite:') return target.url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-pglite-'));
  dirs.push(dir);
  return `pglite:${dir}`;
}

const schemaTables: Table[] = [];
for (const v of Object.values(pgSchema) as unknown[]) if (is(v, Table)) schemaTables.push(v);

/** Rows of a catalogue query, straight from the driver. */
async function query(db: Db, text: string): Promise<Record<string, unknown>[]> {
  if (db.native.engine !== 'postgres') throw new Error('not PostgreSQL');
  return (await db.native.query(text)).rows;
}

async function migrationsRecorded(db: Db): Promise<number> {
  // drizzle's PostgreSQL migrator keeps its record in the "drizzle" schema, in no table of ours.
  const rows = await query(db, 'SELECT count(*) AS n FROM drizzle.__drizzle_migrations');
  return Number(rows[0]?.n);
}

function journalEntries(): number {
  return (JSON.parse(fs.readFileSync(path.join(PG_MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }).entries.length;
}

describe('migrations on PostgreSQL', () => {
  it('create every table and column of the schema; migrating again changes nothing; data survives a second open', { timeout: 120_000 }, async () => {
    const url = await reopenableTarget();
    const db = await openDb(url, { poolSize: 2 });
    try {
      const tables = await query(db, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      expect(tables.map((r) => r.tablename)).toEqual(schemaTables.map((t) => getTableName(t)).sort());
      const cols = await query(db, "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'");
      for (const t of schemaTables) {
        const inDb = cols.filter((r) => r.table_name === getTableName(t)).map((r) => String(r.column_name)).sort();
        expect(inDb, getTableName(t)).toEqual(Object.values(getTableColumns(t)).map((c) => c.name).sort());
      }
      expect(await migrationsRecorded(db)).toBe(journalEntries());
      await db.orm.insert(db.t.units).values({ code: 'TINH', name: 'UBND tỉnh', path: '/1/' });
    } finally {
      await db.close();
    }

    const again = await openDb(url, { poolSize: 2 });
    try {
      expect(await migrationsRecorded(again)).toBe(journalEntries());
      const { units } = again.t;
      expect(await again.orm.select({ code: units.code, name: units.name, active: units.active }).from(units).where(eq(units.code, 'TINH'))).toEqual([
        { code: 'TINH', name: 'UBND tỉnh', active: true },
      ]);
      // Identity columns continue after the rows already there.
      const [next] = await again.orm.insert(units).values({ code: 'XA', name: 'UBND xã', path: '/1/2/' }).returning({ id: units.id });
      expect(next!.id).toBe(2);
      await expect(
        again.orm.insert(again.t.officers).values({ code: 'A', fullName: 'B', unitId: 999, role: 'officer' }),
      ).rejects.toThrow();
    } finally {
      await again.close();
    }
  });
});

/** What opening `url` threw (it must throw). */
async function openError(url: string): Promise<unknown> {
  try {
    const db = await openDb(url, { poolSize: 1 });
    await db.close();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('describeOpenError: one sentence for a server that cannot be used, never the password', () => {
  it('a port where nothing listens', async () => {
    const url = 'postgres://nhacviec:bi-mat-123@127.0.0.1:1/nhacviec';
    const e = await openError(url);
    expect(e).toBeDefined();
    const s = describeOpenError(e, url);
    expect(s).toBe('Không kết nối được máy chủ PostgreSQL 127.0.0.1:1: kiểm tra máy chủ đang chạy, địa chỉ và cổng trong NHACVIEC_DB.');
    expect(s).not.toContain('bi-mat-123');
  });

  it('an address that is no URL', () => {
    const url = 'postgres://nhacviec:bi-mat-123@[không-phải-địa-chỉ/x';
    let e: unknown;
    try {
      new URL(url);
    } catch (err) {
      e = err;
    }
    const s = describeOpenError(e, url);
    expect(s).toMatch(/^NHACVIEC_DB không phải địa chỉ PostgreSQL hợp lệ/);
    expect(s).not.toContain('bi-mat-123');
  });

  it('redactUrl hides the password', () => {
    expect(redactUrl('postgres://nhacviec:bi-mat-123@db.tinh.gov.vn:5432/nhacviec')).toBe('postgres://nhacviec:***@db.tinh.gov.vn:5432/nhacviec');
  });

  it.runIf(server)('a database that does not exist on the server', async () => {
    const u = new URL(server!);
    const name = `nhacviec_khong_co_${randomBytes(4).toString('hex')}`;
    u.pathname = `/${name}`;
    u.password = 'bi-mat-123';
    const url = u.toString();
    const e = await openError(url);
    expect((e as { code?: string }).code).toBe('3D000');
    const s = describeOpenError(e, url);
    expect(s).toBe(`Cơ sở dữ liệu ${name} chưa có trên máy chủ ${u.host}: tạo nó (createdb ${name}) hoặc sửa tên trong NHACVIEC_DB.`);
    expect(s).not.toContain('bi-mat-123');
  });

  it.runIf(server)('a user (or password) the server refuses', async (ctx) => {
    const u = new URL(server!);
    u.username = `nguoi_la_${randomBytes(3).toString('hex')}`;
    u.password = 'bi-mat-123';
    const url = u.toString();
    const e = await openError(url);
    // A server that lets anyone in (trust for every role name) cannot show this.
    if (e === undefined) return ctx.skip();
    const s = describeOpenError(e, url);
    expect(s).toBe(`Máy chủ ${u.host} từ chối người dùng ${u.username}: kiểm tra tên người dùng và mật khẩu trong NHACVIEC_DB.`);
    expect(s).not.toContain('bi-mat-123');
  });
});
