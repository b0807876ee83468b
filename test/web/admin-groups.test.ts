// /nhom over HTTP: the bindings (channel, chat, unit or leadership, status, since) and unbinding.
import { afterEach, describe, expect, it } from 'vitest';
import { bindGroup, rowCount } from '../app/chat/helpers.ts';
import { allBindingsWithSince } from '../../src/db/admin.repo.ts';
import { NOW, startWeb, type WebTarget } from './helpers.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

async function seedBindings(t: WebTarget): Promise<Record<string, number>> {
  await bindGroup(t.db, { channel: 'telegram', chatId: '-100777', unitCode: 'XA-DONG', createdAt: NOW - 3 * 86_400_000 });
  await bindGroup(t.db, { channel: 'zalo', chatId: 'g-an-1', unitCode: 'XA-AN', status: 'broken', createdAt: NOW });
  await bindGroup(t.db, { channel: 'telegram', chatId: '-100999', leadership: true, createdAt: NOW });
  const ids: Record<string, number> = {};
  for (const b of await allBindingsWithSince(t.db)) ids[b.chatId] = b.id;
  return ids;
}

describe('/nhom', () => {
  it('lists every binding for an admin: channel, chat id, unit or leadership, status, since', async () => {
    w = await startWeb();
    await seedBindings(w);
    const page = await (await (await w.signIn('QT-AN')).get('/nhom')).text();
    const row = (channel: string, chat: string, rest: string) => `<td>${channel}<br><span class="muted">${chat}</span></td>${rest}`;
    expect(page).toContain(row('Telegram', '-100999', '<td>Nhóm lãnh đạo</td><td>Bình thường</td><td>23/11/2026</td>'));
    expect(page).toContain(row('Zalo', 'g-an-1', '<td>UBND xã An Bình (XA-AN)</td><td>Hỏng</td><td>23/11/2026</td>'));
    expect(page).toContain(row('Telegram', '-100777', '<td>UBND xã Đông Hải (XA-DONG)</td><td>Bình thường</td><td>20/11/2026</td>'));
  });

  it('unbind: POST with CSRF removes the binding and redirects to the list', async () => {
    w = await startWeb();
    const ids = await seedBindings(w);
    const admin = await w.signIn('QT-AN');
    expect((await admin.post(`/nhom/${ids['g-an-1']}/go`, {}, { csrf: false })).status).toBe(403);
    expect(await rowCount(w.db, 'group_bindings')).toBe(3);
    const res = await admin.post(`/nhom/${ids['g-an-1']}/go`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/nhom?dago=1');
    expect(await rowCount(w.db, 'group_bindings')).toBe(2);
    const page = await (await admin.get('/nhom?dago=1')).text();
    expect(page).toContain('Đã gỡ nhóm');
    expect(page).not.toContain('g-an-1');
    // Already gone, or never there: 404 with a sentence.
    expect((await admin.post(`/nhom/${ids['g-an-1']}/go`)).status).toBe(404);
    expect((await admin.post('/nhom/abc/go')).status).toBe(404);
  });

  it("a chair sees and unbinds the own subtree's groups only; officers and heads neither", async () => {
    w = await startWeb();
    const ids = await seedBindings(w);
    const chair = await w.signIn('CT-HDONG');
    const page = await (await chair.get('/nhom')).text();
    expect(page).toContain('-100777');
    expect(page).not.toContain('g-an-1');
    expect(page).not.toContain('-100999');
    expect((await chair.post(`/nhom/${ids['g-an-1']}/go`)).status).toBe(403);
    expect((await chair.post(`/nhom/${ids['-100999']}/go`)).status).toBe(403);
    for (const code of ['CB-XA-AN', 'CT-XA-AN']) {
      const b = await w.signIn(code);
      expect((await b.get('/nhom')).status).toBe(403);
      expect((await b.post(`/nhom/${ids['g-an-1']}/go`)).status).toBe(403);
    }
    expect(await rowCount(w.db, 'group_bindings')).toBe(3);
    expect((await chair.post(`/nhom/${ids['-100777']}/go`)).status).toBe(303);
    expect(await rowCount(w.db, 'group_bindings')).toBe(2);
  });
});
