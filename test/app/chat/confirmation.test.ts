// Confirmation of completion on the engine under test: /xong on a task that needs it records the
// report and tells the chairs; /xacnhan completes it at the report's instant; /tralai sends it back
// (reminders resume); refusals; the tick's nudges to the chairs; /tinhhinh and the weekly summary.
import { asc, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { openTasksByDeadline } from '../../../src/db/reminder-candidates.repo.ts';
import { leadershipSummary } from '../../../src/scheduler/summary.ts';
import { tick } from '../../../src/scheduler/tick.ts';
import { taskState } from '../../../src/domain/status.ts';
import { bindGroup, harness, NOW, queuedNotices, type Harness } from './helpers.ts';

const DAY = 86_400_000;
const config = loadConfig({});

interface Row {
  id: number;
  needs_confirmation: number | boolean;
  reported_at: number | null;
  reported_by: number | null;
  report_note: string | null;
  completed_at: number | null;
  completed_by: number | null;
  effective_deadline: number | null;
}

const row = async (h: Harness, code: string) => (await h.db.one<Row>(sql`SELECT * FROM tasks WHERE code = ${code}`))!;
const officerId = async (h: Harness, code: string) => (await h.db.one<{ id: number }>(sql`SELECT id FROM officers WHERE code = ${code}`))!.id;
const events = async (h: Harness, code: string) => {
  const { taskEvents: e, tasks: t } = h.db.t;
  const rows = await h.db.orm.select({ kind: e.kind, detail: e.detail }).from(e).innerJoin(t, eq(t.id, e.taskId)).where(eq(t.code, code)).orderBy(asc(e.id));
  return rows;
};
const nudges = async (h: Harness) => {
  const { outbox } = h.db.t;
  return h.db.orm.select({ key: outbox.key, chatId: outbox.chatId, text: outbox.text }).from(outbox).where(eq(outbox.kind, 'confirm_nudge')).orderBy(asc(outbox.id));
};

/** NV-10 (XA-AN, due tomorrow) needs confirmation; the officer, the head, the province chair and another unit's head are linked; XA-AN has a group. */
async function world() {
  const h = await harness();
  await h.db.run(sql`UPDATE tasks SET needs_confirmation = ${h.db.engine === 'postgres' ? sql`true` : sql`1`} WHERE code = 'NV-10'`);
  const officer = await h.link('CB-XA-AN');
  const head = await h.link('CT-XA-AN');
  const chair = await h.link('CT-TINH');
  const otherHead = await h.link('GD-NV');
  await bindGroup(h.db, { channel: 'telegram', chatId: 'g-an', unitCode: 'XA-AN' });
  return { h, officer, head, chair, otherHead };
}

describe('/xong on a task that needs confirmation', () => {
  it('records the report (who, when, note, an event), answers that it awaits confirmation, and tells the chairs with two buttons', async () => {
    const { h, officer } = await world();
    const r = await h.send(officer, '/xong NV-10 đã nộp hồ sơ số hóa');
    expect(r[0].text).toBe('Đã ghi nhận báo cáo hoàn thành NV-10, chờ lãnh đạo xác nhận.');
    const t = await row(h, 'NV-10');
    expect(t).toMatchObject({ reported_at: NOW, reported_by: await officerId(h, 'CB-XA-AN'), report_note: 'đã nộp hồ sơ số hóa', completed_at: null });
    expect(await events(h, 'NV-10')).toContainEqual({ kind: 'reported', detail: 'đã nộp hồ sơ số hóa' });
    const notices = await queuedNotices(h.db);
    // No leadership group: the chair over the unit, privately.
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ chatId: 'p-ct-tinh', text: expect.stringContaining('Báo cáo hoàn thành chờ xác nhận: NV-10') });
    expect(notices[0].text).toContain('Người báo cáo: Đặng Thị Hoa');
    expect(notices[0].text).toContain('Ghi chú: đã nộp hồ sơ số hóa');
    expect(notices[0].payload?.buttons).toEqual([[{ text: '✅ Xác nhận', data: 'xacnhan:NV-10' }, { text: '↩ Trả lại', data: 'tralai:NV-10' }]]);
    // /viec still lists it, marked as reported.
    expect(await h.say(officer, '/viec', {}, NOW + 60_000)).toMatch(/⏳ NV-10 — .*\(hạn 24\/11\/2026, còn 1 ngày; đã báo hoàn thành, chờ xác nhận\)/);
    // Not done in reports: in progress and awaiting.
    expect(taskState({ effectiveDeadline: t.effective_deadline, completedAt: t.completed_at }, NOW)).toBe('inProgress');
  });

  it('goes to the leadership group when there is one', async () => {
    const { h, officer } = await world();
    await bindGroup(h.db, { channel: 'telegram', chatId: 'g-lead', leadership: true });
    await h.send(officer, '/xong NV-10');
    expect((await queuedNotices(h.db)).map((n) => n.chatId)).toEqual(['g-lead']);
  });

  it('a second /xong changes nothing and says the report waits', async () => {
    const { h, officer } = await world();
    await h.send(officer, '/xong NV-10');
    expect(await h.say(officer, '/xong NV-10', {}, NOW + 3_600_000)).toMatch(/^Nhiệm vụ NV-10 đã được báo hoàn thành lúc 23\/11\/2026 08:00, đang chờ lãnh đạo xác nhận\.$/);
    expect((await row(h, 'NV-10')).reported_at).toBe(NOW);
    expect(await queuedNotices(h.db)).toHaveLength(1);
  });

  it('a late report asks for the reason, and the task stays open', async () => {
    const { h, officer } = await world();
    const late = NOW + 3 * DAY;
    expect(await h.say(officer, '/xong NV-10', {}, late)).toMatch(/chờ lãnh đạo xác nhận\. Báo cáo chậm 2 ngày so với hạn 24\/11\/2026\. Vui lòng gửi lý do trễ hạn/);
    expect(await h.say(officer, 'Chờ máy quét của tỉnh', {}, late + 60_000)).toMatch(/Đã lưu lý do trễ hạn của NV-10/);
    expect((await row(h, 'NV-10')).completed_at).toBeNull();
  });

  it('a task that needs no confirmation is completed at once, as before', async () => {
    const { h, officer } = await world();
    expect(await h.say(officer, '/xong NV-09 lý do: chờ số liệu')).toMatch(/^Đã ghi nhận: NV-09 hoàn thành chậm/);
    expect((await row(h, 'NV-09')).completed_at).toBe(NOW);
  });
});

