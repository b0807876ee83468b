import { describe, expect, it } from 'vitest';
import { createRule } from '../../src/app/recurring/create.ts';
import { generateDue } from '../../src/app/recurring/generate.ts';
import type { Db } from '../../src/db/open.ts';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { at, office, outboxRows } from './fixture.ts';

function setup() {
  const o = office();
  const pnv = o.unit('PNV', 'Phòng Nội vụ');
  o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng');
  o.group('zalo', 'g-pnv', pnv);
  // 25/03/2024: the March report (due 20/03) is past, so the rule starts with April and May.
  createRule(
    o.db,
    { code: 'BC-THANG', unitCode: 'PNV', title: 'Báo cáo tình hình CCHC', ruleText: 'hằng tháng ngày 20', assignedBy: 'UBND tỉnh' },
    at('2024-03-25 09:00'),
    o.config,
  );
  return o;
}

function ruleCodes(db: Db): string[] {
  return (db.$client.prepare("SELECT code FROM tasks WHERE code LIKE 'BC-THANG-%' ORDER BY code").all() as { code: string }[]).map((r) => r.code);
}

const setLastTick = (db: Db, ms: number) =>
  db.$client.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(LAST_TICK_KEY, String(ms));

describe('tick with recurring rules', () => {
  it('creates the next occurrence once the earliest one is past, and reports how many it created', () => {
    const o = setup();
    expect(ruleCodes(o.db)).toEqual(['BC-THANG-2024-04', 'BC-THANG-2024-05']);
    setLastTick(o.db, at('2024-04-20 00:04'));
    const r = tick(o.db, at('2024-04-20 00:05'), o.config);
    expect(r.generated).toBe(1);
    expect(ruleCodes(o.db)).toEqual(['BC-THANG-2024-04', 'BC-THANG-2024-05', 'BC-THANG-2024-06']);
    const june = o.db.$client.prepare("SELECT title, rule_id AS ruleId FROM tasks WHERE code = 'BC-THANG-2024-06'").get() as { title: string; ruleId: number };
    expect(june.title).toBe('Báo cáo tình hình CCHC (tháng 06/2024)');
    expect(june.ruleId).not.toBeNull();
  });

  it('creates nothing on a second tick at the same time, even with its window reset', () => {
    const o = setup();
    setLastTick(o.db, at('2024-04-20 00:04'));
    expect(tick(o.db, at('2024-04-20 00:05'), o.config).generated).toBe(1);
    expect(tick(o.db, at('2024-04-20 00:05'), o.config).generated).toBe(0);
    setLastTick(o.db, at('2024-04-20 00:04'));
    expect(tick(o.db, at('2024-04-20 00:05'), o.config).generated).toBe(0);
    expect(generateDue(o.db, at('2024-04-20 00:05'), o.config).created).toBe(0);
    expect(ruleCodes(o.db)).toHaveLength(3);
  });

  it('after a gap of several months creates each missed occurrence exactly once', () => {
    const o = setup();
    setLastTick(o.db, at('2024-08-02 07:59'));
    // Today 02/08: June and July are past and were never generated; August and September are the two ahead.
    expect(tick(o.db, at('2024-08-02 08:00'), o.config).generated).toBe(4);
    expect(ruleCodes(o.db)).toEqual([
      'BC-THANG-2024-04',
      'BC-THANG-2024-05',
      'BC-THANG-2024-06',
      'BC-THANG-2024-07',
      'BC-THANG-2024-08',
      'BC-THANG-2024-09',
    ]);
    expect(tick(o.db, at('2024-08-02 08:01'), o.config).generated).toBe(0);
  });

  it('sends the reminders of a generated occurrence when they fall due', () => {
    const o = setup();
    setLastTick(o.db, at('2024-04-20 00:04'));
    tick(o.db, at('2024-04-20 00:05'), o.config);
    expect(outboxRows(o.db).filter((m) => m.text.includes('BC-THANG-2024-06'))).toHaveLength(0);
    // 20/06/2024 is a Thursday: the seven-day reminder is on Thursday 13/06 at 08:00.
    setLastTick(o.db, at('2024-06-13 07:59'));
    const r = tick(o.db, at('2024-06-13 08:00'), o.config);
    expect(r.reminders).toBeGreaterThanOrEqual(1);
    const rows = outboxRows(o.db).filter((m) => m.text.includes('BC-THANG-2024-06'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'zalo', chatId: 'g-pnv', kind: 'reminder' });
    expect(rows[0].text).toContain('Hạn: 20/06/2024');
  });

  it('gives an occurrence created by this very tick the reminder due at this tick', () => {
    const o = setup();
    // No tick ran since March: at 08:00 on 13/06 the June occurrence does not exist yet.
    expect(ruleCodes(o.db)).not.toContain('BC-THANG-2024-06');
    setLastTick(o.db, at('2024-06-13 07:59'));
    const r = tick(o.db, at('2024-06-13 08:00'), o.config);
    expect(r.generated).toBe(2);
    const rows = outboxRows(o.db).filter((m) => m.text.includes('BC-THANG-2024-06'));
    expect(rows).toHaveLength(1);
    expect(rows[0].text).toContain('Hạn: 20/06/2024');
  });

  it('after downtime, an occurrence generated late still gets its latest reminder, once, as a catch-up', () => {
    const o = setup();
    // The bot was down from 25/03 to Monday 05/08 10:00: June and July are generated now, both
    // already overdue, and no reminder of theirs is planned at this very minute.
    setLastTick(o.db, at('2024-03-25 09:00'));
    tick(o.db, at('2024-08-05 10:00'), o.config);
    const july = outboxRows(o.db).filter((m) => m.text.includes('BC-THANG-2024-07'));
    expect(july).toHaveLength(1);
    expect(july[0].text).toMatch(/nhắc bù/i);
    // A second tick makes nothing new.
    const before = outboxRows(o.db).length;
    tick(o.db, at('2024-08-05 10:01'), o.config);
    expect(outboxRows(o.db)).toHaveLength(before);
  });
});
