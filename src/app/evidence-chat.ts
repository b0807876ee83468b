// Evidence in the chat: /minhchung <mã> with a photo or file adds it, without one sends the
// evidence back; a photo or file replying to a reminder adds it to the task the reminder names;
// /xong with a photo or file (complete.ts) stores it with the report. The file itself was
// fetched and stored before the update's transaction (src/bot/evidence-intake.ts): here only
// the row is written, in the transaction.
import type { Reply } from '../bot/types.ts';
import { existingCodes, type TaskRow } from '../db/tasks.repo.ts';
import { NotAllowed } from '../domain/errors.ts';
import { FILE_TEXTS } from '../files/texts.ts';
import { NOT_LINKED, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';
import { evidenceForSending, evidenceTask, recordEvidence, type EvidenceAdded } from './evidence.ts';

/** Stores the file staged for this task (if the message brought one); null when there is none. */
export async function attachStaged(ctx: ChatCtx, actor: Actor, task: Pick<TaskRow, 'id' | 'code' | 'title'>): Promise<EvidenceAdded | null> {
  const s = ctx.staged;
  if (!s || !ctx.files || s.taskCode !== task.code) return null;
  return recordEvidence(ctx.db, ctx.files, actor, task, s.file, ctx.now, ctx.channel);
}

/** /minhchung <mã>: adds the photo or file sent with it, or sends the task's evidence back. */
export async function evidenceCommand(ctx: ChatCtx, actorOrNull: Actor | null, code: string): Promise<Reply[]> {
  const { actor, task } = await evidenceTask(ctx.db, actorOrNull, code);
  const added = await attachStaged(ctx, actor, task);
  if (added) return [{ text: added.text }];
  if (!ctx.files) throw new Error('no file store for evidence');
  const { evidence, replies } = await evidenceForSending(ctx.db, ctx.files, actor, task.code, { zone: ctx.config.zone });
  // Zalo's bot sends no files: the files that are not pictures go out as a line naming them.
  if (ctx.channel === 'zalo' && evidence.some((e) => e.kind !== 'photo') && replies[0]) {
    replies[0] = { ...replies[0], text: `${replies[0].text}\n${FILE_TEXTS.zaloImagesOnly}` };
  }
  return replies;
}

/** A photo or file in reply to a bot message: evidence of the one task the message names. */
export async function evidenceByReply(ctx: ChatCtx, actor: Actor | null, candidates: string[]): Promise<Reply[]> {
  if (!actor) throw new NotAllowed(NOT_LINKED);
  const found = await existingCodes(ctx.db, candidates);
  if (found.length === 1) {
    const { actor: a, task } = await evidenceTask(ctx.db, actor, found[0]);
    const added = await attachStaged(ctx, a, task);
    if (added) return [{ text: added.text }];
    return [{ text: `Chưa nhận được tệp. Hãy gửi lại ảnh hoặc tệp kèm chú thích /minhchung ${task.code}.` }];
  }
  if (found.length === 0) return [{ text: 'Không thấy mã nhiệm vụ trong tin nhắn được trả lời. Hãy gửi lại ảnh hoặc tệp kèm chú thích /minhchung <mã nhiệm vụ>.' }];
  return [{ text: `Tin nhắn đó nói về nhiều nhiệm vụ (${found.slice(0, 5).join(', ')}). Hãy gửi lại ảnh hoặc tệp kèm chú thích /minhchung <mã>.` }];
}
