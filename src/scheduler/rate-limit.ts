// Sliding-window rate limits per channel: overall per second, per chat per
// second, per group per minute. The clock is a parameter, so tests and the
// benchmark control time.

export interface RateConfig {
  perChatPerSec: number;
  perGroupPerMin: number;
  globalPerSec: number;
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
  private pausedUntil = 0;

  constructor(private readonly cfg: RateConfig) {
    this.global = windowOf(cfg.globalPerSec, 1000);
  }

  /** How long to wait before the next send to this chat (0 = now). */
  waitMs(chatId: string, isGroup: boolean, now: number): number {
    let w = Math.max(this.pausedUntil - now, this.global.waitMs(now), this.chat(chatId).waitMs(now));
    if (isGroup) w = Math.max(w, this.group(chatId).waitMs(now));
    return Math.max(0, w);
  }

  record(chatId: string, isGroup: boolean, now: number): void {
    this.global.record(now);
    this.chat(chatId).record(now);
    if (isGroup) this.group(chatId).record(now);
  }

  /** The server said 429: nothing goes to this channel before `until`. */
  pause(until: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, until);
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
