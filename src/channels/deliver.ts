// Sends the core's replies through the channel senders: the text split at the
// channel's limit (at line breaks), buttons on the last piece, attachments after.
// A reply with `to` goes to that chat (possibly on the other channel).
import { splitText } from '../bot/split.ts';
import type { Reply } from '../bot/types.ts';
import type { Channel } from '../db/schema.ts';
import { redact, type Logger } from '../log.ts';
import { ChatMigrated, RateLimited, type ChannelSender, type OutgoingMessage } from './types.ts';

export type SenderMap = Partial<Record<Channel, ChannelSender>>;

/** Splits one reply into the messages a channel can take. */
export function replyToMessages(reply: Reply, chatId: string, maxTextLength: number): OutgoingMessage[] {
  const pieces = reply.text.trim() === '' ? [] : splitText(reply.text, maxTextLength);
  const out: OutgoingMessage[] = pieces.map((text) => ({ chatId, text }));
  if (reply.buttons?.length) {
    if (out.length === 0) out.push({ chatId, text: '…' });
    out[out.length - 1].buttons = reply.buttons;
  }
  if (reply.photo) out.push({ chatId, text: '', photo: reply.photo });
  if (reply.document) out.push({ chatId, text: '', document: reply.document });
  return out;
}

/**
 * Delivers every reply; a failure is logged and does not stop the others
 * (the user already got what could be sent; nothing here may crash the bot).
 */
export interface DeliverOptions {
  /** Longest server-asked wait (429 retry_after) worth holding a reply for; longer → dropped and logged. */
  maxWaitSec?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function deliverReplies(
  replies: Reply[],
  from: { channel: Channel; chatId: string },
  senders: SenderMap,
  log: Logger,
  opts: DeliverOptions = {},
): Promise<void> {
  const maxWait = opts.maxWaitSec ?? 10;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (const reply of replies) {
    const target = reply.to ?? from;
    const sender = senders[target.channel];
    if (!sender) {
      log.warn({ channel: target.channel }, 'no sender for this channel: reply dropped');
      continue;
    }
    let chatId = target.chatId;
    for (const m of replyToMessages(reply, chatId, sender.maxTextLength)) {
      try {
        await sendOnce(sender, { ...m, chatId }, (id) => (chatId = id), maxWait, sleep);
      } catch (e) {
        log.warn({ channel: target.channel, chatId, err: redact((e as Error).message), kind: (e as Error).constructor?.name }, 'reply not sent');
        break;
      }
    }
  }
}

/**
 * Sends one message, trying once more when that can work: to the new id of a
 * group that just became a supergroup, or after a short wait the server asked for.
 */
async function sendOnce(
  sender: ChannelSender,
  m: OutgoingMessage,
  moved: (id: string) => void,
  maxWaitSec: number,
  sleep: (ms: number) => Promise<void>,
): Promise<void> {
  try {
    await sender.send(m);
  } catch (e) {
    if (e instanceof ChatMigrated) {
      moved(e.newChatId);
      await sender.send({ ...m, chatId: e.newChatId });
    } else if (e instanceof RateLimited && e.retryAfterSec <= maxWaitSec) {
      await sleep(e.retryAfterSec * 1000);
      await sender.send(m);
    } else throw e;
  }
}
