// Issue 13 in the chat: /giao with co-ordinating units and without a deadline, /phancong and
// /viec toi, /tamdung and /tieptuc, /web.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { bindGroup, deactivate, harness, NOW, queuedNotices, rowCount, task } from './helpers.ts';

async function province() {
  const h = await harness();
  const chair = await h.link('CT-TINH');
  await bindGroup(h.db, { channel: 'telegram', chatId: 'g-an', unitCode: 'XA-AN' });
  await bindGroup(h.db, { channel: 'telegram', chatId: 'g-son', unitCode: 'XA-SON' });
  return { h, chair };
}

const cooperators = async (h: Awaited<ReturnType<typeof harness>>, code: string) =>
  (await h.db.all<{ code: string }>(sql`SELECT u.code FROM task_cooperators c JOIN units u ON u.id = c.unit_id JOIN tasks t ON t.id = c.task_id WHERE t.code = ${code} ORDER BY u.code`)).map((r) => r.code);

describe('/giao phối hợp', () => {
  it('records the co-ordinating units, tells their groups, and they see the task marked phối hợp', async () => {
    const { h, chair } = await province();
    const r = await h.say(chair, '/giao XA-AN 31/12/2026 Rà soát hộ nghèo phối hợp: XA-SON, PH-TT', { updateKey: '1' });
    expect(r).toMatch(/^Đã giao nhiệm vụ NV-2026-0001 cho UBND xã An Bình, hạn 31\/12\/2026, phối hợp: .*Sơn Thủy/);
    expect(await cooperators(h, 'NV-2026-0001')).toEqual(['PH-TT', 'XA-SON']);
    const notices = await queuedNotices(h.db);
    expect(notices.find((n) => n.chatId === 'g-son')?.text).toMatch(/^🤝 Nhiệm vụ mới NV-2026-0001 \(phối hợp\) do UBND xã An Bình chủ trì/);
    expect(notices.find((n) => n.chatId === 'g-an')?.text).toMatch(/Đơn vị phối hợp: /);
    const son = await h.link('CB-XA-SON');
    const list = await h.say(son, '/viec');
    expect(list).toMatch(/Phối hợp \(đơn vị khác chủ trì, báo hoàn thành\):\n.*NV-2026-0001 \[phối hợp, XA-AN chủ trì\] — Rà soát hộ nghèo/);
    const detail = await h.send(son, '/viec NV-2026-0001');
    expect(detail[0].text).toMatch(/Đơn vị phối hợp: .*\(XA-SON\)/);
    expect(detail[0].buttons).toBeUndefined();
    // Only the lead unit reports completion.
    const before = await rowCount(h.db, 'task_events');
    expect(await h.say(son, '/xong NV-2026-0001')).toMatch(/^Đơn vị anh\/chị phối hợp thực hiện NV-2026-0001; UBND xã An Bình là đơn vị chủ trì và báo hoàn thành\.$/);
    expect(await rowCount(h.db, 'task_events')).toBe(before);
    expect((await task(h.db, 'NV-2026-0001')).completed_at).toBeNull();
  });

  it('counts the task once, for its lead unit: the co-ordinating unit\'s status is unchanged', async () => {
    const { h, chair } = await province();
    const before = { son: await h.say(chair, '/tinhhinh XA-SON'), an: await h.say(chair, '/tinhhinh XA-AN') };
    await h.say(chair, '/giao XA-AN 25/11/2026 Rà soát hộ nghèo phối hợp: XA-SON');
    expect(await h.say(chair, '/tinhhinh XA-SON')).toBe(before.son);
    expect(await h.say(chair, '/tinhhinh XA-AN')).not.toBe(before.an);
  });

  it('accepts the ASCII and English spellings', async () => {
    const { h, chair } = await province();
    await h.say(chair, '/giao XA-AN 31/12/2026 Việc một phoi hop: xa-son');
    await h.say(chair, '/assign XA-AN 31/12/2026 Job two with: XA-SON');
    await h.say(chair, '/giao XA-AN 31/12/2026 Việc ba cooperating: PH-TT XA-SON');
    expect(await cooperators(h, 'NV-2026-0001')).toEqual(['XA-SON']);
    expect(await cooperators(h, 'NV-2026-0002')).toEqual(['XA-SON']);
    expect(await cooperators(h, 'NV-2026-0003')).toEqual(['PH-TT', 'XA-SON']);
    expect((await task(h.db, 'NV-2026-0001')).deadline).not.toBeNull();
  });

  it('refuses an unknown unit, the lead itself and an empty list, writing nothing', async () => {
    const { h } = await province();
    const before = await rowCount(h.db, 'tasks');
    const chair = await h.link('CT-TINH');
    expect(await h.say(chair, '/giao XA-AN 31/12/2026 Việc phoi hop: XA-KHONG')).toMatch(/^Không có đơn vị phối hợp mã XA-KHONG\./);
    expect(await h.say(chair, '/giao XA-AN 31/12/2026 Việc phoi hop: XA-AN')).toMatch(/^XA-AN là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp\.$/);
    expect(await h.say(chair, '/giao XA-AN 31/12/2026 Việc phoi hop:')).toMatch(/Thiếu mã đơn vị phối hợp/);
    expect(await rowCount(h.db, 'tasks')).toBe(before);
  });
});

