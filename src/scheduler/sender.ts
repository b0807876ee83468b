// Drains the outbox through the channels, within their rate limits. Every
// message ends sent or failed with the reason. A message is marked sent right
// after its send, so a crash in between repeats at most that one message.
import type { Button } from '../bot/types.ts';
import { splitText } from '../bot/split.ts';
import {
  ChatForbidden,
  ChatMigrated,
  PermanentSendError,
  RateLimited,
  TransientSendError,
  type ChannelSender,
  type OutgoingMessage,
} from '../channels/types.ts';
import type { Config } from '../config.ts';
import { privateChatsOfOfficer } from '../db/accounts.repo.ts';
import { activeOfficersByRole } from '../db/officers.repo.ts';
import { inTransaction, type Db } from '../db/open.ts';
import {
  enqueue,
  failChatPending,
  markBindingBroken,
  markFailed,
  markRetry,
  markSent,
  moveBinding,
  moveChatPending,
  nextPendingAt,
  pendingDue,
  type OutboxRow,
} from '../db/outbox.repo.ts';
import type { Channel } from '../db/schema.ts';
import { stmt } from '../db/statements.ts';
import { localClock } from '../domain/local-clock.ts';
import { releaseAfterQuiet } from '../domain/reminders.ts';
import { redact, type Logger } from '../log.ts';
import { ChannelRateLimiter } from './rate-limit.ts';

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

export interface SenderDeps {
  db: Db;
  config: Config;
  log: Logger;
  senders: ChannelSender[];
  clock?: Clock;
}

export interface DrainResult {
  sent: number;
  failed: number;
  retried: number;
  /** When the next pending message may go (undefined: nothing pending for a configured channel). */
  nextAt?: number;
}

/** Payload of an outbox row (JSON in outbox.payload). */
export interface OutboxPayload {
  taskIds?: number[];
  buttons?: Button[][];
  photo?: { filename: string; base64: string };
}

export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 30 * 60_000;
const BATCH = 200;

export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

export interface OutboxSender {
  /** Sends what is due now, waiting only between the pieces of one message. */
  drainOnce(): Promise<DrainResult>;
  /** Sends until nothing is pending or the next message is further than `maxWaitMs` from the start. */
  drain(maxWaitMs: number, shouldStop?: () => boolean): Promise<DrainResult>;
}

