import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { fileStoreFromConfig, filesDirOf, FileStore } from '../../src/files/store.ts';
import { SAMPLES } from './samples.ts';

let dir: string;
let store: FileStore;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-files-'));
  store = new FileStore(path.join(dir, 'files'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('FileStore', () => {
  it('stores a file under <sha[0..2]>/<sha>.<ext>, whole, and reads it back', async () => {
    const r = await store.put(SAMPLES.pdf, 'pdf');
    expect(r).toEqual({ sha256: sha(SAMPLES.pdf), ext: 'pdf', size: SAMPLES.pdf.length, created: true });
    const p = path.join(dir, 'files', r.sha256.slice(0, 2), `${r.sha256}.pdf`);
    expect(store.pathOf(r)).toBe(p);
    expect(fs.readFileSync(p)).toEqual(SAMPLES.pdf);
    expect(await store.read(r)).toEqual(SAMPLES.pdf);
    expect(store.list()).toEqual([path.join(r.sha256.slice(0, 2), `${r.sha256}.pdf`)]);
    // Nothing left under a temporary name.
    expect(fs.readdirSync(path.join(dir, 'files', '.tam'))).toEqual([]);
  });

  it('stores the same content once, and writes nothing the second time', async () => {
    const first = await store.put(SAMPLES.jpg, 'jpg');
    const p = store.pathOf(first);
    const before = fs.statSync(p).mtimeMs;
    fs.utimesSync(p, new Date(0), new Date(0));
    const again = await store.put(SAMPLES.jpg, 'jpg');
    expect(again).toMatchObject({ sha256: first.sha256, created: false });
    expect(fs.statSync(p).mtimeMs).toBe(0);
    expect(before).toBeGreaterThan(0);
    expect(store.list()).toHaveLength(1);
  });

  it('concurrent puts of the same content leave one whole file', async () => {
    const big = Buffer.alloc(256 * 1024, 9);
    const results = await Promise.all(Array.from({ length: 4 }, () => store.put(big, 'pdf')));
    expect(new Set(results.map((r) => r.sha256)).size).toBe(1);
    expect(fs.readFileSync(store.pathOf(results[0]))).toEqual(big);
    expect(fs.readdirSync(path.join(dir, 'files', '.tam'))).toEqual([]);
  });

  it('replaces a file cut short (a copy interrupted by hand) with the whole content', async () => {
    const r = await store.put(SAMPLES.docx, 'docx');
    fs.writeFileSync(store.pathOf(r), SAMPLES.docx.subarray(0, 10));
    expect(store.has(r, SAMPLES.docx.length)).toBe(false);
    expect((await store.put(SAMPLES.docx, 'docx')).created).toBe(true);
    expect(fs.readFileSync(store.pathOf(r))).toEqual(SAMPLES.docx);
  });

  it('leaves no file under the final name when the write fails', async () => {
    const r = { sha256: sha(SAMPLES.png), ext: 'png' as const };
    // The shard folder is a file: the rename cannot happen.
    fs.mkdirSync(path.join(dir, 'files'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'files', r.sha256.slice(0, 2)), 'not a folder');
    await expect(store.put(SAMPLES.png, 'png')).rejects.toThrow();
    expect(store.has(r)).toBe(false);
    const temps = fs.existsSync(path.join(dir, 'files', '.tam')) ? fs.readdirSync(path.join(dir, 'files', '.tam')) : [];
    expect(temps).toEqual([]);
  });

  it('pathOf refuses anything but a hash and an allowed extension', () => {
    expect(() => store.pathOf({ sha256: '../../etc/passwd', ext: 'pdf' })).toThrow();
    expect(() => store.pathOf({ sha256: 'a'.repeat(64), ext: 'exe' as never })).toThrow();
    expect(() => store.pathOf({ sha256: 'A'.repeat(64), ext: 'pdf' })).toThrow();
    expect(store.has({ sha256: '../x', ext: 'pdf' })).toBe(false);
  });

  it('list ignores temporary and foreign files', async () => {
    const r = await store.put(SAMPLES.png, 'png');
    fs.writeFileSync(path.join(path.dirname(store.pathOf(r)), 'ghi-chu.txt'), 'x');
    fs.writeFileSync(path.join(dir, 'files', '.tam', 'abc.part'), 'x');
    expect(store.list()).toEqual([path.join(r.sha256.slice(0, 2), `${r.sha256}.png`)]);
  });
});

describe('where the store is', () => {
  it('NHACVIEC_FILES, else files beside the SQLite file, else ./data/files on PostgreSQL; the limit from NHACVIEC_FILE_MAX_MB', () => {
    expect(filesDirOf(loadConfig({ NHACVIEC_DB: '/srv/nv/data/nv.db' }))).toBe('/srv/nv/data/files');
    expect(filesDirOf(loadConfig({ NHACVIEC_DB: '/srv/nv/nv.db', NHACVIEC_FILES: '/mnt/minh-chung' }))).toBe('/mnt/minh-chung');
    expect(filesDirOf(loadConfig({ NHACVIEC_DB: 'postgres://u:p@db/nv' }))).toBe(path.resolve('data', 'files'));
    expect(fileStoreFromConfig(loadConfig({})).maxBytes).toBe(20 * 1024 * 1024);
    expect(fileStoreFromConfig(loadConfig({ NHACVIEC_FILE_MAX_MB: '5' })).maxBytes).toBe(5 * 1024 * 1024);
    expect(() => loadConfig({ NHACVIEC_FILE_MAX_MB: '0' })).toThrow(/NHACVIEC_FILE_MAX_MB/);
  });
});
