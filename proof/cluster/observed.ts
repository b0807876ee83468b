// What the cluster proof saw the bot send, through the emulator, sorted out:
// - answers in the officers' private chats, matched to what they typed, per
//   (chat, command, task): more answers than messages typed means an update was
//   handled twice (a repeat is dropped silently: no answer at all);
// - messages in the groups (reminders in the unit groups, extension requests in
//   the leadership group), each copy tagged with the number of kills so far, so
//   repeats can be blamed on a kill or found where no kill was;
// - rates, from the emulator's timestamps, in sliding windows.
import type { BotMessage } from '../lib/telegram-emulator.ts';
import { ChatLog } from '../crash/chat-log.ts';

/** What a message typed by an officer was, as a key: chat, command, task code (if any). */
export type TypedKey = string;

export const typedKey = (chatId: string, kind: 'done' | 'extend' | 'list', code = ''): TypedKey => `${chatId}|${kind}|${code}`;

const ANSWERS: { re: RegExp; kind: 'done' | 'extend' | 'list'; code?: number }[] = [
  { re: /Đã ghi nhận: (DN-\d+) hoàn thành/u, kind: 'done', code: 1 },
  { re: /Nhiệm vụ (DN-\d+) đã được báo hoàn thành/u, kind: 'done', code: 1 },
  { re: /Đã gửi đề nghị gia hạn số \d+ cho (DN-\d+)/u, kind: 'extend', code: 1 },
  { re: /Nhiệm vụ (DN-\d+) đã có đề nghị gia hạn số \d+ đang chờ duyệt/u, kind: 'extend', code: 1 },
  { re: /Báo hoàn thành: \/xong <mã>|^Không có nhiệm vụ/u, kind: 'list' },
];
const EXTENSION_ACK = /Đã gửi đề nghị gia hạn số (\d+) cho (DN-\d+)|Nhiệm vụ (DN-\d+) đã có đề nghị gia hạn số (\d+) đang chờ duyệt/u;
const EXTENSION_NOTICE = /^Đề nghị gia hạn số (\d+): (DN-\d+)/u;

export class Observed {
  /** Reminders and acknowledged completions, as the crash proof reads them. */
  readonly chat: ChatLog;
  readonly typed = new Map<TypedKey, number>();
  readonly answered = new Map<TypedKey, number>();
  /** Extension request id → task code, for every request whose answer reached the officer. */
  readonly extensionsAcked = new Map<number, string>();
  /** Extension request ids whose notice reached the leadership group. */
  readonly noticed = new Set<number>();
  /** Answers in private chats that are none of the expected ones (an error, a refusal). */
  readonly unexpected: string[] = [];
  /** chat + text of a group message → the kill counts at which a copy arrived. */
  private copies = new Map<string, number[]>();
  private listeners = new Set<(key: TypedKey) => void>();
  kills = 0;

  constructor(
    readonly unitGroups: ReadonlySet<string>,
    readonly leadershipChat: string,
  ) {
    this.chat = new ChatLog(unitGroups);
  }

  /** Calls `fn` with the key of every answer (the officers' driver waits on it). */
  onAnswer(fn: (key: TypedKey) => void): void {
    this.listeners.add(fn);
  }

  noteTyped(key: TypedKey): void {
    this.typed.set(key, (this.typed.get(key) ?? 0) + 1);
  }

  add(m: BotMessage): void {
    this.chat.epoch = this.kills;
    this.chat.add(m);
    if (this.unitGroups.has(m.chatId) || m.chatId === this.leadershipChat) {
      const key = `${m.chatId}\n${m.text}`;
      const c = this.copies.get(key) ?? [];
      c.push(this.kills);
      this.copies.set(key, c);
      const notice = EXTENSION_NOTICE.exec(m.text);
      if (m.chatId === this.leadershipChat && notice) this.noticed.add(Number(notice[1]));
      return;
    }
    const ack = EXTENSION_ACK.exec(m.text);
    if (ack) this.extensionsAcked.set(Number(ack[1] ?? ack[4]), ack[2] ?? ack[3]);
    for (const a of ANSWERS) {
      const hit = a.re.exec(m.text);
      if (!hit) continue;
      const key = typedKey(m.chatId, a.kind, a.code ? hit[a.code] : '');
      this.answered.set(key, (this.answered.get(key) ?? 0) + 1);
      for (const fn of this.listeners) fn(key);
      return;
    }
    this.unexpected.push(m.text);
  }

  /** Answers beyond the messages typed, summed over (chat, command, task): updates handled twice. */
  updatesTwice(): number {
    let n = 0;
    for (const [k, a] of this.answered) n += Math.max(0, a - (this.typed.get(k) ?? 0));
    return n;
  }

  /** The most extra copies of group messages one kill caused (see ChatLog.duplicatesPerKillMax). */
  duplicatesPerKillMax(): number {
    const perKill = new Map<number, number>();
    for (const c of this.copies.values()) for (const e of c.slice(0, -1)) perKill.set(e, (perKill.get(e) ?? 0) + 1);
    return Math.max(0, ...perKill.values());
  }

  /** Extra copies of group messages that arrived before any kill: no kill can explain them. */
  duplicatesWithoutKills(): number {
    let n = 0;
    for (const c of this.copies.values()) n += Math.max(0, c.filter((e) => e === 0).length - 1);
    return n;
  }

  /** Extension requests acknowledged to the officer whose notice never reached the leadership group. */
  noticesLost(): number {
    return [...this.extensionsAcked.keys()].filter((id) => !this.noticed.has(id)).length;
  }
}

/** The most messages within any `windowMs` (t_last − t_first < windowMs) among sorted times. */
export function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

export interface Rates {
  /** Most messages to one group chat within a second (what the bot sends on its own: reminders, notices). */
  perChatPerSec: number;
  /** Most answers to one private chat within a second (direct replies, which the issue keeps immediate). */
  perPrivateChatPerSec: number;
  perGroupPerMin: number;
  globalPerSec: number;
}

export function rates(messages: readonly BotMessage[], groups: ReadonlySet<string>): Rates {
  const byChat = new Map<string, number[]>();
  for (const m of messages) {
    const t = byChat.get(m.chatId) ?? [];
    t.push(m.at);
    byChat.set(m.chatId, t);
  }
  const r: Rates = { perChatPerSec: 0, perPrivateChatPerSec: 0, perGroupPerMin: 0, globalPerSec: 0 };
  for (const [chat, times] of byChat) {
    times.sort((a, b) => a - b);
    if (groups.has(chat)) {
      r.perChatPerSec = Math.max(r.perChatPerSec, maxInWindow(times, 1_000));
      r.perGroupPerMin = Math.max(r.perGroupPerMin, maxInWindow(times, 60_000));
    } else {
      r.perPrivateChatPerSec = Math.max(r.perPrivateChatPerSec, maxInWindow(times, 1_000));
    }
  }
  r.globalPerSec = maxInWindow(
    messages.map((m) => m.at).sort((a, b) => a - b),
    1_000,
  );
  return r;
}
