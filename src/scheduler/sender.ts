// Drains the outbox through the channels, within their rate limits. Every
// message ends sent or failed with the reason. A message is marked sent right
// after its send, so a crash in between repeats at most that one message.
//
// Any number of drains may run at once (a cron `nhacviec tick` beside
// `nhacviec start`, or two overlapping ticks, on one SQLite file or one
// PostgreSQL server): a drain sends a channel's messages only while it holds
// that channel's lease, so one process sends in each chat's order and within
// the bot's rate limits, and it claims each message before sending it, so a
// message is never sent by two drains even when a lease changes hands mid-send.
// A 429 pauses the channel for every process (src/channels/bot-pause.ts): the
// drain notes it in the database and looks for another's before each send.
// A drain renews its lease during a long round too, and takes over at once the
// lease of a drain whose process is gone (killed on this machine: its pid no
// longer exists); a drain on another machine that died is replaced once its
// lease runs out (LEASE_MS), so within 30 s either way.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Button, StoredFileRef } from '../bot/types.ts';
import { splitText } from '../bot/split.ts';
import { dbPauses, pauseEnd, type BotPauses } from '../channels/bot-pause.ts';
import { holderIsGone, takeLeaseFromGone } from '../channels/exclusive.ts';
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
import type { Db } from '../db/db.ts';
import { leaseHolder, releaseLease } from '../db/leases.repo.ts';
import {
  boundUnitName,
  claim,
  enqueue,
  failChatPending,
  isBoundGroup,
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
  /** This drain's name in leases and claims (default: host, pid and a random part). */
  holder?: string;
  /** How long its leases hold without renewal (default LEASE_MS). */
  leaseMs?: number;
  /** The bot-wide 429 pauses; share one with the process's reply path (default: its own, on `db`). */
  pauses?: BotPauses;
  /** Whether a lease's holder is known to be gone (default holderIsGone: a process of this machine that no longer exists). */
  gone?: (holder: string) => boolean;
}

export interface DrainResult {
  sent: number;
  failed: number;
  retried: number;
  /** When the next pending message may go (undefined: nothing pending for a channel this drain holds). */
  nextAt?: number;
  /** Channels another process is draining now: their messages are left to it. */
  elsewhere?: Channel[];
}

/** Payload of an outbox row (JSON in outbox.payload). */
export interface OutboxPayload {
  taskIds?: number[];
  buttons?: Button[][];
  photo?: { filename: string; base64: string };
  /** A file of the store (evidence), by reference: big files are never copied into the outbox. */
  file?: StoredFileRef;
  /** A picture at a public HTTPS address (Zalo), sent with the text as its caption. */
  photoUrl?: string;
}

export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_CAP_MS = 30 * 60_000;
const BATCH = 200;
/**
 * How long a drain's lease on a channel holds without being renewed; a drain renews it every
 * round, and within a round every LEASE_MS / 3. A drain that died elsewhere is replaced within
 * this plus the others' wait between two rounds (at most 5 s in `nhacviec start`): under 30 s.
 */
export const LEASE_MS = 20_000;
/** How long a claim on one message holds: longer than sending one message (its pieces and their rate waits) can take. */
export const CLAIM_MS = 120_000;

/**
 * A drain that takes a channel over from another (dead or stopped) drain sends nothing for this
 * long: the other may have sent a second's worth just before, which this drain's rate windows
 * do not know of (per chat and overall, both per second; a bit more than the windows' own length).
 */
export const HANDOVER_MS = 1_100;

/**
 * Longest wait (a rate window, a pause) worth waiting in place: a longer one skips the
 * chat for this round, and a pause found between the pieces of a message puts it back.
 */
const MAX_INLINE_WAIT_MS = 1000;

/** The bot is paused on the channel (a 429 another process saw) until `until`. */
class BotPaused extends Error {
  constructor(readonly until: number) {
    super(`bot paused after a 429 until ${new Date(until).toISOString()}`);
  }
}

export function leaseName(channel: Channel): string {
  return `drain:${channel}`;
}

