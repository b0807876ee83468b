import { describe, expect, it } from 'vitest';
import { createInvite } from '../../../src/app/register.ts';
import { sql } from 'drizzle-orm';
import { bindGroup, deactivate, harness, NOW, queuedNotices, rowCount, task } from './helpers.ts';

const DAY = 86_400_000;

describe('register', () => {
  it('links an account with a one-time invite, stores the private chat, refuses reuse and expiry', async () => {
    const h = await harness();
    const code = await createInvite(h.db, 'cb-xa-an', NOW);
    expect(code).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(await h.say('u1', '/viec')).toMatch(/chưa liên kết/);
    expect(await h.say('u1', `/dangky ${code.toLowerCase()}`)).toMatch(/Đã liên kết tài khoản với Đặng Thị Hoa/);
    const acc = (await h.db.one<{ p: string }>(sql`SELECT private_chat_id AS p FROM chat_accounts WHERE external_id = 'u1'`))!;
    expect(acc.p).toBe('p-u1');
    expect(await h.say('u1', '/viec')).toMatch(/NV-09/);
    expect(await h.say('u2', `/dangky ${code}`)).toMatch(/đã được dùng/);
    const old = await createInvite(h.db, 'CB-NV', NOW - 8 * DAY);
    expect(await h.say('u3', `/dangky ${old}`)).toMatch(/hết hạn/);
    expect(await h.say('u3', '/dangky ZZZZZZZZ')).toMatch(/không đúng/);
    await expect(createInvite(h.db, 'KHONG-CO', NOW)).rejects.toThrow(/Không có cán bộ/);
  });

  it('treats a deactivated officer as unlinked', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    await deactivate(h.db, 'CB-XA-AN');
    expect(await h.say(u, '/viec')).toMatch(/chưa liên kết/);
    expect(await h.say(u, '/trogiup')).toMatch(/dangky/);
  });
});

describe('tasks', () => {
  it('lists the unit tasks by deadline with flags, filters and a detail with history', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const list = await h.say(u, '/viec');
    expect(list.indexOf('NV-09')).toBeLessThan(list.indexOf('NV-10'));
    expect(list).toMatch(/❗ NV-09 — .*quá hạn 12 ngày/);
    expect(list).toMatch(/⚠ NV-10 — .*còn 1 ngày/);
    expect(list).not.toMatch(/NV-12/);
    expect(await h.say(u, '/viec quahan')).not.toMatch(/NV-10/);
    expect(await h.say(u, '/viec tuannay')).not.toMatch(/NV-09/);
    const detail = await h.send(u, '/viec nv-09');
    expect(detail[0].text).toMatch(/Đơn vị chủ trì: UBND xã An Bình/);
    expect(detail[0].buttons?.[0][0].data).toBe('xong:NV-09');
    expect(await h.say(u, '/viec NV-999')).toMatch(/Không có nhiệm vụ mã NV-999/);
  });
});

