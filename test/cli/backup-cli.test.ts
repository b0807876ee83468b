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

describe('nhacviec backup and restore with evidence files', () => {
  it('backup copies the files folder to <backup>.files; restore puts the files back', { timeout: 120_000 }, async () => {
    const { FileStore } = await import('../../src/files/store.ts');
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-backup-files-'));
    const db = path.join(d, 'data', 'nv.db');
    const e = { ...process.env, NHACVIEC_DB: db, LOG_LEVEL: 'silent' };
    const go = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args], { env: e, encoding: 'utf8', cwd: d });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    try {
      expect(go('migrate').code).toBe(0);
      const store = new FileStore(path.join(d, 'data', 'files'));
      const pdf = await store.put(Buffer.from('%PDF-1.4\nbiên bản\n%%EOF\n'), 'pdf');
      const b = go('backup', 'sao-luu.db');
      expect(b.code).toBe(0);
      const copied = path.join(d, 'sao-luu.db.files');
      expect(b.out.split('\n')[1]).toBe(`Đã sao lưu 1 tệp minh chứng vào ${copied} (${fs.statSync(store.pathOf(pdf)).size} byte).`);
      expect(new FileStore(copied).list()).toEqual(store.list());

      fs.rmSync(path.join(d, 'data', 'files'), { recursive: true });
      const r = go('restore', 'sao-luu.db');
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Đã khôi phục 1 tệp minh chứng vào ${path.join(d, 'data', 'files')} (1 tệp chép lại).`);
      expect(store.has(pdf, fs.statSync(path.join(copied, path.relative(store.root, store.pathOf(pdf)))).size)).toBe(true);

      // A file that is no backup: refused before any file is copied.
      fs.rmSync(path.join(d, 'data', 'files'), { recursive: true });
      fs.writeFileSync(path.join(d, 'x.db'), 'không phải');
      fs.cpSync(copied, path.join(d, 'x.db.files'), { recursive: true });
      expect(go('restore', 'x.db').code).toBe(1);
      expect(fs.existsSync(path.join(d, 'data', 'files'))).toBe(false);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});
