// Two processes (or two updates at once) on one database: the same update is handled once, with
// no error shown, and two /giao at the same moment get two different codes. On a PostgreSQL
// server the transactions really overlap; on SQLite and PGlite they queue, and the result is the same.
import { describe, expect, it } from 'vitest';
import { createBotCore } from '../../../src/bot/core.ts';
import { UNEXPECTED } from '../../../src/bot/texts.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/log.ts';
import { harness, NOW, rowCount, task } from './helpers.ts';
import { sql } from 'drizzle-orm';

describe('concurrent updates', () => {
  it('the same update arriving twice at once is handled once, and the other gets no message', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const other = createBotCore({ db: h.db, config: loadConfig({}), log: createLogger('silent') });
    const msg = { channel: 'telegram' as const, chatId: `p-${u}`, chatType: 'private' as const, userId: u, text: '/xong NV-10', updateKey: 'race-1' };
    const [a, b] = await Promise.all([h.send(u, msg.text, { updateKey: msg.updateKey }), other.handle(msg, NOW)]);
    const answered = [a, b].filter((r) => r.length > 0);
    expect(answered).toHaveLength(1);
    expect(answered[0]![0]!.text).toMatch(/NV-10 hoàn thành đúng hạn/);
    expect((await task(h.db, 'NV-10')).completed_at).toBe(NOW);
    expect(await rowCount(h.db, 'task_events', sql`kind = 'completed'`)).toBe(1);
  });

  it('/giao from several chats at once: every task gets its own code', async () => {
    const h = await harness();
    const chair = await h.link('CT-TINH');
    const cores = [0, 1, 2, 3].map(() => createBotCore({ db: h.db, config: loadConfig({}), log: createLogger('silent') }));
    const replies = await Promise.all(
      cores.map((core, i) =>
        core.handle({ channel: 'telegram', chatId: `p-${chair}`, chatType: 'private', userId: chair, text: `/giao XA-AN 31/12/2026 Việc ${i}`, updateKey: `giao-${i}` }, NOW),
      ),
    );
    const texts = replies.map((r) => r[0]?.text ?? '');
    expect(texts.filter((t) => t === UNEXPECTED)).toEqual([]);
    const codes = texts.map((t) => /NV-2026-\d{4}/.exec(t)?.[0]);
    expect(new Set(codes).size).toBe(4);
    expect(codes.sort()).toEqual(['NV-2026-0001', 'NV-2026-0002', 'NV-2026-0003', 'NV-2026-0004']);
  });
});
