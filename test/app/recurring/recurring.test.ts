import { asc, eq, like } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createRule, attachRule } from '../../../src/app/recurring/create.ts';
import { generateDue } from '../../../src/app/recurring/generate.ts';
import { formatRuleHistory, ruleHistory } from '../../../src/app/recurring/history.ts';
import { formatRecurringReport, recurringReport } from '../../../src/app/recurring/report.ts';
import { stopRule } from '../../../src/app/recurring/stop.ts';
import type { Db } from '../../../src/db/open.ts';
import { InvalidInput } from '../../../src/domain/errors.ts';
import { separateTestDb, testDb } from '../../helpers/db.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const config = {
  zone: ZONE,
  calendar: { holidays: ['2024-09-02', '2024-09-03', '2025-01-01'], makeUpDays: [] as string[] },
};
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();

/** The test's database with two units; `separate`: a second one beside it. */
async function db(separate = false): Promise<Db> {
  const d = separate ? await separateTestDb() : await testDb();
  await d.orm.insert(d.t.units).values([
    { code: 'XA-AN', name: 'UBND xã An', path: '/1/' },
    { code: 'SO-NV', name: 'Sở Nội vụ', path: '/2/' },
  ]);
  return d;
}

async function codes(d: Db, prefix: string): Promise<string[]> {
  const { tasks } = d.t;
  // Codes are upper-case ASCII without % or _: a plain prefix pattern.
  return (await d.orm.select({ code: tasks.code }).from(tasks).where(like(tasks.code, `${prefix}%`)).orderBy(asc(tasks.code))).map((r) => r.code);
}

async function taskRow(d: Db, code: string) {
  const { tasks } = d.t;
  const [t] = await d.orm
    .select({ id: tasks.id, title: tasks.title, deadline: tasks.deadline, assigned_at: tasks.assignedAt, rule_id: tasks.ruleId })
    .from(tasks)
    .where(eq(tasks.code, code));
  return t!;
}

const complete = (d: Db, code: string, when: number) => d.orm.update(d.t.tasks).set({ completedAt: when }).where(eq(d.t.tasks.code, code));

describe('createRule', () => {
  it('stores the rule, creates the next two occurrences as tasks, and says a passed occurrence is skipped', async () => {
    const d = await db();
    const c = await createRule(
      d,
      { code: 'bc-thang', unitCode: 'xa-an', title: 'Báo cáo CCHC', ruleText: 'hằng tháng ngày 20', assignedBy: 'UBND tỉnh' },
      at('2024-03-25T09:00'),
      config,
    );
    expect(c.rule.code).toBe('BC-THANG');
    expect(c.skipped?.periodKey).toBe('2024-03');
    expect(c.text).toContain('Kỳ tháng 03/2024 (hạn 20/03/2024) đã qua nên bắt đầu từ kỳ tháng 04/2024.');
    expect(c.text).toContain('Hằng tháng, hạn ngày 20; nếu trùng ngày nghỉ thì lùi về ngày làm việc trước đó.');
    expect(await codes(d, 'BC-THANG')).toEqual(['BC-THANG-2024-04', 'BC-THANG-2024-05']);
    const t = await taskRow(d, 'BC-THANG-2024-04');
    expect(t.title).toBe('Báo cáo CCHC (tháng 04/2024)');
    expect(t.rule_id).toBe(c.rule.id);
    // 20/04/2024 is a Saturday: the deadline is the end of Friday 19/04, local time.
    expect(t.deadline).toBe(at('2024-04-19T23:59:59.999'));
    expect(t.assigned_at).toBe(at('2024-04-01T00:00'));
  });

  it('generates a default code, refuses a taken code, an unknown unit and an unparseable rule without writing', async () => {
    const d = await db();
    const now = at('2024-01-05T09:00');
    const a = await createRule(d, { unitCode: 'XA-AN', title: 'Báo cáo tuần', ruleText: 'thu sau hang tuan', assignedBy: '' }, now, config);
    expect(a.rule.code).toBe('DK-001');
    expect(a.skipped).toBeNull();
    const b = await createRule(d, { unitCode: 'XA-AN', title: 'Báo cáo quý', ruleText: 'hằng quý ngày 15', assignedBy: '' }, now, config);
    expect(b.rule.code).toBe('DK-002');
    const before = await codes(d, '');
    await expect(createRule(d, { code: 'DK-001', unitCode: 'XA-AN', title: 'x', ruleText: 'hằng tháng ngày 1', assignedBy: '' }, now, config)).rejects.toThrow(
      /đã được dùng/,
    );
    await expect(createRule(d, { unitCode: 'KHONG', title: 'x', ruleText: 'hằng tháng ngày 1', assignedBy: '' }, now, config)).rejects.toThrow(/Không có đơn vị/);
    await expect(createRule(d, { unitCode: 'XA-AN', title: 'x', ruleText: 'mỗi khi cần', assignedBy: '' }, now, config)).rejects.toThrow(InvalidInput);
    await expect(createRule(d, { unitCode: 'XA-AN', title: 'x', ruleText: 'hằng tháng ngày 20 đến 01/01/2024', assignedBy: '' }, now, config)).rejects.toThrow(/không còn kỳ nào/);
    expect(await codes(d, '')).toEqual(before);
  });
});

