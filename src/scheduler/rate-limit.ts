// Sliding-window rate limits per channel: overall per second, per chat per
// second, per group per minute. The clock is a parameter, so tests and the
// benchmark control time.
//
// The outbox is drained by one process at a time (its lease), so its per-chat
// and per-group windows hold for the bot as a whole. Direct replies (any
// process, any moment) are not counted here: the drain keeps its overall rate
// `replyReservePerSec` under the platform's, which leaves that much room for
// them. A 429 nonetheless pauses every process (src/channels/bot-pause.ts).

export interface RateConfig {
  perChatPerSec: number;
  perGroupPerMin: number;
  globalPerSec: number;
  /** Sends per second the drain leaves to direct replies (default 0). */
  replyReservePerSec?: number;
}

/** The drain's own overall rate: the platform's minus the replies' reserve (never below a tenth of it). */
export function drainGlobalPerSec(cfg: RateConfig): number {
  return Math.max(cfg.globalPerSec - (cfg.replyReservePerSec ?? 0), cfg.globalPerSec / 10);
}

/** Keeps the last `limit` send instants; a send is allowed once the oldest is `windowMs` old. */
class Window {
  private times: number[] = [];
  private head = 0;
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  waitMs(now: number): number {
    if (this.times.length < this.limit) return 0;
    return Math.max(0, this.times[this.head] + this.windowMs - now);
  }

  record(now: number): void {
    if (this.times.length < this.limit) this.times.push(now);
    else {
      this.times[this.head] = now;
      this.head = (this.head + 1) % this.limit;
    }
  }
}

/** A hair under the published limit, for rounding and clock granularity. */
const SAFETY = 1.002;

function windowOf(perPeriod: number, periodMs: number): Window {
  // A fractional rate (0.5/s) becomes one send per 2 s.
  const limit = Math.max(1, Math.floor(perPeriod));
  return new Window(limit, Math.ceil(((periodMs * limit) / perPeriod) * SAFETY));
}

export class ChannelRateLimiter {
  private global: Window;
  private chats = new Map<string, Window>();
  private groups = new Map<string, Window>();
  private pauseEnd = 0;

  constructor(private readonly cfg: RateConfig) {
    this.global = windowOf(drainGlobalPerSec(cfg), 1000);
  }

  /** How long to wait before the next send to this chat (0 = now). */
  waitMs(chatId: string, isGroup: boolean, now: number): number {
    let w = Math.max(this.pauseEnd - now, this.global.waitMs(now), this.chat(chatId).waitMs(now));
    if (isGroup) w = Math.max(w, this.group(chatId).waitMs(now));
    return Math.max(0, w);
  }

  record(chatId: string, isGroup: boolean, now: number): void {
    this.global.record(now);
    this.chat(chatId).record(now);
    if (isGroup) this.group(chatId).record(now);
  }

  /** Until when the channel is paused, or undefined when it is not at `now`. */
  pausedUntil(now: number): number | undefined {
    return this.pauseEnd > now ? this.pauseEnd : undefined;
  }

  /** The server said 429: nothing goes to this channel before `until`. */
  pause(until: number): void {
    this.pauseEnd = Math.max(this.pauseEnd, until);
  }

  private chat(id: string): Window {
    let w = this.chats.get(id);
    if (!w) this.chats.set(id, (w = windowOf(this.cfg.perChatPerSec, 1000)));
    return w;
  }

  private group(id: string): Window {
    let w = this.groups.get(id);
    if (!w) this.groups.set(id, (w = windowOf(this.cfg.perGroupPerMin, 60_000)));
    return w;
  }
}