export function defaultHolder(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

export interface OutboxSender {
  /** Sends what is due now, waiting only between the pieces of one message. */
  drainOnce(): Promise<DrainResult>;
  /** Sends until nothing is pending or the next message is further than `maxWaitMs` from the start. */
  drain(maxWaitMs: number, shouldStop?: () => boolean): Promise<DrainResult>;
  /** Gives up the leases this drain holds (at a clean exit), so another process takes over at once. */
  release(): Promise<void>;
}

export function createOutboxSender(deps: SenderDeps): OutboxSender {
  const { db, config, log } = deps;
  const clock = deps.clock ?? realClock;
  const holder = deps.holder ?? defaultHolder();
  const leaseMs = deps.leaseMs ?? LEASE_MS;
  const gone = deps.gone ?? holderIsGone;
  const pauses = deps.pauses ?? dbPauses(db, { by: holder });
  const held = new Set<Channel>();
  const byChannel = new Map<Channel, ChannelSender>(deps.senders.map((s) => [s.channel, s]));
  const channels = [...byChannel.keys()];
  const limiters = new Map<Channel, ChannelRateLimiter>();
  const zoneClock = localClock(config.zone);
  const limiter = (ch: Channel) => {
    let l = limiters.get(ch);
    if (!l) limiters.set(ch, (l = new ChannelRateLimiter(ch === 'zalo' ? config.rateLimits.zalo : config.rateLimits.telegram)));
    return l;
  };
  /** Pauses the channel's limiter as long as any process's 429 asks (a cached look at the database). */
  const syncPause = async (ch: Channel): Promise<void> => {
    const until = await pauses.until(ch, clock.now());
    if (until !== undefined) limiter(ch).pause(until);
  };

  /** Takes or renews this drain's lease on each channel; the channels it holds now. */
  async function leaseChannels(now: number): Promise<{ mine: Channel[]; elsewhere: Channel[] }> {
    const mine: Channel[] = [];
    const elsewhere: Channel[] = [];
    for (const ch of channels) {
      // Not held by this drain: whose was it (expired or not)?
      const before = held.has(ch) ? undefined : await leaseHolder(db, leaseName(ch), 0);
      const ok = await takeLeaseFromGone(db, leaseName(ch), holder, now, leaseMs, gone);
      if (ok) {
        if (!held.has(ch)) log.info({ channel: ch, holder }, 'took the drain lease');
        if (before && before.holder !== holder) limiter(ch).pause(now + HANDOVER_MS);
        held.add(ch);
        mine.push(ch);
      } else {
        held.delete(ch);
        elsewhere.push(ch);
      }
    }
    return { mine, elsewhere };
  }

  async function sendRow(row: OutboxRow, sender: ChannelSender, group: boolean): Promise<void> {
    const payload: OutboxPayload = row.payload ? JSON.parse(row.payload) : {};
    const pieces = payload.photo || payload.photoUrl ? [row.text] : splitText(row.text, sender.maxTextLength);
    const lim = limiter(row.channel);
    for (let i = 0; i < pieces.length; i++) {
      // Waits for the limits, looking again for a pause after each wait: another process's
      // 429 puts the message back rather than have it hold its claim through the pause.
      for (;;) {
        await syncPause(row.channel);
        const paused = lim.pausedUntil(clock.now());
        if (paused !== undefined && paused - clock.now() > MAX_INLINE_WAIT_MS) throw new BotPaused(paused);
        const wait = lim.waitMs(row.chatId, group, clock.now());
        if (wait <= 0) break;
        await clock.sleep(wait);
      }
      const msg: OutgoingMessage = { chatId: row.chatId, text: pieces[i] };
      if (i === pieces.length - 1 && payload.buttons) msg.buttons = payload.buttons;
      if (payload.photo) msg.photo = { filename: payload.photo.filename, content: Buffer.from(payload.photo.base64, 'base64') };
      if (i === pieces.length - 1 && payload.file) msg.file = payload.file;
      if (payload.photoUrl) msg.photoUrl = payload.photoUrl;
      // Recorded when the call returns, which is after the server counted it: our
      // window then never runs ahead of the server's, whatever the latency.
      try {
        await sender.send(msg);
      } finally {
        lim.record(row.chatId, group, clock.now());
      }
    }
  }

  async function tellAdmins(tx: Db, channel: Channel, chatId: string, now: number): Promise<void> {
    const unitName = await boundUnitName(tx, channel, chatId);
    const where = unitName ? `nhóm ${channelName(channel)} của ${unitName}` : `nhóm ${channelName(channel)} (mã ${chatId})`;
    const text = `⚠️ Bot không gửi được tin vào ${where}: bot đã bị chặn hoặc bị mời ra khỏi nhóm. Các nhắc việc của nhóm này đã dừng. Hãy thêm lại bot vào nhóm rồi gõ /nhom <mã đơn vị> để gắn lại.`;
    for (const admin of await activeOfficersByRole(tx, 'admin')) {
      for (const c of (await privateChatsOfOfficer(tx, admin.id)).slice(0, 1)) {
        await enqueue(tx, { key: `broken:${channel}:${chatId}:${now}:${admin.id}`, channel: c.channel, chatId: c.chatId, kind: 'admin', text, createdAt: now, notBefore: now });
      }
    }
  }

  async function settle(row: OutboxRow, e: unknown, now: number, res: DrainResult): Promise<void> {
    const reason = redact(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)).slice(0, 500);
    if (e instanceof BotPaused) {
      await db.tx((tx) => markRetry(tx, row.id, e.until, reason, false));
      res.retried++;
    } else if (e instanceof RateLimited) {
      const until = pauseEnd(e.retryAfterSec, now);
      limiter(row.channel).pause(until);
      await pauses.note(row.channel, until);
      await db.tx((tx) => markRetry(tx, row.id, until, reason, false));
      res.retried++;
    } else if (e instanceof ChatMigrated) {
      await db.tx(async (tx) => {
        await moveBinding(tx, row.channel, row.chatId, e.newChatId);
        await moveChatPending(tx, row.channel, row.chatId, e.newChatId);
      });
      log.info({ channel: row.channel, from: row.chatId, to: e.newChatId }, 'chat migrated: binding moved');
      res.retried++;
    } else if (e instanceof ChatForbidden) {
      await db.tx(async (tx) => {
        await markFailed(tx, row.id, reason);
        const why = `Nhóm không nhận tin (bot bị chặn hoặc bị xóa): ${reason}`;
        await failChatPending(tx, row.channel, row.chatId, why);
        if (await markBindingBroken(tx, row.channel, row.chatId)) await tellAdmins(tx, row.channel, row.chatId, now);
      });
      log.warn({ channel: row.channel, chatId: row.chatId }, 'chat forbidden: binding marked broken');
      res.failed++;
    } else if (e instanceof PermanentSendError) {
      await db.tx((tx) => markFailed(tx, row.id, reason));
      res.failed++;
    } else {
      // TransientSendError, a network error, or anything unexpected: retry with capped backoff.
      if (!(e instanceof TransientSendError)) log.error({ err: reason, outboxId: row.id }, 'unexpected send error');
      if (row.attempts + 1 >= MAX_ATTEMPTS) {
        await db.tx((tx) => markFailed(tx, row.id, `Hết ${MAX_ATTEMPTS} lần thử: ${reason}`));
        res.failed++;
      } else {
        await db.tx((tx) => markRetry(tx, row.id, now + backoffMs(row.attempts + 1), reason, true));
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
    let { mine, elsewhere } = await leaseChannels(now);
    let renewedAt = now;
    const rows = await pendingDue(db, mine, now, BATCH);
    for (const row of rows) {
      // A long round (rate waits) renews the leases before they could run out, and sends
      // nothing more for a channel whose lease went to another drain meanwhile.
      if (clock.now() - renewedAt >= Math.floor(leaseMs / 3)) {
        renewedAt = clock.now();
        ({ mine, elsewhere } = await leaseChannels(renewedAt));
      }
      if (!mine.includes(row.channel)) continue;
      const sender = byChannel.get(row.channel);
      if (!sender) continue;
      await syncPause(row.channel);
      const paused = limiter(row.channel).pausedUntil(clock.now());
      if (paused !== undefined && paused - clock.now() > MAX_INLINE_WAIT_MS) {
        res.nextAt = Math.min(res.nextAt ?? Infinity, paused);
        continue;
      }
      const group = await isBoundGroup(db, row.channel, row.chatId);
      // Other chats may be free while this one waits: skip it rather than stall the others.
      const wait = limiter(row.channel).waitMs(row.chatId, group, clock.now());
      if (wait > MAX_INLINE_WAIT_MS) {
        res.nextAt = Math.min(res.nextAt ?? Infinity, clock.now() + wait);
        continue;
      }
      const at = clock.now();
      // Another drain has it (or it was settled since it was read): leave it, and with it its chat.
      if (!(await db.tx((tx) => claim(tx, row.id, holder, at, at + CLAIM_MS)))) continue;
      try {
        await sendRow(row, sender, group);
      } catch (e) {
        await settle(row, e, clock.now(), res);
        continue;
      }
      if (await db.tx((tx) => markSent(tx, row.id, clock.now(), holder))) res.sent++;
      else log.warn({ outboxId: row.id }, 'sent after its claim ran out: another drain may have sent it too');
    }
    if (elsewhere.length > 0) res.elsewhere = elsewhere;
    // Something happened: look again at once (the next message of each chat, new ones, moved ones).
    if (res.sent + res.failed + res.retried > 0) res.nextAt = clock.now();
    const later = await nextPendingAt(db, mine, clock.now());
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
        total.elsewhere = r.elsewhere;
        if (r.nextAt === undefined || r.nextAt > deadline || shouldStop()) return total;
        // Never spin: a round that did nothing waits at least a moment. A long wait is
        // cut into rounds short enough to renew the leases before they run out.
        const idle = r.sent + r.failed + r.retried === 0;
        const wait = Math.min(Math.max(r.nextAt - clock.now(), idle ? 50 : 0), Math.max(50, Math.floor(leaseMs / 3)));
        if (wait > 0) await clock.sleep(wait);
      }
    },
    async release() {
      for (const ch of [...held]) {
        await db.tx((tx) => releaseLease(tx, leaseName(ch), holder));
        held.delete(ch);
      }
    },
  };
}

function channelName(c: Channel): string {
  return c === 'telegram' ? 'Telegram' : c === 'zalo' ? 'Zalo' : 'thử nghiệm';
}
