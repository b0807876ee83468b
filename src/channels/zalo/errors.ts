// Zalo client errors → the send errors the outbox tells apart.
import { ChatForbidden, PermanentSendError, RateLimited, TransientSendError } from '../types.ts';
import { ZaloApiError, ZaloNetworkError } from './client.ts';

/** 429 → RateLimited, 403 → ChatForbidden, 5xx/network → Transient, other → Permanent. */
export function toSendError(e: unknown): Error {
  if (e instanceof ZaloNetworkError) return new TransientSendError(e.message);
  if (e instanceof ZaloApiError) {
    const code = e.errorCode;
    if (code === 429 || e.httpStatus === 429) return new RateLimited(e.retryAfterSec ?? 1);
    if (code === 403) return new ChatForbidden(e.message);
    if (code >= 500 || (e.httpStatus ?? 0) >= 500 || code === 408) return new TransientSendError(e.message);
    return new PermanentSendError(e.message);
  }
  if (e instanceof RangeError) return new PermanentSendError(e.message);
  return new TransientSendError((e as Error)?.message ?? String(e));
}
