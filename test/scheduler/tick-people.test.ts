// Reminders of a task with co-ordinating units (phối hợp) and a named officer (người thực hiện):
// the co-ordinating units get the before-deadline ones, marked; the officer gets them privately too.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { at, endOf, office, outboxRows, putMeta } from './fixture.ts';

async function setup() {
  const o = await office();
  const pnv = await o.unit('PNV', 'Phòng Nội vụ');
  const xa1 = await o.unit('XA-1', 'UBND xã An Bình');
  const xa2 = await o.unit('XA-2', 'UBND xã Sơn Thủy');
  await o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng');
  const doer = await o.officer('CB-2', 'Trần Thị Bình', pnv, 'officer', 'Chuyên viên');
  const xaHead = await o.officer('CB-3', 'Lê Văn Cường', xa1, 'head', 'Chủ tịch UBND xã');
  await o.officer('CT-TINH', 'Phạm Văn Dũng', pnv, 'chair', 'Chủ tịch UBND tỉnh');
  await o.group('zalo', 'g-pnv', pnv);
  await o.group('telegram', 'g-xa2', xa2);
  await o.group('telegram', 'g-lead', null, true);
  await o.account('telegram', 'u-2', doer, 'p-2');
  await o.account('telegram', 'u-3', xaHead, 'p-3');
  const task = await o.task('NV-12', pnv, endOf('2024-06-14'));
  const { taskCooperators, tasks } = o.db.t;
  await o.db.orm.insert(taskCooperators).values([
    { taskId: task, unitId: xa1 },
    { taskId: task, unitId: xa2 },
  ]);
  await o.db.orm.update(tasks).set({ assigneeId: doer }).where(sql`${tasks.id} = ${task}`);
  return { ...o, task };
}

describe('tick: co-ordinating units and the named officer', () => {
  it('before the deadline: the lead group, the officer privately, and each co-ordinating unit (group, else private chats), once each', async () => {
    const o = await setup();
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    const r = await tick(o.db, at('2024-06-11 08:00'), o.config);
    expect(r).toMatchObject({ reminders: 1, messages: 4, unroutable: [] });
    const rows = await outboxRows(o.db);
    const by = new Map(rows.map((x) => [x.chatId, x]));
    expect([...by.keys()].sort()).toEqual(['g-pnv', 'g-xa2', 'p-2', 'p-3']);
    expect(new Set(rows.map((x) => x.key)).size).toBe(4);
    for (const chat of ['g-pnv', 'p-2']) {
      expect(by.get(chat)!.text).toMatch(/^🔔 Nhắc việc: NV-12 còn 3 ngày đến hạn/);
      expect(by.get(chat)!.text).toContain('Người thực hiện: Trần Thị Bình (Chuyên viên)');
      expect(by.get(chat)!.text).not.toContain('phối hợp');
    }
    expect(JSON.parse(by.get('p-2')!.payload!).buttons).toEqual([[{ text: '✅ Đã hoàn thành', data: 'xong:NV-12' }]]);
    for (const chat of ['g-xa2', 'p-3']) {
      const row = by.get(chat)!;
      expect(row.text).toMatch(/^🔔 Nhắc việc \(phối hợp\): NV-12 còn 3 ngày đến hạn/);
      expect(row.text).toContain('Đơn vị chủ trì: Phòng Nội vụ');
      expect(row.text).toContain('Người thực hiện: Trần Thị Bình');
      expect(JSON.parse(row.payload!).buttons).toBeUndefined();
    }
    // The same tick again makes nothing new.
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    expect(await tick(o.db, at('2024-06-11 08:00'), o.config)).toMatchObject({ reminders: 0, messages: 0 });
  });

  it('after the deadline: no co-ordinating unit; the officer still privately; the escalation names nobody personally', async () => {
    const o = await setup();
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-12 09:00')));
    await tick(o.db, at('2024-06-22 10:00'), o.config);
    const rows = await outboxRows(o.db);
    expect(rows.map((x) => x.chatId).filter((c) => c === 'g-xa2' || c === 'p-3')).toEqual([]);
    expect(rows.some((x) => x.chatId === 'p-2' && x.text.includes('NV-12') && x.kind === 'reminder')).toBe(true);
    expect(rows.filter((x) => x.kind === 'escalation')).toHaveLength(1);
    for (const x of rows.filter((x) => x.kind === 'escalation')) {
      expect(x.chatId).toBe('g-lead');
      expect(x.text).not.toContain('Người thực hiện');
    }
  });

  it('a suspended task reminds nobody, the officer and co-ordinating units included', async () => {
    const o = await setup();
    const { tasks } = o.db.t;
    await o.db.orm.update(tasks).set({ suspendedAt: at('2024-06-01 08:00'), suspendReason: 'Chờ kinh phí' }).where(sql`${tasks.id} = ${o.task}`);
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    expect(await tick(o.db, at('2024-06-11 08:00'), o.config)).toMatchObject({ reminders: 0, messages: 0 });
  });

  it('an officer whose unit has no chat still gets the reminder privately (not unroutable)', async () => {
    const o = await setup();
    await o.db.run(sql`DELETE FROM group_bindings WHERE chat_id = 'g-pnv'`);
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    const r = await tick(o.db, at('2024-06-11 08:00'), o.config);
    expect(r.unroutable).toEqual([]);
    expect((await outboxRows(o.db)).map((x) => x.chatId).sort()).toEqual(['g-xa2', 'p-2', 'p-3']);
  });
});
