// The drain's sliding windows, and the share of the overall rate it leaves to direct replies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG_DIR, ConfigError, loadConfig } from '../../src/config.ts';
import { ChannelRateLimiter, drainGlobalPerSec, type RateConfig } from '../../src/scheduler/rate-limit.ts';

const T0 = 1_718_000_000_000;
const telegram: RateConfig = { perChatPerSec: 1, perGroupPerMin: 20, globalPerSec: 30, replyReservePerSec: 5 };

/** Sends as fast as the limiter allows to `chats` in turn; the instants of the sends. */
function run(lim: ChannelRateLimiter, chats: string[], n: number, isGroup = false): number[] {
  const times: number[] = [];
  let now = T0;
  for (let i = 0; i < n; i++) {
    const chat = chats[i % chats.length];
    now += lim.waitMs(chat, isGroup, now);
    lim.record(chat, isGroup, now);
    times.push(now);
  }
  return times;
}

/** The most sends in any window of `ms`. */
function busiest(times: number[], ms: number): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i] - times[j] >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('rate limiter', () => {
  it('leaves the reply reserve out of the overall rate', () => {
    expect(drainGlobalPerSec(telegram)).toBe(25);
    expect(drainGlobalPerSec({ ...telegram, replyReservePerSec: undefined })).toBe(30);
    expect(drainGlobalPerSec({ ...telegram, replyReservePerSec: 40 })).toBe(3);
    const chats = Array.from({ length: 200 }, (_, i) => `u${i}`);
    const times = run(new ChannelRateLimiter(telegram), chats, 200);
    expect(busiest(times, 1000)).toBe(25);
    // It still uses what it has: 200 sends in a little over 7 s.
    expect(times[199] - T0).toBeLessThan(8_000);
  });

  it('keeps one a second per chat and 20 a minute per group', () => {
    const chat = run(new ChannelRateLimiter(telegram), ['p1'], 5);
    for (let i = 1; i < chat.length; i++) expect(chat[i] - chat[i - 1]).toBeGreaterThanOrEqual(1000);
    const group = run(new ChannelRateLimiter(telegram), ['-100'], 45, true);
    expect(busiest(group, 60_000)).toBe(20);
  });

  it('takes a fractional rate as one send per so many seconds', () => {
    const times = run(new ChannelRateLimiter({ perChatPerSec: 0.5, perGroupPerMin: 20, globalPerSec: 30 }), ['p1'], 3);
    expect(times[1] - times[0]).toBeGreaterThanOrEqual(2000);
    expect(times[2] - times[1]).toBeGreaterThanOrEqual(2000);
  });

  it('holds every chat during a pause, and reports it', () => {
    const lim = new ChannelRateLimiter(telegram);
    expect(lim.pausedUntil(T0)).toBeUndefined();
    lim.pause(T0 + 7000);
    lim.pause(T0 + 3000);
    expect(lim.pausedUntil(T0)).toBe(T0 + 7000);
    expect(lim.waitMs('p1', false, T0 + 1000)).toBe(6000);
    expect(lim.waitMs('-100', true, T0 + 1000)).toBe(6000);
    expect(lim.pausedUntil(T0 + 7000)).toBeUndefined();
    expect(lim.waitMs('p1', false, T0 + 7000)).toBe(0);
  });
});

describe('replyReservePerSec in the config', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  function withRates(edit: (rates: Record<string, Record<string, number>>) => void): string {
    const file = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, 'default.json'), 'utf8')) as { rateLimits: Record<string, Record<string, number>> };
    edit(file.rateLimits);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-config-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'default.json'), JSON.stringify(file));
    return dir;
  }

  it('ships 5 a second for Telegram and 1 for Zalo, the same when a config file leaves it out', () => {
    const shipped = loadConfig({}).rateLimits;
    expect([shipped.telegram.replyReservePerSec, shipped.zalo.replyReservePerSec]).toEqual([5, 1]);
    const dir = withRates((r) => {
      delete r.telegram.replyReservePerSec;
      delete r.zalo.replyReservePerSec;
    });
    const old = loadConfig({ NHACVIEC_CONFIG: dir }).rateLimits;
    expect([old.telegram.replyReservePerSec, old.zalo.replyReservePerSec]).toEqual([5, 1]);
  });

  it('must stay under the overall rate', () => {
    const dir = withRates((r) => {
      r.zalo.replyReservePerSec = 5;
    });
    expect(() => loadConfig({ NHACVIEC_CONFIG: dir })).toThrow(ConfigError);
    expect(() => loadConfig({ NHACVIEC_CONFIG: dir })).toThrow(/rateLimits\.zalo\.replyReservePerSec: phải nhỏ hơn globalPerSec/);
  });
});
