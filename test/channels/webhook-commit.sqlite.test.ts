// The webhook answers 200 only for what is committed, with the real core on an SQLite
// file: when the 200 arrives, the update's effect and its "handled" mark are already in
// the file (read through a connection of their own); while another process holds the
// write lock nothing can commit, so the answer is 503 with no reply, and the
// platform's next delivery is handled once.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEADER, SECRET, startWebhookTarget, telegramText, TG_USER, ZALO_USER, zaloWebhookText, type Route, type WebhookTarget } from './helpers/webhook-target.ts';

let t: WebhookTarget;
let other: Database.Database;
beforeAll(async () => {
  t = await startWebhookTarget({ logLevel: 'info' });
  // Another process's connection to the same file.
  other = new Database(t.dbFile);
}, 30_000);
afterAll(async () => {
  other?.close();
  await t?.stop();
});

const processed = (route: Route, key: string) =>
  (other.prepare('SELECT count(*) AS n FROM processed_updates WHERE channel = ? AND update_key = ?').get(route, key) as { n: number }).n;
const completed = (code: string) => (other.prepare('SELECT completed_at AS at FROM tasks WHERE code = ?').get(code) as { at: number | null }).at;
const replies = () => t.telegramReplies(TG_USER).length + t.zalo.sent.filter((s) => s.chat_id === ZALO_USER).length;

const CASES: { route: Route; key: string; task: string; body: string }[] = [
  { route: 'telegram', key: '8101', task: 'NV-10', body: telegramText(8101, '/xong NV-10 Đã nộp báo cáo') },
  { route: 'zalo', key: 'zc-8102', task: 'NV-13', body: zaloWebhookText('zc-8102', '/xong NV-13') },
];

describe.each(CASES)('$route webhook', ({ route, key, task, body }) => {
  it('busy (another process holds the write lock): 503, nothing written, no reply; delivered again once free: 200, and by then committed', async () => {
    const before = replies();
    // Waiting 5 s for the lock would block the test as long; a short wait gives the same answer.
    t.sqlite().pragma('busy_timeout = 100');
    other.exec('BEGIN IMMEDIATE');
    let res: Response;
    try {
      res = await t.post(route, { [HEADER[route]]: SECRET[route] }, body);
    } finally {
      other.exec('ROLLBACK');
    }
    expect(res.status).toBe(503);
    await t.idle();
    expect(processed(route, key)).toBe(0);
    expect(completed(task)).toBeNull();
    expect(replies()).toBe(before);
    expect(t.logs()).toContain('answered 503');

    const again = await t.post(route, { [HEADER[route]]: SECRET[route] }, body);
    expect(again.status).toBe(200);
    // At the moment of the 200 the transaction had committed: another connection sees it.
    expect(processed(route, key)).toBe(1);
    expect(completed(task)).not.toBeNull();
    await t.idle();
    expect(replies()).toBe(before + 1);

    // And a third delivery is a replay: 200, nothing more.
    expect((await t.post(route, { [HEADER[route]]: SECRET[route] }, body)).status).toBe(200);
    await t.idle();
    expect(replies()).toBe(before + 1);
  });
});