describe('complete', () => {
  it('on time: records who and when, answers đúng hạn; twice → says when and by whom', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    expect(await h.say(u, '/xong NV-10 đã nộp báo cáo')).toMatch(/NV-10 hoàn thành đúng hạn/);
    const t = (await task(h.db, 'NV-10'));
    expect(t.completed_at).toBe(NOW);
    expect(await h.say(u, '/xong NV-10', {}, NOW + 1000)).toMatch(/đã được báo hoàn thành lúc 23\/11\/2026 08:00 bởi Đặng Thị Hoa/);
    expect((await task(h.db, 'NV-10')).completed_at).toBe(NOW);
    expect(await h.say(u, '/viec NV-10')).toMatch(/báo hoàn thành: đã nộp báo cáo/);
  });

  it('late: asks for the reason and stores the next message as lý do trễ hạn', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    expect(await h.say(u, '/xong NV-09')).toMatch(/chậm 12 ngày.*lý do trễ hạn/s);
    expect(await h.say(u, 'Chờ số liệu của Sở Lao động <b>&')).toMatch(/Đã lưu lý do trễ hạn của NV-09: Chờ số liệu của Sở Lao động <b>&/);
    expect((await task(h.db, 'NV-09')).late_reason).toBe('Chờ số liệu của Sở Lao động <b>&');
    expect(await h.say(u, 'xin chào')).toMatch(/chưa hiểu/);
  });

  it('late with an inline reason needs no question', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    expect(await h.say(u, '/xong NV-09 lý do: mưa bão 🌧')).toMatch(/Đã lưu lý do trễ hạn/);
    expect((await task(h.db, 'NV-09')).late_reason).toBe('mưa bão 🌧');
  });

  it('a "xong" reply to a reminder about one task completes it; a group bound to another unit does not matter', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const reply = await h.say(u, 'Đã hoàn thành', { chatType: 'group', chatId: 'g1', replyToText: 'Nhắc hạn: NV-10 Số hóa hồ sơ, hạn 24/11/2026' });
    expect(reply).toMatch(/NV-10 hoàn thành đúng hạn/);
    expect(await h.say(u, 'xong', { chatType: 'group', chatId: 'g1', replyToText: 'Nhắc hạn: NV-12, hạn 15/11/2026' })).toMatch(/không thuộc đơn vị/);
    expect(await h.say(u, 'xong', { chatType: 'group', chatId: 'g1', replyToText: 'Chào buổi sáng' })).toMatch(/Không thấy mã nhiệm vụ/);
  });

  it('a repeated button press is idempotent', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const first = await h.say(u, '', { callbackData: 'xong:NV-10', updateKey: 'cb1' });
    expect(first).toMatch(/đúng hạn/);
    expect(await h.say(u, '', { callbackData: 'xong:NV-10', updateKey: 'cb2' }, NOW + 5000)).toMatch(/đã được báo hoàn thành/);
    expect(await rowCount(h.db, 'task_events', sql`kind = 'completed'`)).toBe(1);
  });
});

describe('extensions', () => {
  it('request → chairs told in the leadership group → approve moves the effective deadline, requester told', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const chair = await h.link('CT-TINH');
    await bindGroup(h.db, { channel: 'telegram', chatId: 'lead', leadership: true });
    const replies = await h.send(u, '/giahan NV-10 15/12/2026 chờ số liệu của Sở');
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toMatch(/Đã gửi đề nghị gia hạn số 2/);
    const [ask] = await queuedNotices(h.db);
    expect(ask).toMatchObject({ channel: 'telegram', chatId: 'lead' });
    expect(ask.text).toMatch(/\/duyet 2/);
    expect(ask.payload?.buttons?.[0].map((b) => b.data)).toEqual(['duyet:2', 'tuchoi:2']);
    expect(await h.say(u, '/giahan NV-10 20/12/2026 lại')).toMatch(/đang chờ duyệt/);
    expect(await h.say(u, '/duyet 2')).toMatch(/Chỉ Chủ tịch/);
    const before = (await task(h.db, 'NV-10'));
    const decided = await h.send(chair, '/duyet 2');
    expect(decided[0].text).toMatch(/hạn mới 15\/12\/2026/);
    expect(decided).toHaveLength(1);
    expect((await queuedNotices(h.db)).slice(1)).toMatchObject([{ channel: 'telegram', chatId: `p-${u}`, text: expect.stringMatching(/đã được duyệt/) }]);
    const after = (await task(h.db, 'NV-10'));
    expect(after.deadline).toBe(before.deadline);
    expect(after.effective_deadline).toBeGreaterThan(before.effective_deadline);
    expect(await h.say(chair, '/tuchoi 2')).toMatch(/đã được duyệt/);
  });

  it('reject keeps the deadline; bad dates are refused with the accepted forms', async () => {
    const h = await harness();
    const chair = await h.link('CT-TINH');
    const u = await h.link('CB-XA-SON');
    const before = (await task(h.db, 'NV-12'));
    expect(await h.say(chair, '/tuchoi 1 chưa đủ căn cứ')).toMatch(/bị từ chối. Lý do: chưa đủ căn cứ/);
    expect((await task(h.db, 'NV-12')).effective_deadline).toBe(before.effective_deadline);
    expect(await h.say(u, '/giahan NV-12 31/02/2027 lý do')).toMatch(/tháng 2\/2027 chỉ có 28 ngày/);
    expect(await h.say(u, '/giahan NV-12 mai lý do')).toMatch(/dd\/mm\/yyyy/);
    expect(await h.say(u, '/giahan NV-12 01/01/2020 lý do')).toMatch(/Hạn mới phải sau hạn hiện tại/);
    expect(await h.say(chair, '/duyet 99')).toMatch(/Không có đề nghị gia hạn số 99/);
  });

  it('takes the day and month alone (the next such day), in /giahan and in /giao', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const chair = await h.link('CT-TINH');
    expect(await h.say(u, '/giahan NV-10 15/12 chờ số liệu của Sở')).toMatch(/^Đã gửi đề nghị gia hạn số \d+ cho NV-10 đến 15\/12\/2026/);
    const r = await h.say(chair, '/giao XA-AN 10/01 Tổng kết công tác năm');
    expect(r).toMatch(/NV-2026-0001/);
    expect(r).toMatch(/10\/01\/2027/);
  });
});

