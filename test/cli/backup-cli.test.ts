// nhacviec backup / restore through a real child process, as an administrator types them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-backup-cli-'));
const dbFile = path.join(dir, 'data', 'nv.db');
const env = { ...process.env, NHACVIEC_DB: dbFile, LOG_LEVEL: 'silent' };
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const units = () => {
  const db = new Database(dbFile, { readonly: true });
  const codes = (db.prepare('SELECT code FROM units ORDER BY code').all() as { code: string }[]).map((r) => r.code);
  db.close();
  return codes;
};

describe('nhacviec backup and restore', () => {
  it('backs up while the database is in use, refuses to overwrite, refuses a non-database, restores', { timeout: 120_000 }, () => {
    fs.writeFileSync(path.join(dir, 'u.csv'), 'code,name,parent\nTINH,UBND tỉnh,\nXA1,UBND xã A,TINH\n');
    expect(run('import', 'units', 'u.csv').code).toBe(0);

    // Another connection in the middle of a write, as a running bot would be.
    const bot = new Database(dbFile);
    bot.exec('BEGIN IMMEDIATE');
    bot.prepare("INSERT INTO units (code, name, path) VALUES ('DANG-GHI', 'x', '/')").run();
    const b = run('backup', 'sao-luu.db');
    bot.exec('ROLLBACK');
    bot.close();
    expect(b.code).toBe(0);
    expect(b.out).toMatch(new RegExp(`^Đã sao lưu cơ sở dữ liệu vào ${path.join(dir, 'sao-luu.db').replace(/[.\\/]/g, '\\$&')} \\(\\d+(,\\d)? KB\\)\\.\\n$`));

    expect(run('backup', 'sao-luu.db')).toMatchObject({ code: 1, err: 'Tệp sao-luu.db đã có. Chọn tên khác, hoặc thêm --force để ghi đè.\n' });
    expect(run('backup', 'sao-luu.db', '--force').code).toBe(0);

    fs.writeFileSync(path.join(dir, 'ghi-chu.txt'), 'không phải cơ sở dữ liệu');
    const refused = run('restore', 'ghi-chu.txt');
    expect(refused).toMatchObject({ code: 1, out: '', err: 'Tệp ghi-chu.txt không phải cơ sở dữ liệu SQLite, không khôi phục.\n' });
    expect(units()).toEqual(['TINH', 'XA1']);

    fs.writeFileSync(path.join(dir, 'u2.csv'), 'code,name,parent\nXA2,UBND xã B,TINH\n');
    expect(run('import', 'units', 'u2.csv').code).toBe(0);
    expect(units()).toEqual(['TINH', 'XA1', 'XA2']);

    const r = run('restore', 'sao-luu.db');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Đã khôi phục cơ sở dữ liệu .+nv\.db từ sao-luu\.db\.\nBản cũ được giữ lại ở .+nv\.db\.truoc-khoi-phuc-\d{8}T\d{6}Z\.\n$/);
    expect(units()).toEqual(['TINH', 'XA1']);
    expect(run('report', '--format', 'json').code).toBe(0);
  });
});

describe('nhacviec backup and restore on PostgreSQL', () => {
  it('refuse with one sentence naming the server\'s own tools, and never show the password', () => {
    const pgEnv = { ...env, NHACVIEC_DB: 'postgres://nhacviec:bi-mat@127.0.0.1:1/nhacviec_so' };
    const onPg = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { env: pgEnv, encoding: 'utf8', cwd: dir });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const b = onPg('backup', 'sao-luu.db');
    expect(b).toMatchObject({ code: 1, out: '' });
    expect(b.err).toBe('Trên PostgreSQL, nhacviec backup không dùng được: sao lưu bằng công cụ của máy chủ, ví dụ pg_dump -Fc -f nhacviec.dump nhacviec_so (khôi phục bằng pg_restore).\n');
    const r = onPg('restore', 'sao-luu.db');
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err).toBe('Trên PostgreSQL, nhacviec restore không dùng được: khôi phục bằng công cụ của máy chủ, ví dụ pg_restore --clean -d nhacviec_so nhacviec.dump (từ bản sao lưu pg_dump -Fc).\n');
    for (const out of [b.err, r.err]) expect(out).not.toContain('bi-mat');
  });
});
