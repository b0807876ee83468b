// Where /nhap keeps an uploaded file between the dry run and the confirmation: bound to
// the session and officer, claimed once, checked by hash, deleted after the confirmation
// or after an hour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportUploads, UPLOAD_TTL_MS, type StoredResult } from '../../src/web/admin/import-uploads.ts';

const T0 = Date.UTC(2026, 10, 23, 1, 0, 0);
const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function store(): ImportUploads {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-uploads-test-'));
  roots.push(root);
  return new ImportUploads(root);
}

const bytes = new TextEncoder().encode('code,name\nXA-1,Xã Một\n');
const save = (u: ImportUploads, now = T0) => u.save({ sessionId: 'phien-1', officerId: 7, kind: 'units', fileName: '../../Đơn vị.csv', bytes, now });
const result: StoredResult = { kind: 'units', fileName: 'Đơn vị.csv', ok: true, rows: 1, inserted: 1, updated: 0, rules: 0, errors: [] };

describe('ImportUploads', () => {
  it('keeps the file under a random token in a private folder, with a safe name', () => {
    const u = store();
    const { token, file } = save(u);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(path.dirname(path.dirname(file))).toBe(u.dir);
    expect(path.basename(file)).toBe('Đơn vị.csv');
    expect(fs.readFileSync(file)).toEqual(Buffer.from(bytes));
    expect(fs.statSync(u.dir).mode & 0o777).toBe(0o700);
    expect(save(u).token).not.toBe(token);
  });

  it('a claim needs the same session and officer, works once, and release deletes the file and keeps the result', () => {
    const u = store();
    const { token, file } = save(u);
    expect(u.claim(token, 'phien-2', 7, T0).ok).toBe(false);
    expect(u.claim(token, 'phien-1', 8, T0).ok).toBe(false);
    const c = u.claim(token, 'phien-1', 7, T0 + 1000);
    if (!c.ok) throw new Error(c.reason);
    expect(c.file).toBe(file);
    expect(c.kind).toBe('units');
    expect(u.claim(token, 'phien-1', 7, T0 + 2000).ok).toBe(false);
    const dir = u.dir;
    c.release(result);
    expect(fs.existsSync(file)).toBe(false);
    // Nothing else waits: the process's directory is gone too.
    expect(fs.existsSync(dir)).toBe(false);
    expect(u.result(token, 'phien-1', 7, T0 + 3000)).toEqual(result);
    expect(u.result(token, 'phien-2', 7, T0 + 3000)).toBeUndefined();
    expect(u.result(token, 'phien-1', 7, T0 + 1000 + UPLOAD_TTL_MS + 1)).toBeUndefined();
  });

  it('refuses a file changed on the server after the dry run', () => {
    const u = store();
    const { token, file } = save(u);
    fs.writeFileSync(file, 'code,name\nXA-2,Xã Hai\n');
    const c = u.claim(token, 'phien-1', 7, T0);
    expect(c.ok).toBe(false);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });

  it('refuses tokens that are not its own shape (no path escapes)', () => {
    const u = store();
    save(u);
    for (const t of ['', '..', '../x', `${'a'.repeat(31)}/`, 'a'.repeat(33)]) expect(u.claim(t, 'phien-1', 7, T0).ok).toBe(false);
  });

  it('an upload older than an hour is refused and removed; the next upload sweeps the old ones', () => {
    const u = store();
    const old = save(u);
    const late = u.claim(old.token, 'phien-1', 7, T0 + UPLOAD_TTL_MS + 1);
    expect(late.ok).toBe(false);
    expect(fs.existsSync(path.dirname(old.file))).toBe(false);

    const a = save(u, T0);
    const b = save(u, T0 + 30 * 60_000);
    save(u, T0 + UPLOAD_TTL_MS + 60_000);
    expect(fs.existsSync(path.dirname(a.file))).toBe(false);
    expect(fs.existsSync(path.dirname(b.file))).toBe(true);
  });

  it('drop forgets an upload (a dry run with errors)', () => {
    const u = store();
    const { token, file } = save(u);
    u.drop(token);
    expect(fs.existsSync(path.dirname(file))).toBe(false);
  });
});