describe('status, report, commitments, assign, bind', () => {
  it('/tinhhinh for a chair: whole tree, a unit, a period; for a head: own unit only', async () => {
    const h = await harness();
    const chair = await h.link('CT-TINH');
    const head = await h.link('CT-XA-AN');
    // 16 one-off demo tasks and the 3 occurrences of the monthly report BC-KTXH assigned by 23/11/2026
    // (December's, generated ahead, is not assigned yet and is not counted).
    expect(await h.say(chair, '/tinhhinh')).toMatch(/Tổng số nhiệm vụ được giao: 19/);
    expect(await h.say(chair, '/tinhhinh xa-an')).toMatch(/Đơn vị: UBND xã An Bình/);
    expect(await h.say(chair, '/tinhhinh quy 4')).toMatch(/Kỳ báo cáo: quý 4\/2026/);
    expect(await h.say(chair, '/tinhhinh XA-KHONG')).toMatch(/Không có đơn vị mã XA-KHONG/);
    expect(await h.say(chair, '/tinhhinh hom qua')).toMatch(/Không hiểu kỳ/);
    expect(await h.say(head, '/tinhhinh')).toMatch(/Đơn vị: UBND xã An Bình/);
    expect(await h.say(head, '/tinhhinh SO-TC')).toMatch(/chỉ xem được tình hình của UBND xã An Bình/);
  });

  it('/baocao attaches the xlsx', async () => {
    const h = await harness();
    const chair = await h.link('CT-TINH');
    const r = await h.send(chair, '/baocao 6 thang');
    expect(r[0].text).toMatch(/6 tháng đầu năm 2026/);
    expect(r[0].document?.filename).toMatch(/\.xlsx$/);
    expect(r[0].document?.content.subarray(0, 2).toString()).toBe('PK');
  });

  it('/camket lists the targets with the last value', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    const text = await h.say(u, '/camket');
    expect(text).toContain('⚠ CCHC-01 Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn: ≥ 98%; hiện 96,5% (23/11/2026); hạn 31/12/2026');
    expect(text).toContain('✓ CCHC-02');
    expect(text).toMatch(/⏳ chưa đạt, đang thực hiện · ⚠ có nguy cơ không đạt/);
    expect(await h.say(u, '/camket 2020')).toMatch(/chưa có cam kết năm 2020/);
  });

  it('/giao creates NV-<year>-0001, deadline end of day, the unit group is told', async () => {
    const h = await harness();
    const chair = await h.link('CT-TINH');
    await bindGroup(h.db, { channel: 'zalo', chatId: 'z-an', unitCode: 'XA-AN' });
    const r = await h.send(chair, '/giao xa-an 31/12/2026 Rà soát <b>hộ nghèo</b> 🚀');
    expect(r[0].text).toMatch(/Đã giao nhiệm vụ NV-2026-0001 cho UBND xã An Bình, hạn 31\/12\/2026/);
    const [news] = await queuedNotices(h.db);
    expect(news).toMatchObject({ channel: 'zalo', chatId: 'z-an' });
    expect(news.text).toContain('Rà soát <b>hộ nghèo</b> 🚀');
    expect((await h.send(chair, '/giao XA-AN 31/12/2026 Việc thứ hai'))[0].text).toMatch(/NV-2026-0002/);
    expect(await h.say(chair, '/giao XA-AN 01/01/2020 Việc cũ')).toMatch(/đã qua/);
    expect(await h.say(chair, '/giao XA-KHONG 31/12/2026 Việc')).toMatch(/Không có đơn vị/);
    const t = await task(h.db, 'NV-2026-0001');
    expect(t.deadline).toBe(Date.UTC(2026, 11, 31, 16, 59, 59, 999));
  });

  it('/nhom binds a group for an admin, only in a group', async () => {
    const h = await harness();
    const admin = await h.link('QT-NV');
    expect(await h.say(admin, '/nhom XA-AN')).toMatch(/chỉ dùng trong nhóm/);
    expect(await h.say(admin, '/nhom XA-AN', { chatType: 'group', chatId: 'g9' })).toMatch(/Đã gắn nhóm này với UBND xã An Bình/);
    expect(await h.say(admin, '/nhom lanhdao', { chatType: 'group', chatId: 'g10' })).toMatch(/nhóm lãnh đạo/);
    expect(await rowCount(h.db, 'group_bindings')).toBe(2);
  });
});

