// Evidence (minh chứng) of a task: a photo or file an officer sends, kept in the file store
// (src/files/store.ts) with a row per task. The file is fetched and written before the row,
// outside any transaction (a download must not hold the database); the row is written in
// one transaction after, so a row never points to a missing file. A file written whose row
// then fails stays in the store unreferenced, harmless (the same content is stored once).
import path from 'node:path';
import type { IncomingAttachment, Reply, StoredFileRef } from '../bot/types.ts';
import type { Db } from '../db/open.ts';
import { evidenceOfTask, insertEvidence, type EvidenceRow } from '../db/evidence.repo.ts';
import type { Channel } from '../db/schema.ts';
import type { TaskRow } from '../db/tasks.repo.ts';
import { DownloadFailed } from '../files/download.ts';
import { DownloadTooLarge, FileRefused } from '../files/errors.ts';
import { extOf, FILE_TYPES, isStoredExt, sniffType, type StoredExt } from '../files/sniff.ts';
import type { FileStore } from '../files/store.ts';
import { FILE_TEXTS } from '../files/texts.ts';
import type { Actor } from './auth.ts';
import { atomically } from './chat-context.ts';
import { EVIDENCE_TEXTS } from './evidence-texts.ts';
import { findTaskFor } from './task-lookup.ts';

/** A file fetched, checked and in the store, not yet attached to a task. */
export interface StagedFile {
  sha256: string;
  ext: StoredExt;
  mime: string;
  size: number;
  kind: 'photo' | 'document';
  originalName: string | null;
}

export interface EvidenceAdded {
  task: { id: number; code: string; title: string };
  /** The row (the existing one when the same file was already attached). */
  evidence: EvidenceRow;
  /** False when the task already had this very file: nothing new was written. */
  added: boolean;
  /** The task's evidence count afterwards. */
  total: number;
  /** The sentence for the sender. */
  text: string;
}

const ALLOWED_NAME_EXTS = new Set(Object.values(FILE_TYPES).flatMap((t) => t.names));