export function createOutboxSender(deps: SenderDeps): OutboxSender {
  const { db, config, log } = deps;
  const clock = deps.clock ?? realClock;
  const byChannel = new Map<Channel, ChannelSender>(deps.senders.map((s) => [s.channel, s]));
  const channels = [...byChannel.keys()];
  const limiters = new Map<Channel, ChannelRateLimiter>();
  const zoneClock = localClock(config.zone);
  const limiter = (ch: Channel) => {
    let l = limiters.get(ch);
    if (!l) limiters.set(ch, (l = new ChannelRateLimiter(ch === 'zalo' ? config.rateLimits.zalo : config.rateLimits.telegram)));
    return l;
  };
  const isGroup = (ch: Channel, chatId: string) => stmt(db, 'SELECT 1 FROM group_bindings WHERE channel = ? AND chat_id = ?').get(ch, chatId) !== undefined;

  async function sendRow(row: OutboxRow, sender: ChannelSender, group: boolean): Promise<void> {
    const payload: OutboxPayload = row.payload ? JSON.parse(row.payload) : {};
    const pieces = payload.photo ? [row.text] : splitText(row.text, sender.maxTextLength);
    const lim = limiter(row.channel);
    for (let i = 0; i < pieces.length; i++) {
      const wait = lim.waitMs(row.chatId, group, clock.now());
      if (wait > 0) await clock.sleep(wait);
      const msg: OutgoingMessage = { chatId: row.chatId, text: pieces[i] };
      if (i === pieces.length - 1 && payload.buttons) msg.buttons = payload.buttons;
      if (payload.photo) msg.photo = { filename: payload.photo.filename, content: Buffer.from(payload.photo.base64, 'base64') };
      // Recorded when the call returns, which is after the server counted it: our
      // window then never runs ahead of the server's, whatever the latency.
      try {
        await sender.send(msg);
      } finally {
        lim.record(row.chatId, group, clock.now());
      }
    }
  }

  function tellAdmins(channel: Channel, chatId: string, now: number): void {
    const unit = stmt(db, 'SELECT u.name FROM group_bindings b LEFT JOIN units u ON u.id = b.unit_id WHERE b.channel = ? AND b.chat_id = ?').get(
      channel,
      chatId,
    ) as { name: string | null } | undefined;
    const where = unit?.name ? `nhóm ${channelName(channel)} của ${unit.name}` : `nhóm ${channelName(channel)} (mã ${chatId})`;
    const text = `⚠️ Bot không gửi được tin vào ${where}: bot đã bị chặn hoặc bị mời ra khỏi nhóm. Các nhắc việc của nhóm này đã dừng. Hãy thêm lại bot vào nhóm rồi gõ /nhom <mã đơn vị> để gắn lại.`;
    for (const admin of activeOfficersByRole(db, 'admin')) {
      for (const c of privateChatsOfOfficer(db, admin.id).slice(0, 1)) {
        enqueue(db, { key: `broken:${channel}:${chatId}:${now}:${admin.id}`, channel: c.channel, chatId: c.chatId, kind: 'admin', text, createdAt: now, notBefore: now });
      }
    }
  }

  function settle(row: OutboxRow, e: unknown, now: number, res: DrainResult): void {
    const reason = redact(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)).slice(0, 500);
    if (e instanceof RateLimited) {
      const until = now + Math.max(1, e.retryAfterSec) * 1000;
      limiter(row.channel).pause(until);
      markRetry(db, row.id, until, reason, false);
      res.retried++;
    } else if (e instanceof ChatMigrated) {
      inTransaction(db, () => {
        moveBinding(db, row.channel, row.chatId, e.newChatId);
        moveChatPending(db, row.channel, row.chatId, e.newChatId);
      });
      log.info({ channel: row.channel, from: row.chatId, to: e.newChatId }, 'chat migrated: binding moved');
      res.retried++;
    } else if (e instanceof ChatForbidden) {
      inTransaction(db, () => {
        markFailed(db, row.id, reason);
        const why = `Nhóm không nhận tin (bot bị chặn hoặc bị xóa): ${reason}`;
        failChatPending(db, row.channel, row.chatId, why);
        if (markBindingBroken(db, row.channel, row.chatId)) tellAdmins(row.channel, row.chatId, now);
      });
      log.warn({ channel: row.channel, chatId: row.chatId }, 'chat forbidden: binding marked broken');
      res.failed++;
    } else if (e instanceof PermanentSendError) {
      markFailed(db, row.id, reason);
      res.failed++;
    } else {
      // TransientSendError, a network error, or anything unexpected: retry with capped backoff.
      if (!(e instanceof TransientSendError)) log.error({ err: reason, outboxId: row.id }, 'unexpected send error');
      if (row.attempts + 1 >= MAX_ATTEMPTS) {
        markFailed(db, row.id, `Hết ${MAX_ATTEMPTS} lần thử: ${reason}`);
        res.failed++;
      } else {
        markRetry(db, row.id, now + backoffMs(row.attempts + 1), reason, true);
        res.retried++;
      }
    }
  }

  async function drainOnce(): Promise<DrainResult> {
    const res: DrainResult = { sent: 0, failed: 0, retried: 0 };
    const now = clock.now();
    const release = releaseAfterQuiet(now, config.quietHours, zoneClock);
    if (release !== now) {
      res.nextAt = release;
      return res;
    }
    const rows = pendingDue(db, channels, now, BATCH);
    for (const row of rows) {
      const sender = byChannel.get(row.channel);
      if (!sender) continue;
      const group = isGroup(row.channel, row.chatId);
      // Other chats may be free while this one waits: skip it rather than stall the others.
      const wait = limiter(row.channel).waitMs(row.chatId, group, clock.now());
      if (wait > 1000) {
        res.nextAt = Math.min(res.nextAt ?? Infinity, clock.now() + wait);
        continue;
      }
      try {
        await sendRow(row, sender, group);
        markSent(db, row.id, clock.now());
        res.sent++;
      } catch (e) {
        settle(row, e, clock.now(), res);
      }
    }
    // Something happened: look again at once (the next message of each chat, new ones, moved ones).
    if (res.sent + res.failed + res.retried > 0) res.nextAt = clock.now();
    const later = nextPendingAt(db, channels, clock.now());
    if (later !== undefined) res.nextAt = Math.min(res.nextAt ?? Infinity, later);
    return res;
  }

  return {
    drainOnce,
    async drain(maxWaitMs, shouldStop = () => false) {
      const total: DrainResult = { sent: 0, failed: 0, retried: 0 };
      const deadline = clock.now() + maxWaitMs;
      for (;;) {
        const r = await drainOnce();
        total.sent += r.sent;
        total.failed += r.failed;
        total.retried += r.retried;
        total.nextAt = r.nextAt;
        if (r.nextAt === undefined || r.nextAt > deadline || shouldStop()) return total;
        // Never spin: a round that did nothing waits at least a moment.
        const idle = r.sent + r.failed + r.retried === 0;
        const wait = Math.max(r.nextAt - clock.now(), idle ? 50 : 0);
        if (wait > 0) await clock.sleep(wait);
      }
    },
  };
}

function channelName(c: Channel): string {
  return c === 'telegram' ? 'Telegram' : c === 'zalo' ? 'Zalo' : 'thử nghiệm';
}
