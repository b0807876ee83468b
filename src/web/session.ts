// The session cookie, the viewer it stands for, and the CSRF check on every POST.
import crypto from 'node:crypto';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { resumeSession } from '../app/web-login.ts';
import { officerById } from '../db/officers.repo.ts';
import { messagePage } from './layout.ts';
import type { Viewer, WebContext, WebDeps, WebEnv } from './types.ts';

export const SESSION_COOKIE = 'nv_phien';

export const SIGN_IN_HINT = 'Anh/chị chưa đăng nhập hoặc phiên đã hết hạn. Hãy gõ /web trong cuộc trò chuyện riêng với bot Nhắc việc để nhận đường dẫn đăng nhập mới.';
export const CSRF_REFUSED = 'Biểu mẫu đã cũ hoặc không hợp lệ. Hãy tải lại trang rồi gửi lại.';

export function setSessionCookie(c: WebContext, sessionId: string, deps: WebDeps): void {
  setCookie(c, SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'Lax', path: '/', secure: deps.publicUrl.startsWith('https:') });
}

export function clearSessionCookie(c: WebContext, deps: WebDeps): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.publicUrl.startsWith('https:') });
}

/** Loads the viewer of the request (null when no live session or a deactivated officer). */
export function loadViewer(deps: WebDeps): MiddlewareHandler<WebEnv> {
  return async (c, next) => {
    c.set('viewer', null);
    c.set('csrf', '');
    c.set('sessionId', null);
    const id = getCookie(c, SESSION_COOKIE);
    if (id) {
      const s = await resumeSession(deps.db, id, deps.now());
      const o = s ? await officerById(deps.db, s.officerId) : undefined;
      if (s && o && o.active) {
        const viewer: Viewer = { officerId: o.id, code: o.code, fullName: o.fullName, role: o.role, title: o.title, unitId: o.unitId, unitCode: o.unitCode, unitName: o.unitName, unitPath: o.unitPath };
        c.set('viewer', viewer);
        c.set('csrf', s.csrfToken);
        c.set('sessionId', id);
      }
    }
    await next();
  };
}

/** The signed-in viewer; the route must sit behind requireViewer (else it throws). */
export function viewerOf(c: WebContext): Viewer {
  const v = c.get('viewer');
  if (!v) throw new Error('viewerOf outside requireViewer');
  return v;
}

/** Lets signed-in viewers through; anyone else gets the page that says how to sign in (401). */
export const requireViewer: MiddlewareHandler<WebEnv> = async (c, next) => {
  if (!c.get('viewer')) return messagePage(c, 401, 'Cần đăng nhập', SIGN_IN_HINT);
  await next();
};

function sameToken(a: string, b: string): boolean {
  const d = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest();
  return crypto.timingSafeEqual(d(a), d(b));
}

/**
 * Every POST (and other writing method) must carry the session's CSRF token, as the
 * form field `_csrf` (csrfField in the layout) or the header `x-csrf-token`; else 403.
 * Without a session there is no token to match: 401 with the sign-in sentence.
 */
export const checkCsrf: MiddlewareHandler<WebEnv> = async (c, next) => {
  const m = c.req.method;
  if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return next();
  const expected = c.get('csrf');
  if (!expected) return messagePage(c, 401, 'Cần đăng nhập', SIGN_IN_HINT);
  let given = c.req.header('x-csrf-token') ?? '';
  if (!given) {
    const type = c.req.header('content-type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded') || type.startsWith('multipart/form-data')) {
      const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const f = body['_csrf'];
      given = typeof f === 'string' ? f : '';
    }
  }
  if (!given || !sameToken(given, expected)) return messagePage(c, 403, 'Không gửi được biểu mẫu', CSRF_REFUSED);
  await next();
};
