// What a chat use case gets: the database, the config and where the message came from.
import type { Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import type { Channel } from '../db/schema.ts';

export interface ChatCtx {
  db: Db;
  config: Config;
  /** The instant the message is handled (ms UTC). */
  now: number;
  channel: Channel;
  chatId: string;
  chatType: 'private' | 'group';
  /** The sender's account id in the channel. */
  userId: string;
  displayName?: string;
}
