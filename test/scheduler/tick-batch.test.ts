// The tick's set-based writes: many rows per statement (more than one batch), only the
// new keys reported, rows in the order given, any text kept byte for byte; and a tick
// over more reminders and units than one batch holds.
import { asc, count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { enqueueMany, logRemindersMany, type NewOutboxRow } from '../../src/db/outbox.repo.ts';
import { LAST_TICK_KEY, tick } from '../../src/scheduler/tick.ts';
import { testDb } from '../helpers/db.ts';
import { at, endOf, office, outboxRows, putMeta } from './fixture.ts';

const T = at('2024-06-11 08:00');
const message = (key: string, text = `Nhắc việc ${key}`, payload: string | null = null): NewOutboxRow => ({
  key,
  channel: 'telegram',
  chatId: `-100${key}`,
  kind: 'reminder',
  text,
  payload,
  createdAt: T,
  notBefore: T,
});

describe('batched outbox and reminder log writes', () => {
  it('enqueueMany inserts in order across batches and reports only the keys that were new', async () => {
    const db = await testDb();
    const odd = ['a "quoted" {brace}, comma \\ backslash\nnew line', 'NULL', '', "Nhắc việc ✅ — o'neil"];
    const first = Array.from({ length: 1234 }, (_, i) => message(`k${i}`, i < odd.length ? odd[i] : undefined, i % 2 ? null : `{"taskIds":[${i}]}`));
    expect((await enqueueMany(db, first)).size).toBe(1234);
    const again = await enqueueMany(db, [...first.slice(1000), message('n1'), message('n2')]);
    expect([...again].sort()).toEqual(['n1', 'n2']);

    const rows = await outboxRows(db);
    expect(rows.map((r) => r.key)).toEqual([...first.map((m) => m.key), 'n1', 'n2']);
    expect(rows.slice(0, odd.length).map((r) => r.text)).toEqual(odd);
    expect(rows[0]).toMatchObject({ payload: '{"taskIds":[0]}', status: 'pending', attempts: 0 });
    expect(rows[1].payload).toBeNull();
    expect(await enqueueMany(db, [])).toEqual(new Set());
  });

  it('logRemindersMany records each key once, across batches and reruns', async () => {
    const db = await testDb();
    const log = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => ({ key: `r:${from + i}:before:${T}`, taskId: from + i, kind: 'before', dueAt: T, createdAt: T }));
    expect((await logRemindersMany(db, log(0, 2345))).size).toBe(2345);
    expect((await logRemindersMany(db, log(0, 2345))).size).toBe(0);
    const more = await logRemindersMany(db, log(2300, 2400));
    expect(more.size).toBe(55);
    expect(more.has(`r:2345:before:${T}`)).toBe(true);
    const [{ n }] = await db.orm.select({ n: count() }).from(db.t.reminderLog);
    expect(n).toBe(2400);
  });
});

describe('tick over many units', () => {
  it('sends one message per chat for 1,600 reminders in 40 units, and nothing on a rerun', async () => {
    const o = await office();
    const units: number[] = [];
    for (let u = 0; u < 40; u++) {
      const id = await o.unit(`DV-${u}`, `Đơn vị ${u}`);
      units.push(id);
      // Even units have a group; odd ones a linked officer (private chat), except the last, which has nobody.
      if (u % 2 === 0) await o.group('zalo', `g-${u}`, id);
      else if (u < 39) await o.account('telegram', `u-${u}`, await o.officer(`CB-${u}`, `Cán bộ ${u}`, id, 'head'), `p-${u}`);
    }
    for (let i = 0; i < 1600; i++) await o.task(`NV-${i}`, units[i % 40], endOf('2024-06-14'));
    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));

    const r = await tick(o.db, T, o.config);
    expect(r.reminders).toBe(1600);
    expect(r.messages).toBe(39);
    expect(r.unroutable).toHaveLength(40);
    expect(new Set(r.unroutable.map((x) => x.unitCode))).toEqual(new Set(['DV-39']));
    const rows = await o.db.orm.select({ chatId: o.db.t.outbox.chatId, text: o.db.t.outbox.text }).from(o.db.t.outbox).orderBy(asc(o.db.t.outbox.id));
    expect(new Set(rows.map((x) => x.chatId)).size).toBe(39);
    // Unit 1's officer gets unit 1's 40 tasks (i % 40 === 1), named as responsible.
    const p1 = rows.find((x) => x.chatId === 'p-1');
    expect(p1?.text).toContain('40 nhiệm vụ');
    expect(p1?.text).toContain('Cán bộ 1');

    await putMeta(o.db, LAST_TICK_KEY, String(at('2024-06-11 07:59')));
    expect(await tick(o.db, T, o.config)).toMatchObject({ reminders: 0, messages: 0 });
    expect(await outboxRows(o.db)).toHaveLength(39);
  });
});
