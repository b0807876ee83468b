import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backupFilesDir, copyStoredFiles } from '../../src/files/backup.ts';
import { FileStore } from '../../src/files/store.ts';
import { SAMPLES } from './samples.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-files-backup-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('copyStoredFiles', () => {
  it('copies every stored file, adds only what is missing, repairs a copy cut short, leaves no temporary file', async () => {
    const store = new FileStore(path.join(dir, 'files'));
    const a = await store.put(SAMPLES.pdf, 'pdf');
    const b = await store.put(SAMPLES.jpg, 'jpg');
    fs.writeFileSync(path.join(dir, 'files', 'khong-phai-tep-luu.txt'), 'x');
    const dest = backupFilesDir(path.join(dir, 'sao-luu.db'));
    expect(dest).toBe(path.join(dir, 'sao-luu.db.files'));

    expect(copyStoredFiles(store.root, dest)).toEqual({ files: 2, copied: 2, bytes: SAMPLES.pdf.length + SAMPLES.jpg.length });
    const copy = new FileStore(dest);
    expect(await copy.read(a)).toEqual(SAMPLES.pdf);
    expect(await copy.read(b)).toEqual(SAMPLES.jpg);
    expect(fs.existsSync(path.join(dest, 'khong-phai-tep-luu.txt'))).toBe(false);

    await store.put(SAMPLES.docx, 'docx');
    fs.writeFileSync(copy.pathOf(a), SAMPLES.pdf.subarray(0, 5));
    expect(copyStoredFiles(store.root, dest)).toMatchObject({ files: 3, copied: 2 });
    expect(await copy.read(a)).toEqual(SAMPLES.pdf);
    expect(copy.list()).toEqual(store.list());
    const all = fs.readdirSync(dest, { recursive: true }).map(String);
    expect(all.filter((f) => f.endsWith('.tam'))).toEqual([]);
  });

  it('a missing source folder copies nothing and creates nothing', () => {
    const dest = path.join(dir, 'b.db.files');
    expect(copyStoredFiles(path.join(dir, 'khong-co'), dest)).toEqual({ files: 0, copied: 0, bytes: 0 });
    expect(fs.existsSync(dest)).toBe(false);
  });
});
