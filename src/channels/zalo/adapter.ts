// The Zalo channel: one handleUpdate path, fed either by the long-polling loop
// or by the webhook server. It only translates; the core does the work.
import type { BotCore } from '../../bot/types.ts';
import { redact, type Logger } from '../../log.ts';
import { deliverReplies, type SenderMap } from '../deliver.ts';
import { abortableSleep } from '../exclusive.ts';
import { handleAcked } from '../webhook-server.ts';
import type { BotPauses } from '../bot-pause.ts';
import { ZaloApiError, type ZaloClient, type ZaloUpdate } from './client.ts';
import { zaloUpdateToMessage } from './translate.ts';

export interface ZaloAdapterDeps {
  client: ZaloClient;
  core: BotCore;
  /** Must hold the zalo sender; the telegram one too when replies may cross over. */
  senders: SenderMap;
  log: Logger;
  /** The bot-wide 429 pauses shared with this process's drain (see src/channels/bot-pause.ts). */
  pauses?: BotPauses;
  now?: () => number;
}

export interface ZaloAdapter {
  /**
   * Handles one update (from polling or a webhook body's `result`). Never throws.
   * With `ack` (a webhook): calls it once the update is safe (committed, or nothing to do),
   * before any reply is sent; when nothing was committed it sends nothing and never acks.
   */
  handleUpdate(update: ZaloUpdate, ack?: () => void): Promise<void>;
  /** Long polls until the signal aborts. Network errors back off (1 s doubling to 30 s). */
  poll(signal: AbortSignal, opts?: { timeoutSec?: number; sleep?: (ms: number, signal: AbortSignal) => Promise<void> }): Promise<void>;
  /** The bot's own name (from getMe), used to strip @mentions. */
  setBotName(name: string | undefined): void;
}

export function createZaloAdapter(deps: ZaloAdapterDeps): ZaloAdapter {
  const { client, core, senders, log } = deps;
  const now = deps.now ?? (() => Date.now());
  let botName: string | undefined;

  async function handleUpdate(update: ZaloUpdate, ack?: () => void): Promise<void> {
    try {
      const msg = zaloUpdateToMessage(update, botName);
      if (!msg) {
        log.debug({ event: update?.event_name }, 'zalo update ignored');
        ack?.();
        return;
      }
      const replies = await handleAcked(core, msg, now(), ack, log);
      if (!replies) return;
      await deliverReplies(replies, { channel: 'zalo', chatId: msg.chatId }, senders, log.child({ channel: 'zalo', updateKey: msg.updateKey }), {
        ...(deps.pauses ? { pauses: deps.pauses } : {}),
        now,
      });
    } catch (e) {
      log.error({ err: redact(String((e as Error)?.message ?? e)) }, 'zalo update failed');
    }
  }

  async function poll(signal: AbortSignal, opts: { timeoutSec?: number; sleep?: (ms: number, signal: AbortSignal) => Promise<void> } = {}): Promise<void> {
    const sleep = opts.sleep ?? abortableSleep;
    const timeout = opts.timeoutSec ?? 30;
    let backoff = 1000;
    while (!signal.aborted) {
      let update: ZaloUpdate | null;
      try {
        update = await client.getUpdates({ timeout, signal });
        backoff = 1000;
      } catch (e) {
        if (signal.aborted) break;
        // An API refusal (bad token, webhook set) will not cure itself quickly: wait the longest.
        const wait = e instanceof ZaloApiError ? 30_000 : backoff;
        log.warn({ err: (e as Error).message, retryInMs: wait }, 'zalo getUpdates failed');
        await sleep(wait, signal);
        backoff = Math.min(backoff * 2, 30_000);
        continue;
      }
      if (update) await handleUpdate(update);
    }
  }

  return {
    handleUpdate,
    poll,
    setBotName(name) {
      botName = name;
    },
  };
}