describe('/xacnhan', () => {
  it('by a chair over the unit: done at the report instant, by the reporter, on time even when confirmed after the deadline; the unit group is told', async () => {
    const { h, officer, chair } = await world();
    await h.send(officer, '/xong NV-10');
    const later = NOW + 5 * DAY;
    expect(await h.say(chair, '/xacnhan NV-10', {}, later)).toBe('Đã xác nhận NV-10 hoàn thành đúng hạn (tính từ lúc báo cáo 23/11/2026 08:00).');
    const t = await row(h, 'NV-10');
    expect(t).toMatchObject({ completed_at: NOW, completed_by: await officerId(h, 'CB-XA-AN') });
    expect(taskState({ effectiveDeadline: t.effective_deadline, completedAt: t.completed_at }, later)).toBe('doneOnTime');
    expect((await events(h, 'NV-10')).map((e) => e.kind)).toEqual(expect.arrayContaining(['reported', 'confirmed']));
    const toUnit = (await queuedNotices(h.db)).filter((n) => n.chatId === 'g-an');
    expect(toUnit).toHaveLength(1);
    expect(toUnit[0].text).toMatch(/Nguyễn Văn An đã xác nhận nhiệm vụ NV-10 .*hoàn thành đúng hạn/);
  });

  it('the button does the same', async () => {
    const { h, officer, chair } = await world();
    await h.send(officer, '/xong NV-10');
    expect(await h.say(chair, '', { callbackData: 'xacnhan:NV-10' })).toMatch(/^Đã xác nhận NV-10/);
    expect((await row(h, 'NV-10')).completed_at).toBe(NOW);
  });

  it.each([
    ['an unknown code', 'chair', '/xacnhan NV-99', /^Không có nhiệm vụ mã NV-99\./],
    ['a task without a report waiting', 'chair', '/xacnhan NV-13', /^Nhiệm vụ NV-13 chưa có báo cáo hoàn thành nào chờ xác nhận\./],
    ['a task already done', 'chair', '/xacnhan NV-11', /^Nhiệm vụ NV-11 đã hoàn thành lúc .*, không có báo cáo nào chờ xác nhận\.$/],
    ['the unit head', 'head', '/xacnhan NV-10', /^Chỉ Chủ tịch, Phó Chủ tịch UBND mới xác nhận hoặc trả lại báo cáo hoàn thành\.$/],
    ['the reporting officer', 'officer', '/xacnhan NV-10', /^Chỉ Chủ tịch/],
    ['no code', 'chair', '/xacnhan', /^Thiếu mã nhiệm vụ\. Cách gõ: \/xacnhan/],
  ] as const)('refuses %s in one sentence and changes nothing', async (_what, who, text, answer) => {
    const w = await world();
    await w.h.send(w.officer, '/xong NV-10');
    const before = await row(w.h, 'NV-10');
    const r = await w.h.send(w[who], text, {}, NOW + DAY);
    expect(r).toHaveLength(1);
    expect(r[0].text).toMatch(answer);
    expect(await row(w.h, 'NV-10')).toEqual(before);
  });

  it('a chair of another subtree is refused', async () => {
    const { h, officer } = await world();
    // A chair sitting in SO-NV (not over XA-AN).
    await h.db.run(sql`UPDATE officers SET role = 'chair' WHERE code = 'GD-NV'`);
    await h.send(officer, '/xong NV-10');
    expect(await h.say('gd-nv', '/xacnhan NV-10')).toMatch(/không thuộc đơn vị của anh\/chị/);
    expect((await row(h, 'NV-10')).completed_at).toBeNull();
  });
});

