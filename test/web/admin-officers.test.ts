// /canbo over HTTP: the list, invites shown as the code, the Telegram deep link and a QR
// code (and the deep link registers through the chat), deactivation after a confirmation.
import { afterEach, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/parse.ts';
import { loadConfig } from '../../src/config.ts';
import { inviteByCode } from '../../src/db/accounts.repo.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { startWeb, type WebTarget } from './helpers.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

const withBot = () => startWeb({ extra: { config: loadConfig({ TELEGRAM_BOT_USERNAME: '@NhacViecThuBot' }) } });

/** The open invite codes shown on an officer's page. */
const codesOn = (page: string) => [...page.matchAll(/Mã mời: <b class="code">([A-Z0-9]+)<\/b>/g)].map((m) => m[1]!);
/** The codes on the page now that were not there before (the fixture already made one invite per unit). */
const newCodes = (page: string, before: string[]) => codesOn(page).filter((c) => !before.includes(c));

describe('/canbo: the list', () => {
  it('every officer for an admin: code, name, unit, role, linked accounts, active', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const res = await admin.get('/canbo');
    const page = await res.text();
    expect(res.status).toBe(200);
    // QT-AN, CB-XA-AN… are linked by the fixture; CB-XA-DONG is not.
    expect(page).toMatch(/CB-XA-AN<\/a><br>[^<]+<\/td><td>[^<]+<span class="muted">\(XA-AN\)<\/span><\/td><td>Cán bộ<\/td><td>Đã liên kết: Telegram<\/td><td>Hoạt động<\/td>/);
    expect(page).toContain(
      'CB-XA-DONG</a><br>Tạ Thị Ba</td><td>UBND xã Đông Hải <span class="muted">(XA-DONG)</span></td><td>Cán bộ</td><td>Chưa liên kết</td><td>Hoạt động</td>',
    );
    expect(page).toContain('CT-HDONG');
    const found = await (await admin.get('/canbo?q=dong hai')).text();
    expect(found).toContain('CB-XA-DONG');
    expect(found).not.toContain('CB-XA-AN<');
  });

  it("a chair sees only the own subtree's officers", async () => {
    w = await startWeb();
    const chair = await w.signIn('CT-HDONG');
    const page = await (await chair.get('/canbo')).text();
    expect(page).toContain('CB-XA-DONG');
    expect(page).toContain('CB-H-DONG');
    expect(page).not.toContain('CB-XA-AN');
    expect(page).not.toContain('CB-TINH');
    expect((await chair.get('/canbo/CB-XA-AN')).status).toBe(403);
  });
});

