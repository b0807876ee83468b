// Helpers for the web tests: the real app on a loopback port, against the permission
// matrix's province, and real sign-ins.
//
//   const w = await startWeb();                 // app on 127.0.0.1:<free port>, seeded, clock at NOW
//   afterEach(() => w.stop());
//   const chair = await w.signIn('CT-HDONG');    // through a real /dangnhap/<token> link
//   const res = await chair.get('/donvi/XA-DONG');             // fetch with the session cookie
//   const page = await res.text();
//   const csrf = await chair.csrf();              // the token of the session's forms
//   await chair.post('/some/form', { field: 'x' });            // form POST, _csrf added for you
//   await chair.post('/some/form', { field: 'x' }, { csrf: false }); // …or left out
//   w.clock.advance(13 * 3_600_000);              // the app's clock (links, sessions) moves
//   w.logs()                                      // everything the app logged
//
// The province (test/security/authz-fixture.ts): TINH ─ XA-AN ─ PB-AN, XA-SON,
// H-DONG ─ XA-DONG. Officers: CB-XA-AN (officer), CT-XA-AN (head of XA-AN), QT-AN
// (admin, in XA-AN), CT-HDONG (chair of H-DONG), CT-TINH (province chair, from the demo),
// CB-PB-AN, CB-XA-SON, CB-H-DONG, CB-XA-DONG, CB-TINH (officers of those units).
// `w.db` is the database, `w.world` the fixture (tasks T-<unit>-1 and -2 in every unit).
import { createWebApp, type CreateWebAppDeps, type WebApp } from '../../src/web/app.ts';
import { listenWeb, type WebListener } from '../../src/web/server.ts';
import { issueLoginLink } from '../../src/app/web-login.ts';
import { loadConfig } from '../../src/config.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import type { Db } from '../../src/db/open.ts';
import { createLogger } from '../../src/log.ts';
import { SESSION_COOKIE } from '../../src/web/session.ts';
import { authzWorld, type AuthzWorld } from '../security/authz-fixture.ts';
import { NOW } from '../app/chat/helpers.ts';

export { NOW };

export interface TestClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = NOW): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => (t = ms), advance: (ms) => (t += ms) };
}

export interface Browser {
  /** The session cookie's value ('' when signed out). */
  readonly cookie: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  /** A form POST (urlencoded); the session's CSRF token goes in `_csrf` unless `csrf: false` or a string to send instead. */
  post(path: string, fields?: Record<string, string>, opts?: { csrf?: boolean | string }): Promise<Response>;
  /** The CSRF token, read from a page's hidden input (the sign-out form is on every page). */
  csrf(): Promise<string>;
}

export interface WebTarget {
  base: string;
  db: Db;
  world: AuthzWorld;
  clock: TestClock;
  publicUrl: string;
  /** A fresh one-time link for an officer code. */
  link(code: string): Promise<string>;
  /** Opens the link in a new browser and keeps its cookie; throws unless it signed in. */
  signIn(code: string): Promise<Browser>;
  /** A browser with no cookie (or the given one). */
  browser(cookie?: string): Browser;
  logs(): string;
  stop(): Promise<void>;
}

/** The Set-Cookie value of the session cookie in a response, or undefined. */
export function sessionCookieOf(res: Response): string | undefined {
  for (const c of res.headers.getSetCookie()) {
    const m = new RegExp(`^${SESSION_COOKIE}=([^;]*)`).exec(c);
    if (m) return m[1];
  }
  return undefined;
}

/** The value of the first hidden `_csrf` input of a page. */
export function csrfOf(page: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
}

export interface StartWebOptions {
  /** PUBLIC_URL (default http://127.0.0.1: no Secure cookie). */
  publicUrl?: string;
  /** Deps to override (e.g. webhooks). */
  extra?: Partial<CreateWebAppDeps>;
  /** Extra routes for a test (registered after the app's own, before listening). */
  routes?: (app: WebApp, deps: CreateWebAppDeps) => void;
}

export async function startWeb(opts: StartWebOptions = {}): Promise<WebTarget> {
  const world = await authzWorld();
  const db = world.h.db;
  const clock = testClock();
  const lines: string[] = [];
  const log = createLogger('debug', { write: (s: string) => lines.push(s) });
  const config = loadConfig({});
  let listener: WebListener | undefined;
  const deps: CreateWebAppDeps = { db, config, log, now: clock.now, publicUrl: opts.publicUrl ?? 'http://127.0.0.1', ...opts.extra };
  const app = createWebApp(deps);
  opts.routes?.(app, deps);
  listener = await listenWeb(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${listener.port}`;
  const publicUrl = deps.publicUrl;

  function browser(initial = ''): Browser {
    let cookie = initial;
    const withCookie = (init: RequestInit = {}): RequestInit => ({
      redirect: 'manual',
      ...init,
      headers: { ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}), ...(init.headers as Record<string, string> | undefined) },
    });
    const b: Browser = {
      get cookie() {
        return cookie;
      },
      async get(path, init) {
        const res = await fetch(`${base}${path}`, withCookie(init));
        const set = sessionCookieOf(res);
        if (set !== undefined) cookie = set;
        return res;
      },
      async post(path, fields = {}, o = {}) {
        const body = new URLSearchParams(fields);
        if (o.csrf !== false) body.set('_csrf', typeof o.csrf === 'string' ? o.csrf : await b.csrf());
        return b.get(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      },
      async csrf() {
        const page = await (await b.get('/')).text();
        const token = csrfOf(page);
        if (!token) throw new Error('no CSRF token on / (not signed in?)');
        return token;
      },
    };
    return b;
  }

  const link = async (code: string) => {
    const o = await officerByCode(db, code);
    if (!o) throw new Error(`no officer ${code}`);
    return issueLoginLink(db, o.id, clock.now(), publicUrl);
  };

  return {
    base,
    db,
    world,
    clock,
    publicUrl,
    link,
    browser,
    async signIn(code) {
      const url = new URL(await link(code));
      const b = browser();
      const res = await b.get(url.pathname);
      if (res.status !== 303 || !b.cookie) throw new Error(`sign-in as ${code} failed: ${res.status}`);
      return b;
    },
    logs: () => lines.join(''),
    async stop() {
      await listener?.close();
      listener = undefined;
    },
  };
}
