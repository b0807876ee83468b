// /viec with a task without a deadline and a suspended one; /xong and /giahan on a task without one.
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { harness, NOW } from './helpers.ts';

describe('/viec: không thời hạn, tạm dừng', () => {
  it('lists them in place of a deadline, leaves them out of quahan and tuannay, and the detail says so', async () => {
    const h = await harness();
    const u = await h.link('CB-XA-AN');
    await h.db.run(sql`UPDATE tasks SET deadline = NULL, effective_deadline = NULL WHERE code = 'NV-09'`);
    await h.db.run(sql`UPDATE tasks SET suspended_at = ${NOW - 86_400_000}, suspend_reason = 'Chờ kinh phí' WHERE code = 'NV-10'`);
    const list = await h.say(u, '/viec');
    expect(list).toMatch(/• NV-09 — .*\(không thời hạn\)/);
    expect(list).toMatch(/⏸ NV-10 — .*\(tạm dừng\)/);
    expect(await h.say(u, '/viec quahan')).not.toMatch(/NV-09|NV-10/);
    expect(await h.say(u, '/viec tuannay')).not.toMatch(/NV-09|NV-10/);
    expect(await h.say(u, '/viec NV-09')).toMatch(/hạn: không thời hạn\nTình trạng: đang thực hiện, không thời hạn/);
    expect(await h.say(u, '/viec NV-10')).toMatch(/Tình trạng: tạm dừng từ 22\/11\/2026, lý do: Chờ kinh phí/);
    expect(await h.say(u, '/giahan NV-09 31/12/2026 chờ số liệu')).toMatch(/NV-09 không có thời hạn, không cần gia hạn/);
    expect(await h.say(u, '/xong NV-09')).toMatch(/NV-09 hoàn thành \(nhiệm vụ không thời hạn\)/);
  });
});