describe('/giao không thời hạn', () => {
  it('creates a task without a deadline, in Vietnamese, ASCII and English', async () => {
    const { h, chair } = await province();
    expect(await h.say(chair, '/giao XA-AN không thời hạn Theo dõi an ninh trật tự')).toMatch(/^Đã giao nhiệm vụ NV-2026-0001 cho UBND xã An Bình, không thời hạn\./);
    await h.say(chair, '/giao XA-AN khong thoi han Việc hai phoi hop: XA-SON');
    await h.say(chair, '/giao XA-AN no deadline Job three');
    for (const code of ['NV-2026-0001', 'NV-2026-0002', 'NV-2026-0003']) {
      const t = await task(h.db, code);
      expect(t.deadline).toBeNull();
      expect(t.effective_deadline).toBeNull();
    }
    expect(await cooperators(h, 'NV-2026-0002')).toEqual(['XA-SON']);
    expect((await queuedNotices(h.db)).find((n) => n.chatId === 'g-an')?.text).toMatch(/Hạn: không thời hạn\./);
    expect(await h.say(chair, '/giao XA-AN không thời hạn')).toMatch(/Thiếu nội dung nhiệm vụ/);
  });
});

describe('/phancong and /viec toi', () => {
  it('the head names an officer of the unit, who is told privately and sees it in /viec toi', async () => {
    const { h } = await province();
    const head = await h.link('CT-XA-AN');
    const officer = await h.link('CB-XA-AN');
    expect(await h.say(head, '/phancong NV-10 CB-XA-AN', { updateKey: '5' })).toBe('Đã phân công Đặng Thị Hoa thực hiện nhiệm vụ NV-10. Đã báo riêng cho cán bộ.');
    const told = (await queuedNotices(h.db)).filter((n) => n.chatId === `p-${officer}`);
    expect(told).toHaveLength(1);
    expect(told[0].text).toMatch(/^📌 Anh\/chị được phân công thực hiện nhiệm vụ NV-10: /);
    const ev = await h.db.one<{ kind: string; detail: string }>(sql`SELECT kind, detail FROM task_events WHERE kind = 'delegated'`);
    expect(ev).toEqual({ kind: 'delegated', detail: 'Đặng Thị Hoa' });
    expect(await h.say(officer, '/viec toi')).toMatch(/^Nhiệm vụ anh\/chị được phân công \(Đặng Thị Hoa\):\n.*NV-10 — /);
    expect(await h.say(officer, '/tasks mine')).toMatch(/NV-10/);
    expect(await h.say(officer, '/viec cuatoi')).toMatch(/NV-10/);
    expect(await h.say(head, '/viec toi')).toMatch(/chưa được phân công/);
    expect(await h.say(officer, '/viec NV-10')).toMatch(/Người thực hiện: Đặng Thị Hoa \(Công chức Văn phòng - Thống kê\)/);
  });

  it('refuses an officer of another unit, an inactive one, an officer, and a head of another unit', async () => {
    const { h, chair } = await province();
    const head = await h.link('CT-XA-AN');
    const officer = await h.link('CB-XA-AN');
    const headSon = await h.link('CT-XA-SON');
    await deactivate(h.db, 'CB-XA-AN');
    const before = await rowCount(h.db, 'task_events');
    expect(await h.say(head, '/phancong NV-10 CB-XA-SON')).toMatch(/^Cán bộ Mai Thị Thu không thuộc UBND xã An Bình; chỉ phân công được cán bộ của đơn vị chủ trì\.$/);
    expect(await h.say(chair, '/phancong NV-10 CB-XA-AN')).toMatch(/đã ngừng hoạt động/);
    expect(await h.say(head, '/phancong NV-10 CB-KHONG')).toMatch(/^Không có cán bộ mã CB-KHONG\./);
    expect(await h.say(officer, '/phancong NV-10 CB-XA-AN')).toMatch(/^Anh\/chị chưa liên kết/);
    expect(await h.say(headSon, '/phancong NV-10 CT-XA-AN')).toMatch(/không thuộc đơn vị của anh\/chị/);
    expect(await h.say(head, '/phancong NV-10')).toMatch(/Thiếu mã cán bộ/);
    expect(await rowCount(h.db, 'task_events')).toBe(before);
  });
});

