// Where an uploaded import file waits between its dry run and the confirmation.
//
// The confirmation never trusts a re-posted body: the dry run keeps the bytes on the
// server, in a folder of this process's own temporary directory named by a random token
// (24 random bytes). The folder's meta.json binds the upload to the session (SHA-256 of
// the session cookie), the officer, the kind and the file's SHA-256, and records when it
// was made (the app's clock). Confirming sends only the token: it must name an upload of
// the same session and officer, less than an hour old, whose bytes still hash the same.
// The first confirmation claims the upload by renaming meta.json (atomic: a double
// click imports once); after the import the folder is deleted and the result is kept in
// memory for the page after the redirect (an hour). Each new upload sweeps uploads older
// than an hour; the process's directory goes when it is empty, or when the process exits.
// Uploads live in the process that took them: behind a load balancer, send the same
// session to the same process (or re-upload).
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ImportKind } from '../../app/import/columns.ts';

/** How long an upload waits for its confirmation (and a result stays readable). */
export const UPLOAD_TTL_MS = 3_600_000;
const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const STALE_SIBLING_MS = 24 * UPLOAD_TTL_MS;

interface Meta {
  sessionHash: string;
  officerId: number;
  kind: ImportKind;
  fileName: string;
  sha256: string;
  createdAt: number;
}

export interface StoredResult {
  kind: ImportKind;
  fileName: string;
  ok: boolean;
  rows: number;
  inserted: number;
  updated: number;
  rules: number;
  /** `dòng N: cột: lý do` lines when the file no longer passed at confirmation. */
  errors: string[];
}

export type Claim =
  | { ok: true; file: string; kind: ImportKind; fileName: string; release(result: StoredResult): void }
  | { ok: false; reason: string };

/** The folders this process made, removed when it exits (uploads do not outlive their process). */
const madeDirs = new Set<string>();
let exitHooked = false;
function removeAtExit(dir: string): void {
  if (!exitHooked) {
    exitHooked = true;
    process.once('exit', () => {
      for (const d of madeDirs) fs.rmSync(d, { recursive: true, force: true });
    });
  }
  madeDirs.add(dir);
}

const sha256 = (b: Uint8Array | string) => crypto.createHash('sha256').update(b).digest('hex');

/** A file name safe to keep on disk, with its extension (the importer reads by extension). */
function safeName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC');
  const cleaned = base.replace(/[^\p{L}\p{N} ._()-]/gu, '_').replace(/^\.+/, '').slice(-120);
  return cleaned || 'tep';
}

const readJson = <T>(file: string): T | undefined => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
};

export const UPLOAD_TAKEN = 'Tệp này đang được nhập hoặc đã nhập xong. Hãy xem kết quả trước khi gửi lại.';
export const UPLOAD_GONE = 'Không tìm thấy tệp đã kiểm tra (đã quá 1 giờ, đã được nhập, hoặc đường dẫn không đúng). Hãy tải tệp lên và kiểm tra lại.';

interface KeptResult {
  result: StoredResult;
  sessionHash: string;
  officerId: number;
  createdAt: number;
}

export class ImportUploads {
  private made: string | undefined;
  private readonly results = new Map<string, KeptResult>();

  constructor(private readonly root = os.tmpdir()) {}

  /** This process's folder, made at the first upload it keeps (none while nothing waits). */
  get dir(): string {
    if (this.made === undefined) {
      ImportUploads.sweepStaleSiblings(this.root);
      this.made = fs.mkdtempSync(path.join(this.root, 'nhacviec-nhap-'));
      fs.chmodSync(this.made, 0o700);
      removeAtExit(this.made);
    }
    return this.made;
  }

  /** Folders left by processes that ended a day ago or more (by the file system's time). */
  private static sweepStaleSiblings(root: string): void {
    let names: string[] = [];
    try {
      names = fs.readdirSync(root).filter((n) => n.startsWith('nhacviec-nhap-'));
    } catch {
      return;
    }
    const limit = Date.now() - STALE_SIBLING_MS;
    for (const n of names) {
      const p = path.join(root, n);
      try {
        if (fs.statSync(p).mtimeMs < limit) fs.rmSync(p, { recursive: true, force: true });
      } catch {
        // Another process's folder, or gone already.
      }
    }
  }

  /** An upload's folder, when the token has the shape of one and this process keeps uploads. */
  private folder(token: string): string | undefined {
    return TOKEN.test(token) && this.made !== undefined ? path.join(this.made, token) : undefined;
  }

