// A photo or file sent with a command that takes one (/xong, /minhchung, a reply to a
// reminder): the sender's right to the task is checked, then the file is fetched, checked and
// written to the store, all before the update's transaction (a download must not hold the
// database). A refusal is one sentence and nothing is fetched or stored.
// A repeated update (the same update id) is fetched again before the core finds it handled:
// the store keeps one copy per content, and no second row is written.
import { resolveActor } from '../app/auth.ts';
import { evidenceTask, stageAttachment, type StagedFile } from '../app/evidence.ts';
import { findTaskFor } from '../app/task-lookup.ts';
import type { Db } from '../db/open.ts';
import { existingCodes } from '../db/tasks.repo.ts';
import { DomainError } from '../domain/errors.ts';
import type { FileStore } from '../files/store.ts';
import type { Command } from './parse.ts';
import type { IncomingMessage } from './types.ts';

export type Intake = { staged: { file: StagedFile; taskCode: string } } | { refusal: string } | null;

/** The task code a command with an attachment is about, and whether it completes (done) or only adds (evidence). */
async function targetOf(db: Db, cmd: Command): Promise<{ code: string; action: 'done' | 'evidence' } | null> {
  switch (cmd.kind) {
    case 'done':
      return { code: cmd.code, action: 'done' };
    case 'evidence':
      return { code: cmd.code, action: 'evidence' };
    case 'doneByReply':
    case 'evidenceByReply': {
      // Ambiguous or unknown: the command answers that itself; nothing is fetched.
      const found = await existingCodes(db, cmd.candidates);
      return found.length === 1 ? { code: found[0], action: cmd.kind === 'doneByReply' ? 'done' : 'evidence' } : null;
    }
    default:
      return null;
  }
}

/** Stages the message's attachment for its command; null when the command takes none (the attachment is ignored). */
export async function intakeAttachment(db: Db, files: FileStore, msg: IncomingMessage, cmd: Command | null): Promise<Intake> {
  if (!msg.attachment || !cmd) return null;
  try {
    const target = await targetOf(db, cmd);
    if (!target) return null;
    const actor = await resolveActor(db, msg.channel, msg.userId);
    const { task } = target.action === 'done' ? await findTaskFor(db, actor, 'done', target.code) : await evidenceTask(db, actor, target.code);
    const file = await stageAttachment(files, msg.attachment);
    return { staged: { file, taskCode: task.code } };
  } catch (e) {
    if (e instanceof DomainError) return { refusal: e.message };
    throw e;
  }
}
