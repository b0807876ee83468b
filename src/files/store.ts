// Evidence files, kept outside the database in one folder, each named by the SHA-256 of
// its content: `<root>/<sha256[0..2]>/<sha256>.<ext>`. The same content is stored once.
// A file is written under a temporary name, flushed to disk and renamed, so a name in the
// store always holds complete content, even after a crash or a power cut.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { engineOf } from '../db/open.ts';
import { isStoredExt, type StoredExt } from './sniff.ts';

export const DEFAULT_FILE_MAX_MB = 20;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const TEMP_DIR = '.tam';

/** A stored file's identity: what a database row and an outbox payload hold. */
export interface StoredRef {
  sha256: string;
  ext: StoredExt;
}

export interface PutResult extends StoredRef {
  size: number;
  /** False when the same content was already there (nothing written). */
  created: boolean;
}

export class FileStore {
  /** Absolute folder of the store. */
  readonly root: string;
  /** Largest file accepted, in bytes. */
  readonly maxBytes: number;

  constructor(root: string, opts: { maxBytes?: number } = {}) {
    this.root = path.resolve(root);
    this.maxBytes = opts.maxBytes ?? DEFAULT_FILE_MAX_MB * 1024 * 1024;
  }

  /** Where a stored file lies; throws on anything that is not a hash and an allowed extension (no path tricks from a payload). */
  pathOf(ref: StoredRef): string {
    if (!SHA256_HEX.test(ref.sha256) || !isStoredExt(ref.ext)) throw new Error('not a stored file reference');
    return path.join(this.root, ref.sha256.slice(0, 2), `${ref.sha256}.${ref.ext}`);
  }

  /** True when the file is there with that many bytes (any size when `size` is not given). */
  has(ref: StoredRef, size?: number): boolean {
    try {
      const st = fs.statSync(this.pathOf(ref));
      return st.isFile() && (size === undefined || st.size === size);
    } catch {
      return false;
    }
  }

  async read(ref: StoredRef): Promise<Buffer> {
    return fs.promises.readFile(this.pathOf(ref));
  }

  /** Stores `content` under its hash, durably; the same content already there (whole) is not written again. */
  async put(content: Buffer, ext: StoredExt): Promise<PutResult> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const ref = { sha256, ext };
    const final = this.pathOf(ref);
    if (this.has(ref, content.length)) return { ...ref, size: content.length, created: false };
    const dir = path.dirname(final);
    const tempDir = path.join(this.root, TEMP_DIR);
    await fs.promises.mkdir(dir, { recursive: true });
    await fs.promises.mkdir(tempDir, { recursive: true });
    const temp = path.join(tempDir, `${sha256}.${randomBytes(6).toString('hex')}`);
    try {
      const fh = await fs.promises.open(temp, 'wx', 0o640);
      try {
        await fh.writeFile(content);
        await fh.sync();
      } finally {
        await fh.close();
      }
      // Two writers of the same content rename the same bytes: either one wins, both whole.
      await fs.promises.rename(temp, final);
    } catch (e) {
      await fs.promises.rm(temp, { force: true });
      throw e;
    }
    await syncDir(dir);
    return { ...ref, size: content.length, created: true };
  }

  /** Every stored file, as a path relative to the root (temporary files left by a crash are not listed). */
  list(): string[] {
    return listStored(this.root);
  }
}

/** Flushes a folder's entries (the rename) to disk; some systems cannot open a folder for that, which is fine there. */
async function syncDir(dir: string): Promise<void> {
  let fh: fs.promises.FileHandle | undefined;
  try {
    fh = await fs.promises.open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows and a few file systems: a folder cannot be flushed; the rename stands on its own there.
  } finally {
    await fh?.close();
  }
}

/** `<ab>/<sha>.<ext>` paths under a store folder. */
export function listStored(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  for (const sub of fs.readdirSync(root, { withFileTypes: true })) {
    if (!sub.isDirectory() || !/^[0-9a-f]{2}$/.test(sub.name)) continue;
    for (const f of fs.readdirSync(path.join(root, sub.name), { withFileTypes: true })) {
      const m = /^([0-9a-f]{64})\.([a-z]+)$/.exec(f.name);
      if (f.isFile() && m && m[1].startsWith(sub.name) && isStoredExt(m[2])) out.push(path.join(sub.name, f.name));
    }
  }
  return out.sort();
}

/**
 * The store's folder: NHACVIEC_FILES, else `files` beside the SQLite file, else (PostgreSQL,
 * which has no file beside it) `./data/files`.
 */
export function filesDirOf(config: Pick<Config, 'dbFile'> & { env: { NHACVIEC_FILES?: string } }): string {
  if (config.env.NHACVIEC_FILES) return path.resolve(config.env.NHACVIEC_FILES);
  if (engineOf(config.dbFile) === 'postgres') return path.resolve('data', 'files');
  return path.resolve(path.dirname(config.dbFile), 'files');
}

export function fileStoreFromConfig(config: Pick<Config, 'dbFile'> & { env: { NHACVIEC_FILES?: string; NHACVIEC_FILE_MAX_MB?: number } }): FileStore {
  return new FileStore(filesDirOf(config), { maxBytes: Math.round((config.env.NHACVIEC_FILE_MAX_MB ?? DEFAULT_FILE_MAX_MB) * 1024 * 1024) });
}