describe('/canbo: invites', () => {
  it('shows the code, the deep link https://t.me/<bot>?start=<code> and a QR code as inline SVG', async () => {
    w = await withBot();
    const admin = await w.signIn('QT-AN');
    const before = codesOn(await (await admin.get('/canbo/CB-XA-DONG')).text());
    const res = await admin.post('/canbo/CB-XA-DONG/moi');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/canbo/CB-XA-DONG#moi');
    const page = await (await admin.get('/canbo/CB-XA-DONG')).text();
    const fresh = newCodes(page, before);
    expect(fresh).toHaveLength(1);
    const code = fresh[0];
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    const invite = await inviteByCode(w.db, code!);
    expect(invite?.officerId).toBe((await officerByCode(w.db, 'CB-XA-DONG'))!.id);
    expect(invite?.usedAt).toBeNull();
    expect(page).toContain(`href="https://t.me/NhacViecThuBot?start=${code}"`);
    expect(page).toContain(`/dangky ${code}`);
    expect(page).toMatch(/<div class="qr"[^>]*><svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*>.*<path/s);
    // The deep link sends "/start <code>": the chat takes it as /dangky <code>.
    expect(parseCommand(`/start ${code}`, { chatType: 'private' })).toEqual({ kind: 'register', code });
    expect(parseCommand('/start', { chatType: 'private' })).toEqual({ kind: 'help' });
  });

  it('without TELEGRAM_BOT_USERNAME: the code and a QR code of it, and a sentence instead of the link', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = codesOn(await (await admin.get('/canbo/CB-XA-DONG')).text());
    await admin.post('/canbo/CB-XA-DONG/moi');
    const page = await (await admin.get('/canbo/CB-XA-DONG')).text();
    expect(newCodes(page, before)).toHaveLength(1);
    expect(page).not.toContain('https://t.me/');
    expect(page).toContain('TELEGRAM_BOT_USERNAME');
    expect(page).toContain('<svg');
  });

  it('a chair invites within the own subtree (the chat\'s invite rule), not beyond', async () => {
    w = await withBot();
    const chair = await w.signIn('CT-HDONG');
    const before = codesOn(await (await chair.get('/canbo/CB-XA-DONG')).text());
    expect((await chair.post('/canbo/CB-XA-DONG/moi')).status).toBe(303);
    expect(newCodes(await (await chair.get('/canbo/CB-XA-DONG')).text(), before)).toHaveLength(1);
    const other = await chair.post('/canbo/CB-XA-AN/moi');
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('không thuộc đơn vị của anh/chị');
  });

  it('officers and heads may not invite; without CSRF 403; nothing is made', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = codesOn(await (await admin.get('/canbo/CB-PB-AN')).text());
    expect(before).toHaveLength(1);
    for (const code of ['CB-XA-AN', 'CT-XA-AN']) {
      const b = await w.signIn(code);
      expect((await b.post('/canbo/CB-PB-AN/moi')).status).toBe(403);
    }
    expect((await admin.post('/canbo/CB-PB-AN/moi', {}, { csrf: false })).status).toBe(403);
    expect(codesOn(await (await admin.get('/canbo/CB-PB-AN')).text())).toEqual(before);
  });
});

describe('/canbo: deactivation', () => {
  it('asks first (a GET changes nothing), then the POST deactivates; the officer is signed out and the page says so', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const victim = await w.signIn('CB-XA-SON');
    const ask = await admin.get('/canbo/CB-XA-SON/ngung');
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('Xác nhận ngừng hoạt động');
    expect((await officerByCode(w.db, 'CB-XA-SON'))?.active).toBe(1);
    expect((await victim.get('/')).status).toBe(200);

    const res = await admin.post('/canbo/CB-XA-SON/ngung');
    expect(res.status).toBe(303);
    expect((await officerByCode(w.db, 'CB-XA-SON'))?.active).toBe(0);
    expect((await victim.get('/')).status).toBe(401);
    const page = await (await admin.get('/canbo/CB-XA-SON')).text();
    expect(page).toContain('Đã ngừng hoạt động');
    expect(page).toContain('Cho hoạt động trở lại');
    // No invites for a deactivated officer.
    expect((await admin.post('/canbo/CB-XA-SON/moi')).status).toBe(400);

    expect((await admin.post('/canbo/CB-XA-SON/molai')).status).toBe(303);
    expect((await officerByCode(w.db, 'CB-XA-SON'))?.active).toBe(1);
    // Reactivated, the officer signs in again: the old session stays ended.
    expect((await victim.get('/')).status).toBe(401);
    expect((await (await w.signIn('CB-XA-SON')).get('/')).status).toBe(200);
  });

  it('refused to officers, heads and chairs (even in the own subtree), and to the admin on the own account', async () => {
    w = await startWeb();
    for (const code of ['CB-XA-AN', 'CT-XA-AN', 'CT-HDONG']) {
      const b = await w.signIn(code);
      expect((await b.post('/canbo/CB-XA-DONG/ngung')).status).toBe(403);
      expect((await b.get('/canbo/CB-XA-DONG/ngung')).status).toBe(403);
    }
    const admin = await w.signIn('QT-AN');
    expect((await admin.post('/canbo/CB-XA-DONG/ngung', {}, { csrf: false })).status).toBe(403);
    const self = await admin.post('/canbo/QT-AN/ngung');
    expect(self.status).toBe(400);
    expect(await self.text()).toContain('không thể tự ngừng');
    expect((await officerByCode(w.db, 'CB-XA-DONG'))?.active).toBe(1);
    expect((await officerByCode(w.db, 'QT-AN'))?.active).toBe(1);
    expect((await admin.post('/canbo/KHONG-CO/ngung')).status).toBe(404);
  });
});
