// A command that finds the database locked past the busy timeout (a large import running
// in another process) gets one sentence asking to send it again, and nothing is written.
// SQLite only: it is about the file lock another process holds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../../src/bot/core.ts';
import { BUSY } from '../../../src/bot/texts.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import { openDb } from '../../../src/db/open.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { createLogger } from '../../../src/log.ts';
import { NOW, task, ZONE } from './helpers.ts';

describe('a locked database', () => {
  it('refuses politely, writes nothing, and the same command works once the lock is gone', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nv-busy-')), 'nv.db');
    const db = await openDb(file);
    if (db.native.engine !== 'sqlite') throw new Error('a SQLite file was expected');
    await seedDemo(db, NOW, ZONE);
    const officerId = (await officerByCode(db, 'CB-XA-AN'))!.id;
    await db.tx((tx) => upsertAccount(tx, { channel: 'telegram', externalId: 'u1', officerId, privateChatId: 'p-u1', now: NOW }));
    db.native.sqlite.pragma('busy_timeout = 50');
    const logLines: string[] = [];
    const core = createBotCore({ db, config: loadConfig({}), log: createLogger('info', { write: (s: string) => logLines.push(s) }) });
    const msg = { channel: 'telegram' as const, chatId: 'p-u1', chatType: 'private' as const, userId: 'u1', text: '/xong NV-10', updateKey: 'u:1' };

    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    let commits = 0;
    const committed = () => commits++;
    const refused = await core.handle(msg, NOW, { committed });
    expect(refused).toEqual([{ text: BUSY }]);
    expect(commits).toBe(0);
    other.exec('ROLLBACK');
    other.close();
    expect((await task(db, 'NV-10')).completed_at).toBeNull();
    expect(logLines.join('\n')).toContain('database busy');

    // Not marked as handled: the same update goes through when sent again.
    const done = await core.handle(msg, NOW, { committed });
    expect(done[0].text).toMatch(/^✅ Đã ghi nhận: NV-10/);
    expect(commits).toBe(1);
    expect((await task(db, 'NV-10')).completed_at).toBe(NOW);
    await db.close();
  });
});