describe('/tralai', () => {
  it('sends the report back with the reason: in progress again, the report kept in the history, the unit told; a new report may follow', async () => {
    const { h, officer, chair } = await world();
    await h.send(officer, '/xong NV-10 xong phần 1');
    expect(await h.say(chair, '/tralai NV-10 thiếu biên bản có chữ ký', {}, NOW + DAY)).toBe(
      'Đã trả lại báo cáo NV-10 cho UBND xã An Bình; nhiệm vụ tiếp tục thực hiện. Lý do: thiếu biên bản có chữ ký',
    );
    expect(await row(h, 'NV-10')).toMatchObject({ reported_at: null, reported_by: null, report_note: null, completed_at: null });
    expect(await events(h, 'NV-10')).toEqual(
      expect.arrayContaining([
        { kind: 'reported', detail: 'xong phần 1' },
        { kind: 'returned', detail: 'thiếu biên bản có chữ ký' },
      ]),
    );
    const toUnit = (await queuedNotices(h.db)).filter((n) => n.chatId === 'g-an');
    expect(toUnit[0].text).toMatch(/trả lại báo cáo hoàn thành nhiệm vụ NV-10[\s\S]*Lý do: thiếu biên bản có chữ ký/);
    expect(await h.say(officer, '/viec NV-10', {}, NOW + DAY)).toMatch(/trả lại báo cáo hoàn thành: thiếu biên bản/);
    // Reported again.
    expect(await h.say(officer, '/xong NV-10', {}, NOW + DAY + 60_000)).toMatch(/^Đã ghi nhận báo cáo hoàn thành NV-10/);
  });

  it('without a reason is refused by the parser; the button records the default sentence', async () => {
    const { h, officer, chair } = await world();
    await h.send(officer, '/xong NV-10');
    expect(await h.say(chair, '/tralai NV-10')).toMatch(/^Cần ghi lý do trả lại\. Cách gõ: \/tralai/);
    expect((await row(h, 'NV-10')).reported_at).toBe(NOW);
    expect(await h.say(chair, '', { callbackData: 'tralai:NV-10' })).toMatch(/^Đã trả lại báo cáo NV-10.*Lý do: Lãnh đạo trả lại bằng nút bấm/);
    expect((await row(h, 'NV-10')).reported_at).toBeNull();
  });

  it('reminders: none while a report waits, back once it is returned', async () => {
    const { h, officer, chair } = await world();
    const ids = async () => (await openTasksByDeadline(h.db, NOW, NOW + 2 * DAY)).map((t) => t.code);
    expect(await ids()).toContain('NV-10');
    await h.send(officer, '/xong NV-10');
    expect(await ids()).not.toContain('NV-10');
    // The tick of the deadline day queues no reminder about it.
    await tick(h.db, NOW - 60_000, config);
    await tick(h.db, NOW + DAY, config);
    const { reminderLog: log, tasks: t } = h.db.t;
    const logged = await h.db.orm.select({ code: t.code }).from(log).innerJoin(t, eq(t.id, log.taskId));
    expect(logged.map((l) => l.code)).not.toContain('NV-10');
    await h.send(chair, '/tralai NV-10 chưa đủ hồ sơ', {}, NOW + DAY + 60_000);
    expect(await ids()).toContain('NV-10');
  });
});

