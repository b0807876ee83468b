// A command that finds the database locked past the busy timeout (a large import running
// in another process) gets one sentence asking to send it again, and nothing is written.
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
import { NOW, ZONE } from './helpers.ts';

describe('a locked database', () => {
  it('refuses politely, writes nothing, and the same command works once the lock is gone', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nv-busy-')), 'nv.db');
    const db = openDb(file);
    seedDemo(db, NOW, ZONE);
    upsertAccount(db, { channel: 'telegram', externalId: 'u1', officerId: officerByCode(db, 'CB-XA-AN')!.id, privateChatId: 'p-u1', now: NOW });
    db.$client.pragma('busy_timeout = 50');
    const logLines: string[] = [];
    const core = createBotCore({ db, config: loadConfig({}), log: createLogger('info', { write: (s: string) => logLines.push(s) }) });
    const msg = { channel: 'telegram' as const, chatId: 'p-u1', chatType: 'private' as const, userId: 'u1', text: '/xong NV-10', updateKey: 'u:1' };
    const completed = () => db.$client.prepare("SELECT completed_at AS c FROM tasks WHERE code = 'NV-10'").get() as { c: number | null };

    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const refused = await core.handle(msg, NOW);
    expect(refused).toEqual([{ text: BUSY }]);
    other.exec('ROLLBACK');
    other.close();
    expect(completed().c).toBeNull();
    expect(logLines.join('\n')).toContain('database busy');

    // Not marked as handled: the same update goes through when sent again.
    const done = await core.handle(msg, NOW);
    expect(done[0].text).toMatch(/^✅ Đã ghi nhận: NV-10/);
    expect(completed().c).toBe(NOW);
    db.$client.close();
  });
});
