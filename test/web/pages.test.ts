// The first pages (/, /hangdoi), the unit permission the pages share, and the error pages.
import { afterEach, describe, expect, it } from 'vitest';
import { unitByCode } from '../../src/db/units.repo.ts';
import { enqueue, markFailed, markSent } from '../../src/db/outbox.repo.ts';
import { ADMIN_ONLY, assertUnitVisible, unitRefusal } from '../../src/web/permissions.ts';
import { renderPage } from '../../src/web/layout.ts';
import { requireViewer, viewerOf } from '../../src/web/session.ts';
import { SERVER_ERROR } from '../../src/web/app.ts';
import { NotFound } from '../../src/domain/errors.ts';
import { html } from 'hono/html';
import { NOW, startWeb, type WebTarget } from './helpers.ts';
import { ACTOR, SCOPE_UNIT, SCOPES, type Role, type Scope } from '../security/authz-fixture.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

/** A route like a unit page: the unit by code, the shared permission, then its name. */
function withTestRoutes() {
  return startWeb({
    routes: (app, deps) => {
      app.get('/thu/donvi/:code', requireViewer, async (c) => {
        const u = await unitByCode(deps.db, c.req.param('code'));
        if (!u) throw new NotFound('Không có đơn vị này.');
        assertUnitVisible(viewerOf(c), { unitId: u.id, unitPath: u.path, label: u.name });
        return renderPage(c, { title: u.name, body: html`<p>${u.code}</p>` });
      });
      app.get('/thu/loi', requireViewer, () => {
        throw new Error('SQLITE_CORRUPT: database disk image is malformed at /srv/nhacviec/data.db');
      });
    },
  });
}

/** Who sees which unit: officer and admin the own unit only; head the own unit and below; chair the own subtree. */
const SEES: Record<Role, Record<Scope, boolean>> = {
  officer: { own: true, child: false, other: false, parent: false },
  admin: { own: true, child: false, other: false, parent: false },
  head: { own: true, child: true, other: false, parent: false },
  chair: { own: true, child: true, other: false, parent: false },
};

describe('unit pages: the permission matrix (role × own / child / other / parent unit)', () => {
  it('over HTTP: 200 with the unit, or 403 with one sentence and nothing of the unit', async () => {
    w = await withTestRoutes();
    for (const role of Object.keys(ACTOR) as Role[]) {
      const b = await w.signIn(ACTOR[role]);
      for (const scope of SCOPES) {
        const code = SCOPE_UNIT[role][scope];
        const res = await b.get(`/thu/donvi/${code}`);
        const page = await res.text();
        expect([role, scope, res.status]).toEqual([role, scope, SEES[role][scope] ? 200 : 403]);
        if (!SEES[role][scope]) {
          expect(page).toContain('không thuộc phạm vi anh/chị được xem');
          expect(page).not.toContain(`<p>${code}</p>`);
        }
      }
    }
  });

  it('unitRefusal agrees with the chat rules for a province chair (the whole tree)', async () => {
    w = await startWeb();
    const tinh = (await unitByCode(w.db, 'TINH'))!;
    const xa = (await unitByCode(w.db, 'XA-DONG'))!;
    const chair = { officerId: 1, code: 'CT-TINH', fullName: 'x', role: 'chair' as const, title: null, unitId: tinh.id, unitCode: 'TINH', unitName: 'UBND tỉnh', unitPath: tinh.path };
    expect(unitRefusal(chair, { unitId: xa.id, unitPath: xa.path })).toBeNull();
  });

  it('an unknown unit → 404 page in Vietnamese', async () => {
    w = await withTestRoutes();
    const b = await w.signIn('CT-HDONG');
    const res = await b.get('/thu/donvi/KHONG-CO');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Không có đơn vị này.');
  });
});

