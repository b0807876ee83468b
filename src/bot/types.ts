// The plain messages that flow between the channels and the command core.
import type { Db } from '../db/db.ts';
import type { Channel } from '../db/schema.ts';

/** One incoming chat message (or button press), already translated by a channel adapter. */
export interface IncomingMessage {
  channel: Channel;
  /** Chat id as a string (Telegram numbers, Zalo ids). */
  chatId: string;
  chatType: 'private' | 'group';
  /** The sender's account id in that channel. */
  userId: string;
  displayName?: string;
  /** The text typed; for a button press, empty. */
  text: string;
  /** Text of the bot message this one replies to, when it is a reply (Zalo/Telegram reply-to). */
  replyToText?: string;
  /** Payload of an inline button, when this is a button press. */
  callbackData?: string;
  /** Key used to handle a repeated update once (Telegram update_id, Zalo message_id). */
  updateKey?: string;
  /** The bot's username, to accept /cmd@botname. */
  botUsername?: string;
  /** A photo or file sent with the message (its caption is `text`); not yet downloaded. */
  attachment?: IncomingAttachment;
}

/** A photo or file as the platform announced it; the content is fetched only when a command takes it. */
export interface IncomingAttachment {
  kind: 'photo' | 'document';
  /** The sender's file name (Telegram documents; photos have none). */
  fileName?: string;
  /** The type the platform states (informative only: the content decides). */
  mime?: string;
  /** Bytes, when the platform says before the download: a file over the limit is refused unread. */
  size?: number;
  /** Downloads the content; throws DownloadTooLarge (src/files/errors.ts) as soon as it passes `maxBytes`. */
  fetch(maxBytes: number): Promise<Buffer>;
}

/** A file of the store (src/files/store.ts) to send: read from the store by the channel, never copied into the outbox. */
export interface StoredFileRef {
  sha256: string;
  ext: string;
  /** The name shown (the sender's original name, or one made up from the task code). */
  name: string;
  /** Telegram sends a photo as a picture, anything else as a document. */
  kind: 'photo' | 'document';
}

export interface Button {
  text: string;
  /** Callback payload, at most 64 bytes (Telegram's limit). */
  data: string;
}

/** A chat on a channel. */
export interface ChatRef {
  channel: Channel;
  chatId: string;
}

/** One message back to the chat the update came from. Channels without buttons (Zalo) ignore `buttons`: the text says what to type. */
export interface Reply {
  text: string;
  buttons?: Button[][];
  /** A file to attach (Telegram sends it as a document). */
  document?: { filename: string; content: Buffer };
  /** A PNG picture. */
  photo?: { filename: string; content: Buffer };
  /** A stored file (evidence). */
  file?: StoredFileRef;
  /** No link preview (a one-time link: a preview fetch must not look like a visit). */
  noPreview?: boolean;
}

/**
 * A message to another chat than the one the update came from (e.g. telling the chairs).
 * The core writes it to the outbox in the update's transaction; the outbox carries text,
 * buttons, a picture and stored files by reference, never a built document.
 */
export interface Notice {
  to: ChatRef;
  text: string;
  buttons?: Button[][];
  photo?: { filename: string; content: Buffer };
  /** A stored file (evidence): the outbox keeps only its reference. */
  file?: StoredFileRef;
  document?: never;
  documentLater?: never;
}

/**
 * A file built after the update's transaction has committed: building an .xlsx must not
 * hold the transaction open. `build` gets the database outside any transaction.
 */
export interface LaterDocument {
  filename: string;
  build: (db: Db) => Promise<Buffer>;
}

/**
 * What a command answers inside the transaction: a reply to the sender (the core turns
 * `documentLater` into `document` after the commit), or a notice to another chat (with `to`).
 */
export type CommandReply = (Reply & { documentLater?: LaterDocument; to?: never }) | Notice;

export interface HandleOptions {
  /**
   * Called once, right after the update's transaction has committed (also for a repeated update,
   * found already handled), before any document is built. Not called when nothing was committed:
   * the database was busy, an error, or another process is handling the same update.
   */
  committed?: () => void;
}

/** The channel-neutral core: one entry point whatever the transport. */
export interface BotCore {
  /** Handles one update; the replies to send back to the chat it came from. */
  handle(msg: IncomingMessage, now: number, opts?: HandleOptions): Promise<Reply[]>;
}
