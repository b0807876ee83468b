// telegraf errors → the send errors the outbox tells apart.
import { TelegramError } from 'telegraf';
import { ChatForbidden, ChatMigrated, PermanentSendError, RateLimited, TransientSendError } from '../types.ts';
import { redact } from '../../log.ts';

/** 429 → RateLimited(retry_after), 403 → ChatForbidden, 400 migrate → ChatMigrated, 5xx/network → Transient, other 4xx → Permanent. */
export function toSendError(e: unknown): Error {
  if (e instanceof TelegramError) {
    const code = e.code;
    const params = e.parameters;
    const message = redact(e.message);
    if (code === 429) return new RateLimited(params?.retry_after ?? 1);
    if (params?.migrate_to_chat_id !== undefined) return new ChatMigrated(String(params.migrate_to_chat_id));
    if (code === 403) return new ChatForbidden(message);
    if (code >= 500) return new TransientSendError(message);
    return new PermanentSendError(message);
  }
  // Anything else is the transport (fetch failed, timeout, a proxy's HTML page): worth retrying.
  return new TransientSendError(redact((e as Error)?.message ?? String(e)));
}
