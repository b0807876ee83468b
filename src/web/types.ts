// What every route of the web app sees: its dependencies and the request's variables.
import type { HttpBindings } from '@hono/node-server';
import type { Context, Hono } from 'hono';
import type { Principal } from '../app/auth.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/open.ts';
import type { Logger } from '../log.ts';

/** The officer signed in: the same shape the chat's permission rules (src/app/auth.ts) look at. */
export type Viewer = Principal;

export interface WebDeps {
  db: Db;
  config: Config;
  log: Logger;
  /** The clock (tests inject one). */
  now: () => number;
  /** The address users reach, without a trailing slash (PUBLIC_URL). */
  publicUrl: string;
}

export interface WebVariables {
  /** The signed-in officer, or null. */
  viewer: Viewer | null;
  /** The session's CSRF token ('' when signed out). */
  csrf: string;
  /** The session cookie's value, when a live session came with the request. */
  sessionId: string | null;
}

export interface WebEnv {
  Bindings: HttpBindings;
  Variables: WebVariables;
}

export type WebApp = Hono<WebEnv>;
export type WebContext = Context<WebEnv>;