describe('errors never show a stack trace', () => {
  it('a failing page → 500 with one Vietnamese sentence; the error is logged', async () => {
    w = await withTestRoutes();
    const b = await w.signIn('CB-XA-AN');
    const res = await b.get('/thu/loi');
    expect(res.status).toBe(500);
    const page = await res.text();
    expect(page).toContain(SERVER_ERROR);
    expect(page).not.toContain('SQLITE_CORRUPT');
    expect(page).not.toMatch(/at .*\(|\.ts:\d+/);
    expect(w.logs()).toContain('web page failed');
    expect(w.logs()).toContain('SQLITE_CORRUPT');
  });

  it('an unknown address → 404 page', async () => {
    w = await startWeb();
    const res = await w.browser().get('/khong-co-trang-nay');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Không có trang ở địa chỉ này');
  });

  it('pages send no-store, nosniff and DENY framing headers', async () => {
    w = await startWeb();
    const b = await w.signIn('CB-XA-AN');
    const res = await b.get('/');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-type')).toMatch(/text\/html; charset=UTF-8/i);
  });
});

describe('/ (the signed-in officer and the pages they may open)', () => {
  it('an admin sees the outbox page in the menu and the list; an officer, head and chair do not', async () => {
    w = await startWeb();
    for (const role of Object.keys(ACTOR) as Role[]) {
      const page = await (await (await w.signIn(ACTOR[role])).get('/')).text();
      expect([role, page.includes('href="/hangdoi"')]).toEqual([role, role === 'admin']);
    }
  });

  it('names with markup are escaped', async () => {
    w = await startWeb();
    const { eq } = await import('drizzle-orm');
    await w.db.tx((tx) => tx.orm.update(tx.t.officers).set({ fullName: '<script>alert(1)</script> Hoa' }).where(eq(tx.t.officers.code, 'CB-XA-AN')));
    const page = await (await (await w.signIn('CB-XA-AN')).get('/')).text();
    expect(page).not.toContain('<script>alert(1)</script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Hoa');
  });
});

describe('/hangdoi (outbox health, admins only)', () => {
  async function fill() {
    const row = (key: string, chatId: string) => ({ key, channel: 'telegram' as const, chatId, kind: 'reminder', text: 'Nhắc hạn', createdAt: NOW, notBefore: NOW });
    await w.db.tx(async (tx) => {
      for (let i = 0; i < 3; i++) await enqueue(tx, row(`p-${i}`, 'g-1'));
      await enqueue(tx, row('s-1', 'g-2'));
      await enqueue(tx, row('f-1', 'g-3'));
      await enqueue(tx, row('f-2', 'g-<b>4</b>'));
    });
    const { sql } = await import('drizzle-orm');
    const id = async (key: string) => (await w.db.one<{ id: number }>(sql`SELECT id FROM outbox WHERE key = ${key}`))!.id;
    await w.db.tx(async (tx) => {
      await markSent(tx, await id('s-1'), NOW);
      await markFailed(tx, await id('f-1'), 'Telegram: bot was kicked from the group chat');
      await markFailed(tx, await id('f-2'), 'chat not found');
    });
  }

  it('shows the counts by state and each failed message with its reason, escaped', async () => {
    w = await startWeb();
    await fill();
    const res = await (await w.signIn('QT-AN')).get('/hangdoi');
    expect(res.status).toBe(200);
    const page = await res.text();
    const cells = [...page.matchAll(/<tr><td>([^<]+)<\/td><td class="num">(\d+)<\/td><\/tr>/g)].map((m) => [m[1], Number(m[2])]);
    expect(cells).toEqual([
      ['Đang chờ gửi', 3],
      ['Đã gửi', 1],
      ['Gửi thất bại', 2],
    ]);
    expect(page).toContain('Telegram: bot was kicked from the group chat');
    expect(page).toContain('chat not found');
    expect(page).toContain('g-&lt;b&gt;4&lt;/b&gt;');
    expect(page).toContain('23/11/2026');
  });

  it('an empty outbox says so', async () => {
    w = await startWeb();
    const page = await (await (await w.signIn('QT-AN')).get('/hangdoi')).text();
    expect(page).toContain('Không có tin nào gửi thất bại.');
  });

  it.each(['CB-XA-AN', 'CT-XA-AN', 'CT-HDONG', 'CT-TINH'])('%s (not an admin) → 403 with one sentence, no numbers', async (code) => {
    w = await startWeb();
    await fill();
    const res = await (await w.signIn(code)).get('/hangdoi');
    expect(res.status).toBe(403);
    const page = await res.text();
    expect(page).toContain(ADMIN_ONLY);
    expect(page).not.toContain('chat not found');
  });

  it('signed out → the sign-in page (401)', async () => {
    w = await startWeb();
    expect((await w.browser().get('/hangdoi')).status).toBe(401);
  });
});

describe('.xlsx downloads (the helpers the pages use)', () => {
  it('a table downloads as an attachment with a Vietnamese name; formula-like text stays text', async () => {
    const { xlsxResponse, xlsxTable, XLSX_TYPE } = await import('../../src/web/download.ts');
    w = await startWeb({
      routes: (app) => {
        app.get('/thu/bang.xlsx', requireViewer, async (c) =>
          xlsxResponse(c, 'Nhiệm vụ đơn vị.xlsx', await xlsxTable('Nhiệm vụ', ['Mã', 'Tên', 'Số'], [['NV-1', '=HYPERLINK("http://x")', 3]])),
        );
      },
    });
    const res = await (await w.signIn('CB-XA-AN')).get('/thu/bang.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="Nhiem_vu_don_vi.xlsx"; filename*=UTF-8''${encodeURIComponent('Nhiệm vụ đơn vị.xlsx')}`);
    const ExcelJS = (await import('exceljs')).default;
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('Nhiệm vụ')!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Mã', 'Tên', 'Số']);
    expect(sheet.getRow(2).values).toEqual([undefined, 'NV-1', `'=HYPERLINK("http://x")`, 3]);
  });
});