describe('/giao', () => {
  it('a task a chair assigns needs confirmation by default', async () => {
    const { h, chair } = await world();
    expect(await h.say(chair, '/giao XA-AN 30/12/2026 Rà soát hồ sơ tồn đọng')).toMatch(/^Đã giao nhiệm vụ NV-2026-0001/);
    expect(Boolean((await row(h, 'NV-2026-0001')).needs_confirmation)).toBe(true);
  });
});

describe('reports left unconfirmed', () => {
  // Reported Monday 23/11/2026 08:00: the third working day after is Thursday 26/11, 08:00.
  const thu = NOW + 3 * DAY;

  it('are nudged to the chairs on the third working day, once, then weekly; a tick run twice queues nothing new', async () => {
    const { h, officer } = await world();
    await h.send(officer, '/xong NV-10');
    await tick(h.db, thu - 60_000, config);
    expect(await nudges(h)).toHaveLength(0);
    await tick(h.db, thu, config);
    const first = await nudges(h);
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ chatId: 'p-ct-tinh', text: expect.stringMatching(/^⏰ Nhắc xác nhận: NV-10 .* 3 ngày làm việc chưa được xác nhận\./) });
    await tick(h.db, thu + 60_000, config);
    await tick(h.db, thu + 2 * DAY, config);
    expect(await nudges(h)).toHaveLength(1);
    await tick(h.db, thu + 7 * DAY - 60_000, config);
    expect(await nudges(h)).toHaveLength(1);
    await tick(h.db, thu + 7 * DAY, config);
    await tick(h.db, thu + 7 * DAY + 60_000, config);
    expect(await nudges(h)).toHaveLength(2);
  });

  it('a weekend does not count: reported on a Friday, nudged on the Wednesday after', async () => {
    const { h, officer } = await world();
    const fri = NOW - 3 * DAY;
    await h.send(officer, '/xong NV-10', {}, fri);
    await tick(h.db, fri + 4 * DAY, config);
    expect(await nudges(h)).toHaveLength(0);
    await tick(h.db, fri + 5 * DAY, config);
    expect(await nudges(h)).toHaveLength(1);
  });

  it('stop once confirmed', async () => {
    const { h, officer, chair } = await world();
    await h.send(officer, '/xong NV-10');
    await h.send(chair, '/xacnhan NV-10', {}, NOW + DAY);
    await tick(h.db, thu, config);
    await tick(h.db, thu + 7 * DAY, config);
    expect(await nudges(h)).toHaveLength(0);
  });

  it("are listed in the chair's /tinhhinh and in the weekly summary", async () => {
    const { h, officer, chair, head } = await world();
    await h.send(officer, '/xong NV-10');
    const status = await h.say(chair, '/tinhhinh', {}, NOW + 60_000);
    expect(status).toMatch(/⏳ Báo cáo hoàn thành chờ xác nhận \(1\):\n• NV-10 — UBND xã An Bình, báo lúc 23\/11\/2026 08:00 \(Đặng Thị Hoa\)/);
    expect(await h.say(head, '/tinhhinh', {}, NOW + 60_000)).not.toContain('⏳');
    const summary = await leadershipSummary(h.db, NOW + 60_000, config);
    expect(summary.text).toMatch(/📝 Báo cáo hoàn thành chờ xác nhận \(1\):\n• NV-10 — UBND xã An Bình, báo ngày 23\/11\/2026 \(\/xacnhan NV-10\)/);
  });
});
