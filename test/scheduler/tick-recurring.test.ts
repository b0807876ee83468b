import { asc, eq, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createRule } from '../../src/app/recurring/create.ts';
import { generateDue } from '../../src/app/recurring/generate.ts';
import type { Db } from '../../src/db/open.ts';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { at, office, outboxRows, putMeta } from './fixture.ts';

async function setup() {
  const o = await office();
  const pnv = await o.unit('PNV', 'Phòng Nội vụ');
  await o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng');
  await o.group('zalo', 'g-pnv', pnv);
  // 25/03/2024: the March report (due 20/03) is past, so the rule starts with April and May.
  await createRule(
    o.db,
    { code: 'BC-THANG', unitCode: 'PNV', title: 'Báo cáo tình hình CCHC', ruleText: 'hằng tháng ngày 20', assignedBy: 'UBND tỉnh' },
    at('2024-03-25 09:00'),
    o.config,
  );
  return o;
}

async function ruleCodes(db: Db): Promise<string[]> {
  const { tasks } = db.t;
  return (await db.orm.select({ code: tasks.code }).from(tasks).where(like(tasks.code, 'BC-THANG-%')).orderBy(asc(tasks.code))).map((r) => r.code);
}

const setLastTick = (db: Db, ms: number) => putMeta(db, LAST_TICK_KEY, String(ms));

describe('tick with recurring rules', () => {
  it('creates the next occurrence once the earliest one is past, and reports how many it created', async () => {
    const o = await setup();
    expect(await ruleCodes(o.db)).toEqual(['BC-THANG-2024-04', 'BC-THANG-2024-05']);
    await setLastTick(o.db, at('2024-04-20 00:04'));
    const r = await tick(o.db, at('2024-04-20 00:05'), o.config);
    expect(r.generated).toBe(1);
    expect(await ruleCodes(o.db)).toEqual(['BC-THANG-2024-04', 'BC-THANG-2024-05', 'BC-THANG-2024-06']);
    const { tasks } = o.db.t;
    const [june] = await o.db.orm.select({ title: tasks.title, ruleId: tasks.ruleId }).from(tasks).where(eq(tasks.code, 'BC-THANG-2024-06'));
    expect(june.title).toBe('Báo cáo tình hình CCHC (tháng 06/2024)');
    expect(june.ruleId).not.toBeNull();
  });

  it('creates nothing on a second tick at the same time, even with its window reset', async () => {
    const o = await setup();
    await setLastTick(o.db, at('2024-04-20 00:04'));
    expect((await tick(o.db, at('2024-04-20 00:05'), o.config)).generated).toBe(1);
    expect((await tick(o.db, at('2024-04-20 00:05'), o.config)).generated).toBe(0);
    await setLastTick(o.db, at('2024-04-20 00:04'));
    expect((await tick(o.db, at('2024-04-20 00:05'), o.config)).generated).toBe(0);
    expect((await generateDue(o.db, at('2024-04-20 00:05'), o.config)).created).toBe(0);
    expect(await ruleCodes(o.db)).toHaveLength(3);
  });

  it('after a gap of several months creates each missed occurrence exactly once', async () => {
    const o = await setup();
    await setLastTick(o.db, at('2024-08-02 07:59'));
    // Today 02/08: June and July are past and were never generated; August and September are the two ahead.
    expect((await tick(o.db, at('2024-08-02 08:00'), o.config)).generated).toBe(4);
    expect(await ruleCodes(o.db)).toEqual([
      'BC-THANG-2024-04',
      'BC-THANG-2024-05',
      'BC-THANG-2024-06',
      'BC-THANG-2024-07',
      'BC-THANG-2024-08',
      'BC-THANG-2024-09',
    ]);
    expect((await tick(o.db, at('2024-08-02 08:01'), o.config)).generated).toBe(0);
  });

  it('sends the reminders of a generated occurrence when they fall due', async () => {
    const o = await setup();
    await setLastTick(o.db, at('2024-04-20 00:04'));
    await tick(o.db, at('2024-04-20 00:05'), o.config);
    expect((await outboxRows(o.db)).filter((m) => m.text.includes('BC-THANG-2024-06'))).toHaveLength(0);
    // 20/06/2024 is a Thursday: the seven-day reminder is on Thursday 13/06 at 08:00.
    await setLastTick(o.db, at('2024-06-13 07:59'));
    const r = await tick(o.db, at('2024-06-13 08:00'), o.config);
    expect(r.reminders).toBeGreaterThanOrEqual(1);
    const rows = (await outboxRows(o.db)).filter((m) => m.text.includes('BC-THANG-2024-06'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'zalo', chatId: 'g-pnv', kind: 'reminder' });
    expect(rows[0].text).toContain('Hạn: 20/06/2024');
  });

  it('gives an occurrence created by this very tick the reminder due at this tick', async () => {
    const o = await setup();
    // No tick ran since March: at 08:00 on 13/06 the June occurrence does not exist yet.
    expect(await ruleCodes(o.db)).not.toContain('BC-THANG-2024-06');
    await setLastTick(o.db, at('2024-06-13 07:59'));
    const r = await tick(o.db, at('2024-06-13 08:00'), o.config);
    expect(r.generated).toBe(2);
    const rows = (await outboxRows(o.db)).filter((m) => m.text.includes('BC-THANG-2024-06'));
    expect(rows).toHaveLength(1);
    expect(rows[0].text).toContain('Hạn: 20/06/2024');
  });

  it('after downtime, an occurrence generated late still gets its latest reminder, once, as a catch-up', async () => {
    const o = await setup();
    // The bot was down from 25/03 to Monday 05/08 10:00: June and July are generated now, both
    // already overdue, and no reminder of theirs is planned at this very minute.
    await setLastTick(o.db, at('2024-03-25 09:00'));
    await tick(o.db, at('2024-08-05 10:00'), o.config);
    const july = (await outboxRows(o.db)).filter((m) => m.text.includes('BC-THANG-2024-07'));
    expect(july).toHaveLength(1);
    expect(july[0].text).toMatch(/nhắc bù/i);
    // A second tick makes nothing new.
    const before = (await outboxRows(o.db)).length;
    await tick(o.db, at('2024-08-05 10:01'), o.config);
    expect((await outboxRows(o.db))).toHaveLength(before);
  });
});
