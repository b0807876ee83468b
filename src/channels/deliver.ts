// Sends the core's replies back to the chat the update came from: the text split at
// the channel's limit (at line breaks), buttons on the last piece, attachments after.
// Messages to other chats are not sent here: the core queued them in the outbox.
import { splitText } from '../bot/split.ts';
import type { Reply } from '../bot/types.ts';
import type { Channel } from '../db/schema.ts';
import { redact, type Logger } from '../log.ts';
import { pauseEnd, type BotPauses } from './bot-pause.ts';
import { ChatMigrated, RateLimited, type ChannelSender, type OutgoingMessage } from './types.ts';

export type SenderMap = Partial<Record<Channel, ChannelSender>>;

/** Splits one reply into the messages a channel can take. */
export function replyToMessages(reply: Reply, chatId: string, maxTextLength: number): OutgoingMessage[] {
  const pieces = reply.text.trim() === '' ? [] : splitText(reply.text, maxTextLength);
  const out: OutgoingMessage[] = pieces.map((text) => ({ chatId, text, ...(reply.noPreview ? { noPreview: true } : {}) }));
  if (reply.buttons?.length) {
    if (out.length === 0) out.push({ chatId, text: '…' });
    out[out.length - 1].buttons = reply.buttons;
  }
  if (reply.photo) out.push({ chatId, text: '', photo: reply.photo });
  if (reply.document) out.push({ chatId, text: '', document: reply.document });
  if (reply.file) out.push({ chatId, text: '', file: reply.file });
  return out;
}

export interface DeliverOptions {
  /** Longest server-asked wait (429 retry_after) worth holding a reply for; longer → dropped and logged. */
  maxWaitSec?: number;
  sleep?: (ms: number) => Promise<void>;
  /** The bot-wide 429 pauses shared with this process's drain: a reply waits one out, and a 429 it meets pauses every process. */
  pauses?: BotPauses;
  now?: () => number;
}

/**
 * Delivers every reply to `from`; a failure is logged and does not stop the others
 * (the user already got what could be sent; nothing here may crash the bot).
 */
export async function deliverReplies(
  replies: Reply[],
  from: { channel: Channel; chatId: string },
  senders: SenderMap,
  log: Logger,
  opts: DeliverOptions = {},
): Promise<void> {
  const maxWait = opts.maxWaitSec ?? 10;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const wait: Waiting = { maxWaitSec: maxWait, sleep, now: opts.now ?? (() => Date.now()), ...(opts.pauses ? { pauses: opts.pauses } : {}) };
  const sender = senders[from.channel];
  if (!sender) {
    if (replies.length > 0) log.warn({ channel: from.channel }, 'no sender for this channel: reply dropped');
    return;
  }
  let chatId = from.chatId;
  for (const reply of replies) {
    for (const m of replyToMessages(reply, chatId, sender.maxTextLength)) {
      try {
        await sendOnce(sender, { ...m, chatId }, (id) => (chatId = id), wait);
      } catch (e) {
        log.warn({ channel: from.channel, chatId, err: redact((e as Error).message), kind: (e as Error).constructor?.name }, 'reply not sent');
        break;
      }
    }
  }
}

/**
 * Sends one message, trying once more when that can work: to the new id of a
 * group that just became a supergroup, or after a short wait the server asked for.
 */
interface Waiting {
  maxWaitSec: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  pauses?: BotPauses;
}

async function sendOnce(sender: ChannelSender, m: OutgoingMessage, moved: (id: string) => void, w: Waiting): Promise<void> {
  const until = w.pauses ? await w.pauses.until(sender.channel, w.now()) : undefined;
  if (until !== undefined) {
    const ms = until - w.now();
    if (ms > w.maxWaitSec * 1000) throw new RateLimited(Math.ceil(ms / 1000));
    await w.sleep(ms);
  }
  try {
    await sender.send(m);
  } catch (e) {
    // Every process holds back for the pause; this process at once even if recording it fails.
    if (e instanceof RateLimited) await w.pauses?.note(sender.channel, pauseEnd(e.retryAfterSec, w.now())).catch(() => undefined);
    if (e instanceof ChatMigrated) {
      moved(e.newChatId);
      await sender.send({ ...m, chatId: e.newChatId });
    } else if (e instanceof RateLimited && e.retryAfterSec <= w.maxWaitSec) {
      await w.sleep(e.retryAfterSec * 1000);
      await sender.send(m);
    } else throw e;
  }
}
