// Who hears about an extension request when there is no leadership group: only the chairs
// who may decide it, i.e. those over the task's unit.
import { describe, expect, it } from 'vitest';
import { queuedNotices, unbindLeadership } from '../app/chat/helpers.ts';
import { authzWorld } from './authz-fixture.ts';

describe('extension requests reach the chairs over the unit', () => {
  it('a request from XA-AN goes to the province chair, not to the chair of another district', async () => {
    const w = await authzWorld();
    await unbindLeadership(w.h.db);
    const province = await w.h.link('CT-TINH', 'ct-tinh');
    const replies = await w.h.send(w.user.officer, `/giahan ${w.things['XA-AN'].openTask} 31/12/2026 chờ số liệu của Sở`);
    expect(replies[0].text).toMatch(/Đã gửi đề nghị gia hạn/);
    const told = (await queuedNotices(w.h.db)).map((n) => n.chatId);
    expect(told).toContain(`p-${province}`);
    expect(told).not.toContain(`p-${w.user.chair}`);
  });

  it('a request from a commune of the district goes to its district chair as well', async () => {
    const w = await authzWorld();
    await unbindLeadership(w.h.db);
    const officer = await w.h.link('CB-XA-DONG', 'cb-xa-dong');
    const replies = await w.h.send(officer, `/giahan ${w.things['XA-DONG'].openTask} 31/12/2026 chờ số liệu`);
    expect(replies[0].text).toMatch(/Đã gửi đề nghị gia hạn/);
    expect((await queuedNotices(w.h.db)).map((n) => n.chatId)).toContain(`p-${w.user.chair}`);
  });
});
