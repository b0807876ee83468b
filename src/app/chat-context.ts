// What a chat use case gets: the database, the config and where the message came from.
import type { Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import type { Channel } from '../db/schema.ts';
import type { FileStore } from '../files/store.ts';
import type { StagedFile } from './evidence.ts';

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
  /** The evidence file store. */
  files?: FileStore;
  /** A photo or file sent with the command: fetched, checked and stored before the transaction, for this task. */
  staged?: { file: StagedFile; taskCode: string };
}

/**
 * A use case's writes, all or nothing. Already inside a transaction (the update's, where the
 * core runs a command that may write inside a savepoint) they run on it as they are: a throw
 * goes up to that savepoint, which undoes them, so a savepoint of their own would only add
 * round trips. Outside one, they get a transaction of their own. A caller inside a
 * transaction must therefore let the use case's errors go up, never catch one and go on.
 */
export function atomically<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.inTx ? fn(db) : db.tx(fn);
}