describe('the core itself', () => {
  it('handles a repeated update once', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    expect(await h.send(u, '/xong NV-10', { updateKey: '42' })).toHaveLength(1);
    expect(await h.send(u, '/xong NV-10', { updateKey: '42' })).toEqual([]);
  });

  it('refuses forged or unknown button payloads and logs it', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    for (const data of ['xoa:NV-10', 'xong:', 'duyet:abc', `xong:${'A'.repeat(70)}`, 'xong:NV-10;DROP TABLE tasks']) {
      expect(await h.say(u, '', { callbackData: data })).toMatch(/không hợp lệ/);
    }
    expect(h.logLines.some((l) => l.includes('forged'))).toBe(true);
    expect(await h.say(u, '', { callbackData: 'duyet:1' })).toMatch(/Chỉ Chủ tịch/);
    expect(await h.say(u, '', { callbackData: 'xong:NV-12' })).toMatch(/không thuộc đơn vị/);
    expect((await task(h.db, 'NV-12')).completed_at).toBeNull();
  });

  it('a 5,000-character message, emoji and Markdown are handled', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    expect(await h.say(u, 'x'.repeat(5000))).toMatch(/chưa hiểu/);
    expect(await h.say(u, '🚀🚀 *_`[a](b)`_*')).toMatch(/chưa hiểu/);
    expect(await h.say(u, `/xong NV-09 lý do: ${'dài '.repeat(1500)}`)).toMatch(/Đã lưu lý do/);
  });

  it('an unexpected error becomes the generic sentence, logged without the text', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    await h.db.run(sql`DROP TABLE task_events`);
    expect(await h.say(u, '/xong NV-10 bí mật riêng')).toBe('Xin lỗi, có lỗi khi xử lý. Vui lòng thử lại sau.');
    expect((await task(h.db, 'NV-10')).completed_at).toBeNull();
    expect(h.logLines.join('')).not.toContain('bí mật riêng');
  });
});