  /** Removes the process's directory once no upload waits in it. */
  private tidy(): void {
    if (this.made === undefined) return;
    try {
      if (fs.readdirSync(this.made).length > 0) return;
      fs.rmdirSync(this.made);
    } catch {
      return;
    }
    madeDirs.delete(this.made);
    this.made = undefined;
  }

  /** Keeps an upload; returns its token. */
  save(u: { sessionId: string; officerId: number; kind: ImportKind; fileName: string; bytes: Uint8Array; now: number }): { token: string; file: string } {
    this.sweep(u.now);
    const token = crypto.randomBytes(24).toString('base64url');
    const folder = path.join(this.dir, token);
    fs.mkdirSync(folder, { mode: 0o700 });
    const fileName = safeName(u.fileName);
    const file = path.join(folder, fileName);
    fs.writeFileSync(file, u.bytes, { mode: 0o600 });
    const meta: Meta = { sessionHash: sha256(u.sessionId), officerId: u.officerId, kind: u.kind, fileName, sha256: sha256(u.bytes), createdAt: u.now };
    fs.writeFileSync(path.join(folder, 'meta.json'), JSON.stringify(meta), { mode: 0o600 });
    return { token, file };
  }

  /** Forgets an upload (a dry run that found errors: nothing to confirm). */
  drop(token: string): void {
    const folder = this.folder(token);
    if (!folder) return;
    fs.rmSync(folder, { recursive: true, force: true });
    this.tidy();
  }

  /**
   * Takes an upload for its confirmation, once: the same session and officer, within the
   * hour, the bytes unchanged. `release` deletes the upload and keeps the result.
   */
  claim(token: string, sessionId: string, officerId: number, now: number): Claim {
    const folder = this.folder(token);
    if (!folder) return { ok: false, reason: UPLOAD_GONE };
    const meta = readJson<Meta>(path.join(folder, 'meta.json'));
    if (!meta) {
      const busy = fs.existsSync(path.join(folder, 'claimed.json')) || this.results.has(token);
      return { ok: false, reason: busy ? UPLOAD_TAKEN : UPLOAD_GONE };
    }
    if (meta.sessionHash !== sha256(sessionId) || meta.officerId !== officerId) return { ok: false, reason: UPLOAD_GONE };
    if (now - meta.createdAt > UPLOAD_TTL_MS || now < meta.createdAt) {
      this.drop(token);
      return { ok: false, reason: UPLOAD_GONE };
    }
    try {
      fs.renameSync(path.join(folder, 'meta.json'), path.join(folder, 'claimed.json'));
    } catch {
      return { ok: false, reason: UPLOAD_TAKEN };
    }
    const file = path.join(folder, meta.fileName);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch {
      this.drop(token);
      return { ok: false, reason: UPLOAD_GONE };
    }
    if (sha256(bytes) !== meta.sha256) {
      this.drop(token);
      return { ok: false, reason: 'Tệp đã kiểm tra bị thay đổi trên máy chủ, nên không nhập. Hãy tải tệp lên và kiểm tra lại.' };
    }
    return {
      ok: true,
      file,
      kind: meta.kind,
      fileName: meta.fileName,
      release: (result) => {
        this.results.set(token, { result, sessionHash: meta.sessionHash, officerId, createdAt: now });
        this.drop(token);
      },
    };
  }

  /** The result of a confirmed upload, for the same session and officer, within the hour. */
  result(token: string, sessionId: string, officerId: number, now: number): StoredResult | undefined {
    const r = this.results.get(token);
    if (!r || r.sessionHash !== sha256(sessionId) || r.officerId !== officerId || now - r.createdAt > UPLOAD_TTL_MS) return undefined;
    return r.result;
  }

  /** Removes every upload and result older than the hour (the app's clock). */
  sweep(now: number): void {
    for (const [token, r] of this.results) if (now - r.createdAt > UPLOAD_TTL_MS) this.results.delete(token);
    if (this.made === undefined) return;
    let names: string[] = [];
    try {
      names = fs.readdirSync(this.made);
    } catch {
      this.made = undefined;
      return;
    }
    for (const token of names) {
      const folder = this.folder(token);
      if (!folder) continue;
      const meta = readJson<{ createdAt: number }>(path.join(folder, 'meta.json')) ?? readJson<{ createdAt: number }>(path.join(folder, 'claimed.json'));
      if (!meta || now - meta.createdAt > UPLOAD_TTL_MS) fs.rmSync(folder, { recursive: true, force: true });
    }
    this.tidy();
  }
}
