// A demo province in memory, a bot core over it, and a way to talk to it as someone.
import { createBotCore } from '../../../src/bot/core.ts';
import type { IncomingMessage, Reply } from '../../../src/bot/types.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { createLogger } from '../../../src/log.ts';
import { testDb } from '../../helpers/db.ts';

/** 23/11/2026 08:00 in Hà Nội, a Monday. */
export const NOW = Date.UTC(2026, 10, 23, 1, 0, 0);
export const ZONE = 'Asia/Ho_Chi_Minh';

export interface Harness {
  db: Db;
  send(userId: string, text: string, extra?: Partial<IncomingMessage>, now?: number): Promise<Reply[]>;
  /** The first reply's text. */
  say(userId: string, text: string, extra?: Partial<IncomingMessage>, now?: number): Promise<string>;
  /** Links a telegram account `userId` to an officer, with a private chat `p-<userId>`. */
  link(officerCode: string, userId?: string): string;
  logLines: string[];
}

export function harness(): Harness {
  const db = testDb();
  seedDemo(db, NOW, ZONE);
  const config = loadConfig({});
  const logLines: string[] = [];
  const log = createLogger('info', { write: (s: string) => logLines.push(s) });
  const core = createBotCore({ db, config, log });
  const send = (userId: string, text: string, extra: Partial<IncomingMessage> = {}, now = NOW) =>
    core.handle({ channel: 'telegram', chatId: `p-${userId}`, chatType: 'private', userId, text, ...extra }, now);
  return {
    db,
    send,
    logLines,
    async say(userId, text, extra, now) {
      const r = await send(userId, text, extra, now);
      return r[0]?.text ?? '';
    },
    link(officerCode, userId = officerCode.toLowerCase()) {
      const o = officerByCode(db, officerCode)!;
      upsertAccount(db, { channel: 'telegram', externalId: userId, officerId: o.id, privateChatId: `p-${userId}`, now: NOW });
      return userId;
    },
  };
}

export function task(db: Db, code: string) {
  return db.$client.prepare('SELECT * FROM tasks WHERE code = ?').get(code) as {
    id: number;
    completed_at: number | null;
    completed_by: number | null;
    late_reason: string | null;
    deadline: number;
    effective_deadline: number;
  };
}
