// The web dashboard: one Hono app, served by `nhacviec start` (beside the webhooks, on
// PORT), by `nhacviec web` alone, and by the console demo.
//
// ─── The page contract ──────────────────────────────────────────────────────────────
// A page module is a file under src/web/pages/ (what every signed-in officer may look
// at) or src/web/admin/ (the office's pages) that exports one function, called below in
// createWebApp:
//
//   export function registerUnitRoutes(app: WebApp, deps: WebDeps): void {
//     app.get('/donvi/:code', requireViewer, async (c) => { … });
//   }
//
// • deps (types.ts WebDeps): db, config (zone, calendar…), log, now() (the clock:
//   never Date.now()), publicUrl.
// • The viewer: put `requireViewer` (session.ts) before the handler, then
//   `const v = viewerOf(c)` — a Viewer (types.ts): officerId, code, fullName, role,
//   title, unitId, unitCode, unitName, unitPath; the shape src/app/auth.ts's rules take.
//   No session → requireViewer answers 401 with the sentence "gõ /web…".
// • Permissions (permissions.ts), always the chat's rules from src/app/auth.ts:
//   `assertUnitVisible(v, { unitId, unitPath, label })` for a unit's data (officer and
//   admin: own unit; head: own unit and below; chair: own subtree); `assertAdmin(v)` for
//   admin pages; for an action the chat has (assign, approve, invite, bindGroup…) call
//   `authorize(v, 'approve', target)` from src/app/auth.ts. They throw NotAllowed, which
//   the error handler turns into a 403 page with that one sentence; NotFound → 404 page,
//   InvalidInput → 400. Any other throw → a 500 page in Vietnamese, logged, no stack.
// • Render (layout.ts): `return renderPage(c, { title, body: html`…` })`, with `html`
//   from 'hono/html' (every ${value} is escaped; never build markup by concatenation).
//   `table(head, rows, emptySentence)` draws a table; `messagePage(c, status, title,
//   sentence)` a one-sentence page. Dates: formatDate/formatDateTime from domain/dates.ts
//   with deps.config.zone.
// • Navigation: add `{ href, label, allowed }` to NAV in nav.ts, `allowed` being the
//   same check the route makes (e.g. isAdmin). `/` lists the viewer's entries too.
// • Forms: `<form method="post" action="…">${csrfField(c.get('csrf'))}…</form>`; the
//   checkCsrf middleware refuses any POST without the session's token (403), before the
//   handler runs. Read fields with `await c.req.parseBody()` (files: File objects; the
//   body limit is WEB_BODY_LIMIT). After a write, redirect (303) to a GET page. A GET
//   never writes (the cookie is SameSite=Lax and only POSTs are CSRF-checked).
// • .xlsx downloads (download.ts): `return xlsxResponse(c, 'Nhiệm vụ XA-AN.xlsx',
//   await xlsxTable('Nhiệm vụ', head, rows))` — every cell goes through the formula-safe
//   writer (src/app/report/safe-cell.ts). The full report workbook is
//   src/app/report/format-xlsx.ts `writeReportXlsx(db, report, zone, stream)`.
//   Offer it as a link `?xlsx=1` or `/….xlsx` beside the table (a GET: no CSRF).
// • Tests: test/web/helpers.ts (start the app on a seeded database, sign in as an
//   officer code through a real link, fetch with the cookie, read the CSRF token).
// ──────────────────────────────────────────────────────────────────────────────────────
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { WebhookSet } from '../channels/webhook-server.ts';
import { DomainError, InvalidInput, NotAllowed, NotFound } from '../domain/errors.ts';
import { redact } from '../log.ts';
import { registerGroupRoutes } from './admin/groups.ts';
import { registerImportRoutes } from './admin/import.ts';
import { registerOfficerRoutes } from './admin/officers.ts';
import { registerOutboxRoutes } from './admin/outbox.ts';
import { messagePage } from './layout.ts';
import { sharedImageResponse } from './shared-image.ts';
import { registerLoginRoutes } from './login-routes.ts';
import { registerHomeRoutes } from './pages/home.ts';
import { registerReportPages } from './pages/index.ts';
import { checkCsrf, loadViewer } from './session.ts';
import type { WebApp, WebDeps, WebEnv } from './types.ts';

export type { WebApp, WebDeps } from './types.ts';

/** Largest form body the pages accept (uploads included). */
export const WEB_BODY_LIMIT = 20 * 1024 * 1024;

export interface CreateWebAppDeps extends WebDeps {
  /** The channels' webhook routes, answered on the same server (they keep their own checks). */
  webhooks?: WebhookSet;
}

export const SERVER_ERROR = 'Hệ thống gặp lỗi khi mở trang này. Anh/chị thử lại sau ít phút; nếu vẫn lỗi, hãy báo Phòng Nội vụ.';

export function createWebApp(deps: CreateWebAppDeps): WebApp {
  const app = new Hono<WebEnv>();
  // First: the webhooks answer before any page middleware (no session, no CSRF: a secret header instead).
  deps.webhooks?.register(app);
  // Shared pictures (the weekly chart Zalo's servers fetch for sendPhoto): no session, an unguessable token.
  app.get('/anh/:file', async (c) => {
    const r = await sharedImageResponse(deps.db, c.req.param('file'), deps.now());
    const body = typeof r.body === 'string' ? r.body : new Uint8Array(r.body);
    return c.body(body, r.status, { 'content-type': r.contentType, 'cache-control': r.cacheControl });
  });

  app.use('*', async (c, next) => {
    await next();
    const h = c.res.headers;
    h.set('x-content-type-options', 'nosniff');
    h.set('x-frame-options', 'DENY');
    if (!h.has('referrer-policy')) h.set('referrer-policy', 'same-origin');
  });
  app.use('*', loadViewer(deps));
  app.use(
    '*',
    bodyLimit({
      maxSize: WEB_BODY_LIMIT,
      onError: (c) => messagePage(c, 413, 'Tệp quá lớn', `Nội dung gửi lên vượt quá ${WEB_BODY_LIMIT / 1024 / 1024} MB. Hãy chia nhỏ tệp rồi gửi lại.`),
    }),
  );
  app.use('*', checkCsrf);

  registerLoginRoutes(app, deps);
  registerHomeRoutes(app, deps);
  registerReportPages(app, deps);
  registerOutboxRoutes(app, deps);
  registerImportRoutes(app, deps);
  registerOfficerRoutes(app, deps);
  registerGroupRoutes(app, deps);

  app.notFound((c) => messagePage(c, 404, 'Không tìm thấy trang', 'Không có trang ở địa chỉ này. Hãy quay về trang Tổng quan.'));
  app.onError((err, c) => {
    if (err instanceof NotAllowed) return messagePage(c, 403, 'Không có quyền xem', err.message);
    if (err instanceof NotFound) return messagePage(c, 404, 'Không tìm thấy', err.message);
    if (err instanceof InvalidInput || err instanceof DomainError) return messagePage(c, 400, 'Không thực hiện được', err.message);
    deps.log.error({ path: c.req.path, method: c.req.method, err: redact(String(err?.stack ?? err)) }, 'web page failed');
    return messagePage(c, 500, 'Lỗi hệ thống', SERVER_ERROR);
  });
  return app;
}
