// Backing up and restoring the evidence files beside the database backup: `<backup>.files/`,
// the same `<ab>/<sha256>.<ext>` layout as the store. Files are named by their content, so a
// copy only adds what is missing and never replaces a file with other content.
import fs from 'node:fs';
import path from 'node:path';
import { listStored } from './store.ts';

/** The folder of files that goes with a database backup file. */
export function backupFilesDir(backupFile: string): string {
  return `${path.resolve(backupFile)}.files`;
}

export interface FilesCopied {
  /** Files in the source folder. */
  files: number;
  /** Of these, copied now (the others were already there, whole). */
  copied: number;
  bytes: number;
}

/** Copies every stored file from `from` into `to` that `to` lacks (or holds cut short), each under a temporary name then renamed. */
export function copyStoredFiles(from: string, to: string): FilesCopied {
  const list = listStored(from);
  const out: FilesCopied = { files: list.length, copied: 0, bytes: 0 };
  for (const rel of list) {
    const src = path.join(from, rel);
    const dest = path.join(to, rel);
    const size = fs.statSync(src).size;
    out.bytes += size;
    if (fs.existsSync(dest) && fs.statSync(dest).size === size) continue;
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const temp = `${dest}.${process.pid}-${Date.now()}.tam`;
    try {
      fs.copyFileSync(src, temp);
      const fd = fs.openSync(temp, 'r+');
      try {
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      fs.renameSync(temp, dest);
    } finally {
      fs.rmSync(temp, { force: true });
    }
    out.copied++;
  }
  return out;
}
