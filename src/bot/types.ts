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
}

export interface Button {
  text: string;
  /** Callback payload, at most 64 bytes (Telegram's limit). */
  data: string;
}

/** One outgoing message. Channels without buttons (Zalo) ignore `buttons`: the text says what to type. */
export interface Reply {
  text: string;
  buttons?: Button[][];
  /** A file to attach (Telegram sends it as a document). */
  document?: { filename: string; content: Buffer };
  /** A PNG picture. */
  photo?: { filename: string; content: Buffer };
  /** Send to another chat than the one the message came from (e.g. tell the chairs). */
  to?: { channel: Channel; chatId: string };
}

/**
 * A file built after the update's transaction has committed: building an .xlsx must not
 * hold the transaction open. `build` gets the database outside any transaction.
 */
export interface LaterDocument {
  filename: string;
  build: (db: Db) => Promise<Buffer>;
}

/** What a command answers inside the transaction; the core turns `documentLater` into `document` after the commit. */
export interface CommandReply extends Reply {
  documentLater?: LaterDocument;
}

/** The channel-neutral core: one entry point whatever the transport. */
export interface BotCore {
  handle(msg: IncomingMessage, now: number): Promise<Reply[]>;
}
