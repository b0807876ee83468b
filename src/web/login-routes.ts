// GET /dangnhap/:token (a one-time link opens a session) and POST /dangxuat (sign out).
import { signInWithLink, signOut, LOGIN_PATH } from '../app/web-login.ts';
import { messagePage } from './layout.ts';
import { clearSessionCookie, setSessionCookie } from './session.ts';
import type { WebApp, WebDeps } from './types.ts';

export const LINK_REFUSED =
  'Đường dẫn đăng nhập này đã được dùng, đã hết hạn (sau 10 phút) hoặc không đúng. Hãy gõ /web trong cuộc trò chuyện riêng với bot Nhắc việc để nhận đường dẫn mới.';

/**
 * Link-preview fetchers (Telegram's "TelegramBot (like TwitterBot)", other platforms'
 * crawlers) open a link as soon as it is sent in a chat: they must not use it up.
 */
export const PREVIEW_AGENT = /bot\b|bot\/|crawler|spider|preview|facebookexternalhit|embedly|slurp/i;

export function registerLoginRoutes(app: WebApp, deps: WebDeps): void {
  app.get(`${LOGIN_PATH}/:token`, async (c) => {
    if (PREVIEW_AGENT.test(c.req.header('user-agent') ?? '')) {
      c.header('x-robots-tag', 'noindex');
      return messagePage(c, 200, 'Đăng nhập Nhắc việc', 'Mở đường dẫn này để đăng nhập trang Nhắc việc (dùng một lần, trong 10 phút).');
    }
    const s = await signInWithLink(deps.db, c.req.param('token'), deps.now());
    if (!s) {
      deps.log.info({ ip: c.env?.incoming?.socket.remoteAddress }, 'web sign-in refused: link used, expired or unknown');
      return messagePage(c, 403, 'Không đăng nhập được', LINK_REFUSED);
    }
    setSessionCookie(c, s.sessionId, deps);
    deps.log.info({ officerId: s.officerId }, 'web sign-in');
    // The token is in the address bar: leave it at once, and keep it out of Referer headers.
    c.header('referrer-policy', 'no-referrer');
    c.header('cache-control', 'no-store');
    return c.redirect('/', 303);
  });

  app.post('/dangxuat', async (c) => {
    const id = c.get('sessionId');
    if (id) await signOut(deps.db, id, deps.now());
    clearSessionCookie(c, deps);
    c.set('viewer', null);
    c.set('csrf', '');
    return messagePage(c, 200, 'Đã đăng xuất', 'Anh/chị đã đăng xuất. Muốn xem lại, hãy gõ /web trong cuộc trò chuyện riêng với bot Nhắc việc.');
  });
}