/** The sender's file name as kept: no folders, no control characters, at most 200 characters. */
function cleanName(name: string | undefined): string | null {
  if (!name) return null;
  // eslint-disable-next-line no-control-regex
  const base = path.basename(name.replace(/\\/g, '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 200) : null;
}

/** The task, when the actor may add or see its evidence (lead unit, co-ordinating unit, chair over it); refuses with one sentence otherwise. */
export async function evidenceTask(db: Db, actor: Actor | null, taskCode: string): Promise<{ actor: Actor; task: TaskRow }> {
  return findTaskFor(db, actor, 'evidence', taskCode);
}

/**
 * Fetches an attachment within the store's limit, checks its type by content and name, and
 * writes it to the store. Call it outside any transaction. Throws FileRefused (one sentence)
 * for a file too large, a type not allowed, an empty file or a failed download; nothing is stored then.
 */
export async function stageAttachment(files: FileStore, a: IncomingAttachment): Promise<StagedFile> {
  const max = files.maxBytes;
  if (a.size !== undefined && a.size > max) throw new FileRefused('too_large', FILE_TEXTS.tooLarge(a.size, max));
  const nameExt = extOf(a.fileName);
  // A name the allow-list does not know is refused before anything is downloaded.
  if (nameExt && !ALLOWED_NAME_EXTS.has(nameExt)) throw new FileRefused('type_not_allowed', FILE_TEXTS.typeNotAllowed);
  let content: Buffer;
  try {
    content = await a.fetch(max);
  } catch (e) {
    if (e instanceof DownloadTooLarge) throw new FileRefused('too_large', e.exact ? FILE_TEXTS.tooLarge(e.bytes, max) : FILE_TEXTS.tooLargeUnknown(max));
    if (e instanceof DownloadFailed) throw new FileRefused('download_failed', FILE_TEXTS.downloadFailed);
    throw e;
  }
  if (content.length > max) throw new FileRefused('too_large', FILE_TEXTS.tooLarge(content.length, max));
  if (content.length === 0) throw new FileRefused('empty', FILE_TEXTS.empty);
  const type = sniffType(content);
  if (!type) throw new FileRefused('type_not_allowed', FILE_TEXTS.typeNotAllowed);
  if (nameExt && !type.names.includes(nameExt)) throw new FileRefused('type_mismatch', FILE_TEXTS.typeMismatch(nameExt));
  const put = await files.put(content, type.ext as StoredExt);
  return {
    sha256: put.sha256,
    ext: put.ext,
    mime: type.mime,
    size: put.size,
    // A picture sent as a file stays a document (sent back uncompressed); a "photo" is always a picture.
    kind: a.kind === 'photo' && type.family === 'image' ? 'photo' : 'document',
    originalName: cleanName(a.fileName),
  };
}

/**
 * Attaches a staged file to a task, in one transaction (or the caller's). The same file
 * attached twice to one task is kept once. Checks the file is in the store before the row.
 */
export async function recordEvidence(
  db: Db,
  files: FileStore,
  actor: Actor,
  task: Pick<TaskRow, 'id' | 'code' | 'title'>,
  staged: StagedFile,
  now: number,
  channel: Channel,
): Promise<EvidenceAdded> {
  if (!files.has(staged, staged.size)) throw new Error('staged evidence file is not in the store');
  return atomically(db, async (tx) => {
    const before = await evidenceOfTask(tx, task.id);
    const same = before.find((e) => e.sha256 === staged.sha256 && e.ext === staged.ext);
    const t = { id: task.id, code: task.code, title: task.title };
    if (same) return { task: t, evidence: same, added: false, total: before.length, text: EVIDENCE_TEXTS.alreadyThere(task.code, before.length) };
    const row = { taskId: task.id, ...staged, officerId: actor.officerId, channel, at: now };
    const id = await insertEvidence(tx, row);
    const evidence: EvidenceRow = { id, ...row, officerName: actor.fullName };
    const total = before.length + 1;
    return { task: t, evidence, added: true, total, text: EVIDENCE_TEXTS.added(task.code, evidence, total) };
  });
}

/**
 * Everything at once: checks the task and the actor's right to it (before any download),
 * fetches and stores the file, then writes the row. Holds no transaction during the download
 * when called outside one; inside a transaction the download happens in it, so a command
 * core should rather call evidenceTask and stageAttachment before its transaction and
 * recordEvidence inside it.
 */
export async function addEvidence(
  db: Db,
  files: FileStore,
  actor: Actor | null,
  taskCode: string,
  attachment: IncomingAttachment,
  now: number,
  channel: Channel,
): Promise<EvidenceAdded> {
  const { actor: a, task } = await evidenceTask(db, actor, taskCode);
  const staged = await stageAttachment(files, attachment);
  return recordEvidence(db, files, a, task, staged, now, channel);
}

/** A task's evidence, oldest first. */
export function listEvidence(db: Db, taskId: number): Promise<EvidenceRow[]> {
  return evidenceOfTask(db, taskId);
}

/** How a stored evidence file is sent: its reference and a name to show. */
export function fileRefOf(e: EvidenceRow, taskCode: string, n: number): StoredFileRef {
  return { sha256: e.sha256, ext: e.ext, name: e.originalName ?? `${taskCode}-minh-chung-${n}.${e.ext}`, kind: e.kind };
}

/**
 * What to send back for `/minhchung <mã>`: a header, then one reply per file (newest
 * `max`, in order), each a stored file sent by reference. Only to the lead unit, the
 * co-ordinating units and the chairs over the task; anyone else gets the refusal sentence.
 */
export async function evidenceForSending(
  db: Db,
  files: FileStore,
  actor: Actor | null,
  taskCode: string,
  opts: { zone: string; max?: number },
): Promise<{ task: TaskRow; evidence: EvidenceRow[]; replies: Reply[] }> {
  const { task } = await evidenceTask(db, actor, taskCode);
  const all = await evidenceOfTask(db, task.id);
  if (all.length === 0) return { task, evidence: all, replies: [{ text: EVIDENCE_TEXTS.none(task.code) }] };
  const max = opts.max ?? 10;
  const numbered = all.map((e, i) => ({ e, n: i + 1 })).slice(-max);
  const present = numbered.filter(({ e }) => isStoredExt(e.ext) && files.has({ sha256: e.sha256, ext: e.ext }));
  const missing = numbered.length - present.length;
  const header = EVIDENCE_TEXTS.header(task.code, task.title, all.length, numbered.length) + (missing > 0 ? `\n${EVIDENCE_TEXTS.missing(missing)}` : '');
  const replies: Reply[] = [{ text: header }, ...present.map(({ e, n }) => ({ text: '', file: fileRefOf(e, task.code, n) }))];
  return { task, evidence: all, replies };
}