describe('generateDue', () => {
  it('is idempotent under repeated ticks and catches up exactly once after skipped ticks', async () => {
    const d = await db();
    await createRule(d, { code: 'BC-QUY', unitCode: 'SO-NV', title: 'Báo cáo quý', ruleText: 'hằng quý ngày 15 tháng cuối quý', assignedBy: '' }, at('2024-10-01T08:00'), config);
    expect(await codes(d, 'BC-QUY')).toEqual(['BC-QUY-2024-Q4', 'BC-QUY-2025-Q1']);
    const t1 = at('2024-10-01T08:01');
    expect((await generateDue(d, t1, config)).created).toBe(0);
    expect((await generateDue(d, t1, config)).created).toBe(0);
    // Down from October to August: Q1 and Q2 2025 passed, Q3 is next, Q4 after it.
    const late = at('2025-08-10T08:00');
    expect((await generateDue(d, late, config)).created).toBe(3);
    expect((await generateDue(d, late, config)).created).toBe(0);
    expect(await codes(d, 'BC-QUY')).toEqual(['BC-QUY-2024-Q4', 'BC-QUY-2025-Q1', 'BC-QUY-2025-Q2', 'BC-QUY-2025-Q3', 'BC-QUY-2025-Q4']);
  });

  it('daily ticks for a year and one tick after a year of downtime give the same occurrences', async () => {
    const forms = ['thứ sáu hằng tuần', 'hằng tháng ngày 31', 'hằng 6 tháng ngày 15 tháng cuối kỳ', '3 ngày làm việc sau khi kết thúc tháng'];
    const start = at('2023-12-01T08:00');
    const daily = await db();
    const once = await db(true);
    for (const d of [daily, once]) {
      for (const [i, f] of forms.entries()) await createRule(d, { code: `R${i}`, unitCode: 'XA-AN', title: f, ruleText: f, assignedBy: '' }, start, config);
    }
    for (let t = start; t <= at('2024-12-31T08:00'); t += 86_400_000) await generateDue(daily, t, config);
    await generateDue(once, at('2024-12-31T08:00'), config);
    const all = (d: Db) =>
      d.orm.select({ code: d.t.tasks.code, deadline: d.t.tasks.deadline, rule_id: d.t.tasks.ruleId }).from(d.t.tasks).orderBy(asc(d.t.tasks.code));
    expect(await all(daily)).toEqual(await all(once));
    expect(await codes(daily, 'R0-')).toHaveLength(59); // W48–W52 2023, 52 weeks of 2024, W01–W02 2025 (two ahead of 31/12/2024)
    expect((await codes(daily, 'R1-')).slice(0, 4)).toEqual(['R1-2023-12', 'R1-2024-01', 'R1-2024-02', 'R1-2024-03']);
  });

  it('crosses the year end with working-day deadlines and respects the count', async () => {
    const d = await db();
    await createRule(
      d,
      { code: 'BC-Q5', unitCode: 'SO-NV', title: 'Báo cáo sau quý', ruleText: '5 ngày làm việc sau khi kết thúc quý, 3 lần', assignedBy: '' },
      at('2024-12-20T08:00'),
      config,
    );
    // Q4 2024 ends 31/12; 1/1/2025 is a holiday: 2, 3, 6, 7, 8 January.
    expect((await taskRow(d, 'BC-Q5-2024-Q4')).deadline).toBe(at('2025-01-08T23:59:59.999'));
    await generateDue(d, at('2025-12-01T08:00'), config);
    expect(await codes(d, 'BC-Q5')).toEqual(['BC-Q5-2024-Q4', 'BC-Q5-2025-Q1', 'BC-Q5-2025-Q2']);
  });

  it('a stopped rule creates nothing more and keeps its past occurrences', async () => {
    const d = await db();
    await createRule(d, { code: 'BC-T', unitCode: 'XA-AN', title: 'Báo cáo tháng', ruleText: 'hằng tháng ngày 20', assignedBy: '' }, at('2024-01-02T08:00'), config);
    await generateDue(d, at('2024-03-01T08:00'), config);
    const r = await stopRule(d, 'bc-t', at('2024-03-01T09:00'));
    expect(r.kept).toBe(4);
    await expect(stopRule(d, 'BC-T', at('2024-03-01T09:00'))).rejects.toThrow(/đã dừng/);
    expect(await generateDue(d, at('2024-12-01T08:00'), config)).toEqual({ rules: 0, created: 0 });
    expect(await codes(d, 'BC-T')).toEqual(['BC-T-2024-01', 'BC-T-2024-02', 'BC-T-2024-03', 'BC-T-2024-04']);
  });
});

