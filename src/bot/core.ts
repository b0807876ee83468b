// The channel-neutral command core: one entry point for Telegram, Zalo and the console.
// Handles each update once (in one transaction), resolves the sender, answers a pending question,
// parses and dispatches, queues the notices to other chats in the outbox, and turns errors into
// one Vietnamese sentence.
import { randomUUID } from 'node:crypto';
import { senderOf, type Actor, type Sender } from '../app/auth.ts';
import type { ChatCtx } from '../app/chat-context.ts';
import { answerPendingPrompt, promptMayWrite } from '../app/complete.ts';
import { queueNotices } from '../app/notify.ts';
import type { Config } from '../config.ts';
import { setPrivateChatId, type PromptRow } from '../db/accounts.repo.ts';
import { DbBusy, type Db } from '../db/db.ts';
import { markAndFindSender } from '../db/incoming.repo.ts';
import { DomainError } from '../domain/errors.ts';
import { fileStoreFromConfig, type FileStore } from '../files/store.ts';
import type { Logger } from '../log.ts';
import { parseCallback } from './callback.ts';
import { specOf } from './commands/index.ts';
import { intakeAttachment, type Intake } from './evidence-intake.ts';
import { parseCommand, type Command } from './parse.ts';
import { BAD_BUTTON, BUSY, UNEXPECTED, unknownCommand } from './texts.ts';
import type { BotCore, CommandReply, IncomingMessage, Notice, Reply } from './types.ts';

export interface BotDeps {
  db: Db;
  config: Config;
  log: Logger;
  /**
   * Called after an update's transaction has committed notices to the outbox, with those
   * notices: `nhacviec start` wakes its drain so they go out at once.
   */
  onEnqueued?: (notices: Notice[]) => void;
  /** The evidence file store (default: the config's, NHACVIEC_FILES or `files` beside the database). */
  files?: FileStore;
}

/** A command's answer to the sender, before its document is built. */
type DirectReply = Exclude<CommandReply, Notice>;

/** What one update's transaction committed: the answers to the sender and the notices it queued. */
interface Handled {
  replies: DirectReply[];
  queued: Notice[];
}

async function run(ctx: ChatCtx, actor: Actor | null, cmd: Command): Promise<CommandReply[]> {
  switch (cmd.kind) {
    case 'none':
      return [];
    case 'unknown':
      return [{ text: unknownCommand(cmd.word) }];
    case 'usage':
      return [{ text: cmd.message }];
    default: {
      const spec = specOf(cmd.kind);
      if (!spec) throw new Error(`no registry entry runs ${cmd.kind}`);
      return spec.run(ctx, actor, cmd);
    }
  }
}

