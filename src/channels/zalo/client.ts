// Our small typed client of the official Zalo Bot Platform API.
// Every call goes through one chokepoint, call(method, body): POST {base}/bot{TOKEN}/{method}
// with a JSON body; the answer's `ok` decides, not the HTTP status. The token is in the
// URL, so no error built here ever contains the URL or the token.

/** The server answered ok:false (it said no). */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    /** HTTP status of the answer, when there was one. */
    readonly httpStatus?: number,
    /** Seconds to wait, when the server said so (parameters.retry_after). */
    readonly retryAfterSec?: number,
  ) {
    super(`Zalo ${method}: ${errorCode} ${description}`);
    this.name = 'ZaloApiError';
  }
}

/** The request did not get a usable answer (connection refused, timeout, not JSON). */
export class ZaloNetworkError extends Error {
  constructor(
    readonly method: string,
    reason: string,
  ) {
    super(`Zalo ${method}: lỗi mạng (${reason})`);
    this.name = 'ZaloNetworkError';
  }
}

export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type?: string;
  can_join_groups?: boolean;
}

export interface ZaloMessage {
  message_id: string;
  date?: number;
  text?: string;
  from: { id: string; display_name?: string; is_bot?: boolean };
  chat: { id: string; chat_type: 'PRIVATE' | 'GROUP' | string };
  /** Present on some events (images, stickers); never relied upon. */
  [key: string]: unknown;
}

export interface ZaloUpdate {
  event_name: string;
  message?: ZaloMessage;
}

export interface ZaloSent {
  message_id: string;
  date: number;
}

export interface ZaloClientOptions {
  token: string;
  /** API base, default https://bot-api.zaloplatforms.com (config ZALO_API_ROOT). */
  apiRoot?: string;
  /** Timeout of one request in ms beyond any long-poll wait (default 15 s). */
  requestTimeoutMs?: number;
  fetch?: typeof fetch;
}

/** Zalo's limit for one text message. */
export const ZALO_TEXT_MAX = 2000;

export class ZaloClient {
  private readonly root: string;
  private readonly token: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ZaloClientOptions) {
    this.token = opts.token;
    this.root = (opts.apiRoot ?? 'https://bot-api.zaloplatforms.com').replace(/\/+$/, '');
    this.timeoutMs = opts.requestTimeoutMs ?? 15_000;
    this.fetchImpl = opts.fetch ?? fetch;
  }

  /** The one HTTP chokepoint. Resolves to `result`; throws ZaloApiError or ZaloNetworkError. */
  async call<T>(method: string, body: object = {}, opts: { waitMs?: number; signal?: AbortSignal } = {}): Promise<T> {
    const timeout = AbortSignal.timeout(this.timeoutMs + (opts.waitMs ?? 0));
    const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchImpl(`${this.root}/bot${this.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
      text = await res.text();
    } catch (e) {
      if (opts.signal?.aborted) throw new ZaloNetworkError(method, 'đã dừng');
      throw new ZaloNetworkError(method, this.safe(describeFetchError(e)));
    }
    let parsed: { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    try {
      parsed = JSON.parse(text);
    } catch {
      // An HTML error page from a proxy and the like: a transport problem, not an API answer.
      throw new ZaloNetworkError(method, `HTTP ${res.status}, không phải JSON`);
    }
    if (parsed?.ok === true) return parsed.result as T;
    const code = typeof parsed?.error_code === 'number' ? parsed.error_code : res.status;
    const description = typeof parsed?.description === 'string' ? parsed.description : `HTTP ${res.status}`;
    const retryAfter = parsed?.parameters?.retry_after;
    throw new ZaloApiError(method, code, this.safe(description), res.status, typeof retryAfter === 'number' ? retryAfter : undefined);
  }

  getMe(): Promise<ZaloBotInfo> {
    return this.call('getMe');
  }

  /** Long poll for one update; null when nothing arrived in time (the 408 "Request timeout" answer). */
  async getUpdates(opts: { timeout: number; signal?: AbortSignal }): Promise<ZaloUpdate | null> {
    try {
      const r = await this.call<ZaloUpdate | ZaloUpdate[] | null>('getUpdates', { timeout: opts.timeout }, { waitMs: opts.timeout * 1000, signal: opts.signal });
      // The documentation says one update per call; accept a one-element list too.
      if (Array.isArray(r)) return r[0] ?? null;
      return r ?? null;
    } catch (e) {
      if (e instanceof ZaloApiError && e.errorCode === 408) return null;
      throw e;
    }
  }

  setWebhook(p: { url: string; secret_token: string }): Promise<unknown> {
    return this.call('setWebhook', p);
  }

  deleteWebhook(): Promise<unknown> {
    return this.call('deleteWebhook');
  }

  getWebhookInfo(): Promise<{ url: string; updated_at?: number }> {
    return this.call('getWebhookInfo');
  }

  /** Sends one text of 1–2000 characters (split before calling: see splitText). */
  async sendMessage(p: { chat_id: string; text: string }): Promise<ZaloSent> {
    if (p.text.length < 1 || p.text.length > ZALO_TEXT_MAX)
      throw new RangeError(`Zalo sendMessage: text must be 1–${ZALO_TEXT_MAX} characters, got ${p.text.length}`);
    return this.call('sendMessage', p);
  }

  /** Sends a picture by its public HTTPS URL, which Zalo fetches (it takes no upload). */
  async sendPhoto(p: { chat_id: string; photo: string; caption?: string }): Promise<ZaloSent> {
    if (!/^https:\/\/[^\s/]+/.test(p.photo)) throw new RangeError('Zalo sendPhoto: photo must be a public https:// URL');
    return this.call('sendPhoto', p);
  }

  sendChatAction(p: { chat_id: string; action: 'typing' }): Promise<unknown> {
    return this.call('sendChatAction', p);
  }

  /** Removes the token from any text that might have picked it up (undici messages can hold the URL). */
  private safe(s: string): string {
    return s.split(this.token).join('***').replace(/\/bot[^/\s"']+/g, '/bot***');
  }
}

function describeFetchError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'hết thời gian chờ';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