describe('/tamdung and /tieptuc', () => {
  it('a chair suspends with a reason and resumes; the unit is told; /xong on a suspended task is refused', async () => {
    const { h, chair } = await province();
    const officer = await h.link('CB-XA-AN');
    expect(await h.say(chair, '/tamdung NV-10 Chờ bố trí kinh phí', { updateKey: '1' })).toMatch(/^Đã tạm dừng nhiệm vụ NV-10 \(UBND xã An Bình\)\. Đã báo cho đơn vị\.$/);
    const t = await h.db.one<{ suspended_at: number; suspend_reason: string }>(sql`SELECT suspended_at, suspend_reason FROM tasks WHERE code = 'NV-10'`);
    expect({ at: Number(t?.suspended_at), reason: t?.suspend_reason }).toEqual({ at: NOW, reason: 'Chờ bố trí kinh phí' });
    expect((await queuedNotices(h.db)).find((n) => n.chatId === 'g-an')?.text).toMatch(/^⏸ Nhiệm vụ NV-10 tạm dừng từ 23\/11\/2026: .*\nLý do: Chờ bố trí kinh phí\./);
    expect(await h.say(chair, '/tamdung NV-10 Lần hai')).toMatch(/đã tạm dừng từ 23\/11\/2026/);
    expect(await h.say(officer, '/xong NV-10')).toMatch(/^Nhiệm vụ NV-10 đang tạm dừng, chưa báo hoàn thành được;/);
    expect((await task(h.db, 'NV-10')).completed_at).toBeNull();
    expect(await h.say(officer, '/tamdung NV-10 lý do')).toMatch(/^Chỉ Chủ tịch, Phó Chủ tịch UBND mới tạm dừng/);
    expect(await h.say(chair, '/resume NV-10', { updateKey: '2' })).toMatch(/^Đã cho tiếp tục nhiệm vụ NV-10 \(UBND xã An Bình\), hạn /);
    expect((await h.db.one<{ s: number | null }>(sql`SELECT suspended_at AS s FROM tasks WHERE code = 'NV-10'`))?.s).toBeNull();
    expect(await h.say(chair, '/tieptuc NV-10')).toMatch(/không tạm dừng/);
    const kinds = (await h.db.all<{ kind: string }>(sql`SELECT e.kind FROM task_events e JOIN tasks t ON t.id = e.task_id WHERE t.code = 'NV-10' AND e.kind IN ('suspended', 'resumed') ORDER BY e.id`)).map((r) => r.kind);
    expect(kinds).toEqual(['suspended', 'resumed']);
    expect(await h.say(chair, '/suspend NV-10')).toMatch(/Thiếu lý do tạm dừng/);
    expect(await h.say(chair, '/tạm dừng NV-10 Chờ ý kiến Sở')).toMatch(/^Đã tạm dừng/);
  });
});

describe('/web', () => {
  it('answers privately with a one-time link; in a group says to type it privately; refuses the unlinked', async () => {
    const { h } = await province();
    const officer = await h.link('CB-XA-AN');
    const r = await h.say(officer, '/web');
    expect(r).toMatch(/^Đã tạo đường dẫn đăng nhập trang web \(dùng một lần, trong 10 phút\):\nhttp:\/\/localhost:\d+\/dangnhap\/[A-Za-z0-9_-]{43}\n/);
    expect(await h.say(officer, '/web', { chatType: 'group', chatId: 'g-an' })).toMatch(/^Đường dẫn đăng nhập chỉ gửi trong tin nhắn riêng/);
    expect(await h.say('stranger', '/web')).toMatch(/^Anh\/chị chưa liên kết/);
    await deactivate(h.db, 'CB-XA-AN');
    expect(await h.say(officer, '/web')).toMatch(/^Anh\/chị chưa liên kết/);
  });
});
