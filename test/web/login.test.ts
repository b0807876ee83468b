// Signing in with one-time links, the session cookie, idle expiry, sign-out and CSRF.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LINK_VALID_MS, SESSION_IDLE_MS, sha256 } from '../../src/app/web-login.ts';
import { LINK_REFUSED } from '../../src/web/login-routes.ts';
import { CSRF_REFUSED, SESSION_COOKIE, SIGN_IN_HINT } from '../../src/web/session.ts';
import { csrfOf, sessionCookieOf, startWeb, type WebTarget } from './helpers.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

const text = async (r: Response) => r.text();

describe('sign-in links', () => {
  beforeEach(async () => {
    w = await startWeb();
  });

  it('a link is <PUBLIC_URL>/dangnhap/<43 base64url characters>, only its SHA-256 is stored, valid 10 minutes', async () => {
    const url = await w.link('CB-XA-AN');
    const m = /^http:\/\/127\.0\.0\.1\/dangnhap\/([A-Za-z0-9_-]{43})$/.exec(url);
    expect(m).not.toBeNull();
    const rows = await w.db.all<{ token_hash: string; expires_at: number; created_at: number; used_at: number | null }>(
      (await import('drizzle-orm')).sql`SELECT token_hash, expires_at, created_at, used_at FROM web_links`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(m![1]!));
    expect(JSON.stringify(rows)).not.toContain(m![1]!);
    expect(Number(rows[0]!.expires_at) - Number(rows[0]!.created_at)).toBe(LINK_VALID_MS);
    expect(rows[0]!.used_at).toBeNull();
  });

  it('a valid link signs in: 303 to /, an HttpOnly SameSite=Lax cookie on /, not Secure over http; / then shows the officer', async () => {
    const b = w.browser();
    const res = await b.get(new URL(await w.link('CB-XA-AN')).pathname);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/i);
    const home = await text(await b.get('/'));
    expect(home).toContain('Đặng Thị Hoa');
    expect(home).toContain('(XA-AN)');
    expect(home).toContain('Tổng quan');
    expect(home).toContain('<html lang="vi">');
  });

  it('the cookie is Secure when PUBLIC_URL is https', async () => {
    await w.stop();
    w = await startWeb({ publicUrl: 'https://nhacviec.example.gov.vn' });
    const url = await w.link('CT-HDONG');
    expect(url.startsWith('https://nhacviec.example.gov.vn/dangnhap/')).toBe(true);
    const res = await fetch(`${w.base}${new URL(url).pathname}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/;\s*Secure/i);
  });

  it('a used link is refused the second time, with the sentence that says what to do and no cookie', async () => {
    const path = new URL(await w.link('CB-XA-AN')).pathname;
    expect((await w.browser().get(path)).status).toBe(303);
    const again = await w.browser().get(path);
    expect(again.status).toBe(403);
    expect(sessionCookieOf(again)).toBeUndefined();
    expect(await text(again)).toContain(LINK_REFUSED.slice(0, 40));
  });

  it.each(['TelegramBot (like TwitterBot)', 'facebookexternalhit/1.1', 'Mozilla/5.0 (compatible; Googlebot/2.1)'])(
    'a link-preview fetcher (%s) gets a neutral page and does not use the link up',
    async (agent) => {
      const path = new URL(await w.link('CB-XA-AN')).pathname;
      const preview = await w.browser().get(path, { headers: { 'user-agent': agent } });
      expect(preview.status).toBe(200);
      expect(sessionCookieOf(preview)).toBeUndefined();
      expect((await w.browser().get(path, { headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Zalo android/12100 ZaloTheme/light' } })).status).toBe(303);
    },
  );

  it('two requests with the same link at once: exactly one signs in', async () => {
    const path = new URL(await w.link('CB-XA-AN')).pathname;
    const results = await Promise.all(Array.from({ length: 5 }, () => w.browser().get(path)));
    expect(results.map((r) => r.status).sort()).toEqual([303, 403, 403, 403, 403]);
  });

  it('an expired link (10 minutes on the injected clock) is refused; one just before is accepted', async () => {
    const late = new URL(await w.link('CB-XA-AN')).pathname;
    const early = new URL(await w.link('CB-XA-AN')).pathname;
    w.clock.advance(LINK_VALID_MS - 1);
    expect((await w.browser().get(early)).status).toBe(303);
    w.clock.advance(1);
    const res = await w.browser().get(late);
    expect(res.status).toBe(403);
    expect(await text(res)).toContain('/web');
  });

  it.each([
    ['random', 'A'.repeat(43)],
    ['too short', 'abc'],
    ['not base64url', `${'x'.repeat(42)}!`],
    ['a stored digest instead of the token', ''],
  ])('a forged link (%s) → the same page, 403, nothing logged as an error, no stack', async (name, token) => {
    let t = token;
    if (name.startsWith('a stored digest')) {
      await w.link('CB-XA-AN');
      const { sql } = await import('drizzle-orm');
      t = (await w.db.one<{ token_hash: string }>(sql`SELECT token_hash FROM web_links`))!.token_hash;
    }
    const res = await w.browser().get(`/dangnhap/${encodeURIComponent(t)}`);
    expect(res.status).toBe(403);
    const page = await text(res);
    expect(page).toContain('gõ /web');
    expect(page).not.toMatch(/Error|at .*\.ts/);
    expect(sessionCookieOf(res)).toBeUndefined();
    expect(w.logs()).toContain('web sign-in refused');
    expect(w.logs()).not.toContain('"level":50');
  });

  it('a deactivated officer\'s session shows nobody', async () => {
    const b = await w.signIn('CB-XA-AN');
    const { eq } = await import('drizzle-orm');
    await w.db.tx((tx) => tx.orm.update(tx.t.officers).set({ active: false }).where(eq(tx.t.officers.code, 'CB-XA-AN')));
    expect((await b.get('/')).status).toBe(401);
  });
});

describe('sessions', () => {
  beforeEach(async () => {
    w = await startWeb();
  });

  it('without a cookie (or with a made-up one) a page says how to sign in (401)', async () => {
    for (const b of [w.browser(), w.browser('A'.repeat(43)), w.browser('not-a-session')]) {
      const res = await b.get('/');
      expect(res.status).toBe(401);
      expect(await text(res)).toContain(SIGN_IN_HINT);
    }
  });

  it('ends after 12 hours idle; every request (at most one write a minute) keeps it alive', async () => {
    const b = await w.signIn('CB-XA-AN');
    w.clock.advance(SESSION_IDLE_MS - 1000);
    expect((await b.get('/')).status).toBe(200);
    w.clock.advance(SESSION_IDLE_MS - 1000);
    expect((await b.get('/')).status).toBe(200);
    w.clock.advance(SESSION_IDLE_MS);
    const res = await b.get('/');
    expect(res.status).toBe(401);
    expect(await text(res)).toContain('/web');
  });

  it('last_seen_at is written at most once a minute', async () => {
    const b = await w.signIn('CB-XA-AN');
    const { sql } = await import('drizzle-orm');
    const seen = async () => Number((await w.db.one<{ t: number }>(sql`SELECT last_seen_at AS t FROM web_sessions`))!.t);
    const start = await seen();
    w.clock.advance(30_000);
    await b.get('/');
    expect(await seen()).toBe(start);
    w.clock.advance(31_000);
    await b.get('/');
    expect(await seen()).toBe(start + 61_000);
  });

  it('sign-out ends the session: the cookie is cleared and no longer works, even if kept', async () => {
    const b = await w.signIn('CB-XA-AN');
    const kept = b.cookie;
    const res = await b.post('/dangxuat');
    expect(res.status).toBe(200);
    expect(await text(res)).toContain('Anh/chị đã đăng xuất');
    expect(res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
    expect((await w.browser(kept).get('/')).status).toBe(401);
  });

  it('every page carries the session\'s CSRF token in its forms; two sessions have different tokens', async () => {
    const a = await w.signIn('CB-XA-AN');
    const b = await w.signIn('CB-XA-AN');
    const ta = await a.csrf();
    expect(ta).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await b.csrf()).not.toBe(ta);
    // Even a refusal page carries it (the sign-out form in the menu).
    expect(csrfOf(await text(await a.get('/hangdoi')))).toBe(ta);
  });
});

describe('CSRF', () => {
  beforeEach(async () => {
    w = await startWeb();
  });

  it.each([
    ['missing', { csrf: false }],
    ['wrong', { csrf: 'B'.repeat(43) }],
    ['empty', { csrf: '' }],
  ] as const)('a POST with a %s token is refused (403, one sentence) and does nothing', async (_name, opts) => {
    const b = await w.signIn('CB-XA-AN');
    const res = await b.post('/dangxuat', {}, opts as { csrf: boolean | string });
    expect(res.status).toBe(403);
    expect(await text(res)).toContain(CSRF_REFUSED);
    // Still signed in: the sign-out did not happen.
    expect((await b.get('/')).status).toBe(200);
  });

  it('another session\'s token is refused', async () => {
    const a = await w.signIn('CB-XA-AN');
    const other = await w.signIn('CT-HDONG');
    const res = await a.post('/dangxuat', {}, { csrf: await other.csrf() });
    expect(res.status).toBe(403);
    expect((await a.get('/')).status).toBe(200);
  });

  it('the token in the x-csrf-token header is accepted too', async () => {
    const b = await w.signIn('CB-XA-AN');
    const res = await b.get('/dangxuat', { method: 'POST', headers: { 'x-csrf-token': await b.csrf() } });
    expect(res.status).toBe(200);
    expect((await b.get('/')).status).toBe(401);
  });

  it('a POST without a session gets the sign-in sentence', async () => {
    const res = await w.browser().post('/dangxuat', {}, { csrf: 'C'.repeat(43) });
    expect(res.status).toBe(401);
    expect(await text(res)).toContain(SIGN_IN_HINT);
  });
});
