import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { at, endOf, office, outboxRows, putMeta } from './fixture.ts';

async function setup() {
  const o = await office();
  const pnv = await o.unit('PNV', 'Phòng Nội vụ');
  const xa = await o.unit('XA-1', 'UBND xã An Bình');
  const head = await o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng');
  await o.officer('CB-2', 'Trần Thị Bình', pnv, 'officer');
  const xaHead = await o.officer('CB-3', 'Lê Văn Cường', xa, 'head', 'Chủ tịch UBND xã');
  const chair = await o.officer('CT-TINH', 'Phạm Văn Dũng', pnv, 'chair', 'Chủ tịch UBND tỉnh');
  await o.group('zalo', 'g-pnv', pnv);
  await o.group('telegram', 'g-lead', null, true);
  await o.account('telegram', 'u-3', xaHead, 'p-3');
  await o.account('telegram', 'u-ct', chair, 'p-ct');
  return { ...o, pnv, xa, head, xaHead };
}

describe('tick', () => {
  it('writes a reminder due at 08:00 to the unit group, naming who is responsible and how to report on Zalo', async () => {
    const o = await setup();
    await o.task('NV-12', o.pnv, endOf('2024-06-14'));
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    const r = await tick(o.db, at('2024-06-11 08:00'), o.config);
    expect(r).toMatchObject({ reminders: 1, messages: 1, unroutable: [] });
    const [row] = await outboxRows(o.db);
    expect(row).toMatchObject({ channel: 'zalo', chatId: 'g-pnv', kind: 'reminder', status: 'pending' });
    expect(row.text).toContain('NV-12 còn 3 ngày đến hạn');
    expect(row.text).toContain('Nguyễn Văn An (Trưởng phòng)');
    expect(row.text).toContain('Trần Thị Bình');
    expect(row.text).toContain('Hạn: 14/06/2024');
    expect(row.text).toContain('trả lời tin này: xong');
    expect(row.text).not.toContain('nhắc bù');
  });

  it('makes nothing new when the same tick runs twice, even with its window reset', async () => {
    const o = await setup();
    await o.task('NV-12', o.pnv, endOf('2024-06-14'));
    await o.task('NV-13', o.pnv, endOf('2024-06-12'));
    const since = String(at('2024-06-11 07:59'));
    await putMeta(o.db, LAST_TICK_KEY, since);
    expect((await tick(o.db, at('2024-06-11 08:00'), o.config)).messages).toBe(1);
    expect(await tick(o.db, at('2024-06-11 08:00'), o.config)).toMatchObject({ reminders: 0, messages: 0 });
    await putMeta(o.db, LAST_TICK_KEY, since);
    expect(await tick(o.db, at('2024-06-11 08:00'), o.config)).toMatchObject({ reminders: 0, messages: 0 });
    const rows = await outboxRows(o.db);
    expect(rows).toHaveLength(1);
    // Two reminders for one chat at one tick: one message, each task listed.
    expect(rows[0].text).toContain('2 nhiệm vụ');
    expect(rows[0].text).toMatch(/NV-13[\s\S]*NV-12/);
  });

  it('after a ten-day gap sends one catch-up per task, marked "nhắc bù", and escalates once', async () => {
    const o = await setup();
    await o.task('NV-12', o.pnv, endOf('2024-06-14'));
    await o.task('NV-20', o.xa, endOf('2024-06-20'));
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-12 09:00')));
    const r = await tick(o.db, at('2024-06-22 10:00'), o.config);
    const rows = await outboxRows(o.db);
    // NV-12: latest overdue notice (group) + escalation (leadership); NV-20: latest overdue notice, privately to the xã head.
    expect(r.reminders).toBe(3);
    const group = rows.filter((x) => x.chatId === 'g-pnv');
    expect(group).toHaveLength(1);
    expect(group[0].text).toContain('(nhắc bù)');
    expect(group[0].text).toContain('NV-12 đã quá hạn 5 ngày làm việc');
    const lead = rows.filter((x) => x.chatId === 'g-lead');
    expect(lead).toHaveLength(1);
    expect(lead[0].kind).toBe('escalation');
    expect(lead[0].text).toContain('Báo cáo lãnh đạo (nhắc bù): NV-12');
    const priv = rows.filter((x) => x.chatId === 'p-3');
    expect(priv).toHaveLength(1);
    expect(priv[0].channel).toBe('telegram');
    expect(priv[0].text).toContain('NV-20');
    expect(JSON.parse(priv[0].payload ?? '{}').buttons).toEqual([[{ text: '✅ Đã hoàn thành', data: 'xong:NV-20' }]]);
    // The next minute: nothing more.
    expect((await tick(o.db, at('2024-06-22 10:01'), o.config)).reminders).toBe(0);
  });

  it('moves a reminder off a holiday: deadline 2/5/2025, the 1-day reminder goes out on 29/4', async () => {
    const o = await setup();
    await o.task('NV-30', o.pnv, endOf('2025-05-05'));
    await putMeta(o.db, LAST_TICK_KEY, String(at('2025-04-29 07:59')));
    // 5/5/2025 is Monday; 3 days before = 2/5 (swapped day off) → 29/4; 1 day before = Sunday 4/5 → 29/4 too: only the 1-day one.
    const r = await tick(o.db, at('2025-04-29 08:00'), o.config);
    expect(r.reminders).toBe(1);
    expect((await outboxRows(o.db))[0].text).toContain('NV-30 còn 6 ngày đến hạn');
    expect((await tick(o.db, at('2025-05-02 08:00'), o.config)).reminders).toBe(0);
  });

  it('sends nothing for a completed task', async () => {
    const o = await setup();
    const id = await o.task('NV-40', o.pnv, endOf('2024-06-14'));
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-10 21:00')));
    await o.db.orm.update(o.db.t.tasks).set({ completedAt: at('2024-06-10 20:00') }).where(eq(o.db.t.tasks.id, id));
    expect((await tick(o.db, at('2024-06-11 09:00'), o.config)).reminders).toBe(0);
  });

  it('reports a reminder with nowhere to go instead of dropping it silently', async () => {
    const o = await setup();
    const lonely = await o.unit('XA-9', 'UBND xã Xa');
    await o.task('NV-50', lonely, endOf('2024-06-14'));
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    expect((await tick(o.db, at('2024-06-11 08:00'), o.config)).unroutable).toEqual([{ taskCode: 'NV-50', unitCode: 'XA-9' }]);
  });

  it('holds a reminder planned in quiet hours until they end (a unit whose reminders are set for 22:00)', async () => {
    const o = await setup();
    await o.task('NV-60', o.pnv, endOf('2024-06-14'));
    const config = { ...o.config, reminders: { ...o.config.reminders, unitOverrides: { PNV: { at: '22:00' } } } };
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-13 21:58')));
    expect((await tick(o.db, at('2024-06-13 22:00'), config)).reminders).toBe(0);
    expect((await tick(o.db, at('2024-06-14 06:59'), config)).reminders).toBe(0);
    const r = await tick(o.db, at('2024-06-14 07:00'), config);
    expect(r.reminders).toBe(1);
    expect((await outboxRows(o.db))[0].text).toContain('NV-60 hạn là hôm nay');
  });
});