describe('history and the yearly table', () => {
  async function year2024(): Promise<Db> {
    const d = await db();
    await createRule(d, { code: 'BC-THANG', unitCode: 'XA-AN', title: 'Báo cáo tháng', ruleText: 'hằng tháng ngày 20', assignedBy: '' }, at('2024-01-02T08:00'), config);
    await createRule(d, { code: 'BC-NAM', unitCode: 'SO-NV', title: 'Tổng kết năm', ruleText: 'hằng năm ngày 15/12', assignedBy: '' }, at('2024-01-02T08:00'), config);
    await generateDue(d, at('2024-06-25T08:00'), config);
    await complete(d, 'BC-THANG-2024-01', at('2024-01-19T10:00')); // on time
    await complete(d, 'BC-THANG-2024-02', at('2024-02-22T10:00')); // late
    await complete(d, 'BC-THANG-2024-03', at('2024-03-20T23:00')); // on time, the last evening
    // April and May left undone: overdue on 25/06; June's deadline (20/06) also passed.
    return d;
  }

  it('ruleHistory lists occurrences with on time / late / overdue', async () => {
    const d = await year2024();
    const h = await ruleHistory(d, 'bc-thang', at('2024-06-25T08:00'));
    expect(h.items.map((i) => `${i.code}:${i.status}`)).toEqual([
      'BC-THANG-2024-01:doneOnTime',
      'BC-THANG-2024-02:doneLate',
      'BC-THANG-2024-03:doneOnTime',
      'BC-THANG-2024-04:overdue',
      'BC-THANG-2024-05:overdue',
      'BC-THANG-2024-06:overdue',
      'BC-THANG-2024-07:inProgress',
      'BC-THANG-2024-08:inProgress',
    ]);
    const text = formatRuleHistory(h, ZONE);
    expect(text).toContain('đúng hạn 2, chậm 1, quá hạn 3, đang thực hiện 2');
    expect(text).toContain('Dừng lặp: /dunglap BC-THANG');
  });

  it('recurringReport counts per rule and unit the occurrences due in the year', async () => {
    const d = await year2024();
    const rep = await recurringReport(d, 2024, at('2024-06-25T08:00'), ZONE);
    expect(rep.rows.map((r) => [r.unitCode, r.ruleCode, r.total, r.doneOnTime, r.doneLate, r.overdue, r.inProgress])).toEqual([
      ['XA-AN', 'BC-THANG', 8, 2, 1, 3, 2],
      ['SO-NV', 'BC-NAM', 1, 0, 0, 0, 1],
    ]);
    expect(rep.totals).toMatchObject({ total: 9, doneOnTime: 2, doneLate: 1, overdue: 3, inProgress: 3 });
    const text = formatRecurringReport(rep, ZONE);
    expect(text).toContain('THỰC HIỆN CHẾ ĐỘ BÁO CÁO ĐỊNH KỲ NĂM 2024 (tính đến 25/06/2024)');
    expect(text).toContain('1. UBND xã An — BC-THANG Báo cáo tháng: 8 kỳ; đúng hạn 2, chậm 1, quá hạn 3, đang thực hiện 2 (đúng hạn 33,3%).');
    expect((await recurringReport(d, 2023, at('2024-06-25T08:00'), ZONE)).rows).toEqual([]);
  });
});

