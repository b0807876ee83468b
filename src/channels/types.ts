// What the outbox sender needs from a channel, and the errors it must tell apart.
import type { Button, StoredFileRef } from '../bot/types.ts';

export interface OutgoingMessage {
  chatId: string;
  text: string;
  buttons?: Button[][];
  photo?: { filename: string; content: Buffer };
  /** A picture at a public HTTPS address (how Zalo sends one: it takes no upload). */
  photoUrl?: string;
  document?: { filename: string; content: Buffer };
  /** A file of the store, sent by reference: the channel reads it from the store (Zalo sends its name). */
  file?: StoredFileRef;
  /** Telegram: no link preview under the text. */
  noPreview?: boolean;
}

export interface ChannelSender {
  readonly channel: 'telegram' | 'zalo';
  /** Longest text one message may hold (Telegram 4096, Zalo 2000). */
  readonly maxTextLength: number;
  /** Sends one message (already split to maxTextLength). Throws a SendError on failure. */
  send(msg: OutgoingMessage): Promise<void>;
}

/** The server asked us to wait (HTTP 429 / retry_after). */
export class RateLimited extends Error {
  constructor(readonly retryAfterSec: number) {
    super(`rate limited, retry after ${retryAfterSec}s`);
  }
}

/** The bot was blocked, kicked or the chat is gone (403): stop retrying. */
export class ChatForbidden extends Error {}

/** The group became a supergroup: resend to the new id (Telegram 400 migrate_to_chat_id). */
export class ChatMigrated extends Error {
  constructor(readonly newChatId: string) {
    super(`chat migrated to ${newChatId}`);
  }
}

/** A network error or a 5xx: retry with backoff. */
export class TransientSendError extends Error {}

/** The server refused the message for good (other 4xx): mark failed with the reason. */
export class PermanentSendError extends Error {}