/** The driver's error code (PostgreSQL's SQLSTATE, SQLite's name), also when drizzle wrapped the error. */
function errorCode(e: unknown): string | undefined {
  for (let c: unknown = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A unique-key violation (PostgreSQL 23505, SQLite's constraint codes). */
function isUniqueViolation(e: unknown): boolean {
  const code = errorCode(e);
  return code === '23505' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Commands that only read: they run without a savepoint of their own (no SAVEPOINT, no RELEASE),
 * since a refusal has nothing of theirs to undo. Every other command may write.
 */
const READ_ONLY: ReadonlySet<Command['kind']> = new Set(['none', 'help', 'unknown', 'usage', 'tasks', 'taskDetail']);

export function createBotCore(deps: BotDeps): BotCore {
  const { db, config, log } = deps;
  const files = deps.files ?? fileStoreFromConfig(config);

  /** The command the update asks for: a button's payload or the typed text; null for a payload that is none of ours. */
  function commandOf(msg: IncomingMessage): Command | null {
    if (msg.callbackData === undefined) return parseCommand(msg.text, {
        chatType: msg.chatType,
        botUsername: msg.botUsername,
        replyToText: msg.replyToText,
        attachment: msg.attachment !== undefined,
      });
    const cmd = parseCallback(msg.callbackData);
    if (!cmd) log.warn({ channel: msg.channel, userId: msg.userId, bytes: Buffer.byteLength(msg.callbackData) }, 'refused an unknown or forged button payload');
    return cmd;
  }

  /** The command itself; it runs inside the update's transaction, on `ctx.db`. */
  async function command(ctx: ChatCtx, actor: Actor | null, prompt: PromptRow | null, msg: IncomingMessage, cmd: Command | null): Promise<CommandReply[]> {
    if (!cmd) return [{ text: BAD_BUTTON }];
    // A button press is checked exactly like the typed command it stands for; it answers no pending question.
    if (msg.callbackData === undefined && actor && cmd.kind !== 'doneByReply') {
      const answered = await answerPendingPrompt(ctx, actor, msg.text, prompt);
      if (answered) return answered;
    }
    return run(ctx, actor, cmd);
  }

  async function handleOnce(tx: Db, msg: IncomingMessage, now: number, { actor, prompt }: Sender, intake: Intake): Promise<Handled> {
    const ctx: ChatCtx = {
      files,
      ...(intake && 'staged' in intake ? { staged: intake.staged } : {}),
      db: tx,
      config,
      now,
      channel: msg.channel,
      chatId: msg.chatId,
      chatType: msg.chatType,
      userId: msg.userId,
      displayName: msg.displayName,
    };
    if (actor && msg.chatType === 'private' && actor.privateChatId !== msg.chatId) await setPrivateChatId(tx, actor.accountId, msg.chatId);
    let answers: CommandReply[];
    try {
      const cmd = commandOf(msg);
      // A pending question may be answered (written) before the command runs.
      const mayWrite = cmd !== null && (!READ_ONLY.has(cmd.kind) || (msg.callbackData === undefined && promptMayWrite(prompt, msg.text, now)));
      // A command that may write runs in a savepoint: a refusal undoes whatever it wrote, and the update stays marked handled.
      answers = mayWrite ? await tx.tx((cmdTx) => command({ ...ctx, db: cmdTx }, actor, prompt, msg, cmd)) : await command(ctx, actor, prompt, msg, cmd);
    } catch (e) {
      if (e instanceof DomainError) return { replies: [{ text: e.message }], queued: [] };
      throw e;
    }
    const replies: DirectReply[] = [];
    const notices: Notice[] = [];
    for (const a of answers) {
      if (a.to) notices.push(a);
      else replies.push(a);
    }
    // In the same transaction as the command's effect: a notice is queued exactly when the effect commits.
    // An update without a key (the console) is never repeated: a random id keeps its keys apart.
    const queued = notices.length > 0 ? await queueNotices(tx, notices, { channel: msg.channel, id: msg.updateKey ?? randomUUID() }, now) : [];
    if (queued.length < notices.length) log.warn({ channel: msg.channel, updateKey: msg.updateKey }, 'notice already queued under the same key: not queued again');
    return { replies, queued };
  }

  /** After the commit: the attachments that were left to build (outside the transaction, on the shared handle). */
  async function finish(replies: DirectReply[]): Promise<Reply[]> {
    const out: Reply[] = [];
    for (const { documentLater, ...reply } of replies) {
      out.push(documentLater ? { ...reply, document: { filename: documentLater.filename, content: await documentLater.build(db) } } : reply);
    }
    return out;
  }

  /** An error → the sentence for the user (and the log line). */
  function failure(msg: IncomingMessage, e: unknown): Reply[] {
    if (e instanceof DomainError) return [{ text: e.message }];
    if (e instanceof DbBusy) {
      // Nothing was written (the transaction rolled back or never began), so the update can simply be sent again.
      log.warn({ channel: msg.channel, updateKey: msg.updateKey }, 'database busy, command refused');
      return [{ text: BUSY }];
    }
    const err = e as Error;
    // Logged without the message and the query's parameters (a driver puts them in its message,
    // over several lines): they may hold personal data. The frames and the error code only.
    const frames = err?.stack?.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 5).join('\n');
    log.error({ channel: msg.channel, updateKey: msg.updateKey, err: { name: err?.name, code: errorCode(e), stack: frames } }, 'chat command failed');
    return [{ text: UNEXPECTED }];
  }

  /** Runs a caller's hook; its failure is logged, never shown to the user. */
  function runHook(what: string, hook: () => void): void {
    try {
      hook();
    } catch (e) {
      log.warn({ hook: what, err: { name: (e as Error)?.name } }, 'hook failed after the commit');
    }
  }

  return {
    async handle(msg, now, opts = {}) {
      // A photo or file for /xong, /minhchung or a reply: checked and stored before the transaction.
      let intake: Intake = null;
      if (msg.attachment && msg.callbackData === undefined) {
        try {
          intake = await intakeAttachment(db, files, msg, commandOf(msg));
        } catch (e) {
          return failure(msg, e);
        }
        if (intake && 'refusal' in intake) return [{ text: intake.refusal }];
      }
      let marking = false;
      let done: Handled;
      try {
        // One transaction per update: the "handled" mark, what the command writes and the notices it
        // queues commit together, so a repeated update (same update_id / message_id) is dropped before
        // any effect, a crash in between cannot mark an update handled whose /xong was lost, and /xong
        // costs one commit (one fsync), not two. Slow work that only reads (the report's xlsx) is left
        // to after the commit.
        done = await db.tx(async (tx): Promise<Handled> => {
          // Marked handled and the sender read in one go (one statement on PostgreSQL).
          marking = msg.updateKey !== undefined;
          const { first, sender } = await markAndFindSender(tx, msg.channel, msg.updateKey, msg.userId, now);
          marking = false;
          if (!first) return { replies: [], queued: [] };
          return handleOnce(tx, msg, now, senderOf(sender), intake);
        });
      } catch (e) {
        // Another process marked the same update at the same moment: it is handling it.
        if (marking && isUniqueViolation(e)) {
          log.info({ channel: msg.channel, updateKey: msg.updateKey }, 'update already being handled elsewhere');
          return [];
        }
        return failure(msg, e);
      }
      const { committed } = opts;
      if (committed) runHook('committed', committed);
      const { onEnqueued } = deps;
      if (onEnqueued && done.queued.length > 0) runHook('onEnqueued', () => onEnqueued(done.queued));
      try {
        return await finish(done.replies);
      } catch (e) {
        return failure(msg, e);
      }
    },
  };
}