describe('attachRule', () => {
  it('turns an imported one-off task into the first occurrence of a rule', async () => {
    const d = await db();
    const now = at('2024-01-02T08:00');
    const deadline = at('2024-03-15T23:59:59.999');
    await d.orm
      .insert(d.t.tasks)
      .values({ code: 'NV-7', title: 'Báo cáo quý', unitId: 1, assignedAt: now, deadline, effectiveDeadline: deadline, createdAt: now, updatedAt: now });
    const r = await attachRule(d, 'nv-7', 'hằng quý ngày 15 tháng cuối quý', now, config);
    expect(r.rule.code).toBe('NV-7-LL');
    expect((await taskRow(d, 'NV-7')).rule_id).toBe(r.rule.id);
    expect(await codes(d, 'NV-7-LL')).toEqual(['NV-7-LL-2024-Q2', 'NV-7-LL-2024-Q3']);
  });
});

describe('createRule on the day after a deadline', () => {
  it('weekly: created on Saturday, Friday is said to be past; created on Friday, today counts', async () => {
    const d = await db();
    const sat = await createRule(d, { unitCode: 'XA-AN', title: 'Tuần', ruleText: 'thứ sáu hằng tuần', assignedBy: '' }, at('2024-01-06T09:00'), config);
    expect(sat.skipped?.periodKey).toBe('2024-W01');
    expect(sat.upcoming[0].periodKey).toBe('2024-W02');
    const fri = await createRule(d, { unitCode: 'XA-AN', title: 'Tuần', ruleText: 'thứ sáu hằng tuần', assignedBy: '' }, at('2024-01-05T09:00'), config);
    expect(fri.upcoming[0]).toMatchObject({ periodKey: '2024-W01', deadline: '2024-01-05' });
  });

  it('after a period: created after the deadline that belongs to the quarter just ended', async () => {
    const d = await db();
    const c = await createRule(d, { unitCode: 'XA-AN', title: 'Q', ruleText: '5 ngày làm việc sau khi kết thúc quý', assignedBy: '' }, at('2024-04-10T09:00'), config);
    expect(c.skipped?.periodKey).toBe('2024-Q1');
    expect(c.text).toContain('Kỳ quý I/2024 (hạn 05/04/2024) đã qua nên bắt đầu từ kỳ quý II/2024.');
  });
});
