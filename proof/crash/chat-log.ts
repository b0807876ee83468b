// What the emulator saw the bot send, sorted into acknowledged completions
// (private chats) and reminder messages (unit groups), each tagged with the
// bot process (epoch = processes ended so far) that was running when it arrived.
import type { BotMessage } from '../lib/telegram-emulator.ts';

/** The core's answers meaning "this task is done": just recorded, or already on record. */
const ACK = [/Đã ghi nhận: (DN-\d+) hoàn thành/u, /Nhiệm vụ (DN-\d+) đã được báo hoàn thành/u];
const REMINDER_HEAD = /Nhắc việc/u;
const RM_CODE = /\bRM-\d+\b/gu;

export class ChatLog {
  /** DN code → epoch of its first acknowledgement. */
  readonly acked = new Map<string, number>();
  /** chat + text of a reminder message → the epochs in which a copy arrived. */
  readonly reminderCopies = new Map<string, number[]>();
  /** RM code → the group chats a reminder for it reached. */
  readonly remindedIn = new Map<string, Set<string>>();
  epoch = 0;

  constructor(private groups: ReadonlySet<string>) {}

  add(m: BotMessage): void {
    if (this.groups.has(m.chatId)) {
      if (!REMINDER_HEAD.test(m.text.split('\n', 1)[0])) return;
      const key = `${m.chatId}\n${m.text}`;
      const copies = this.reminderCopies.get(key) ?? [];
      copies.push(this.epoch);
      this.reminderCopies.set(key, copies);
      for (const code of m.text.match(RM_CODE) ?? []) {
        const chats = this.remindedIn.get(code) ?? new Set<string>();
        chats.add(m.chatId);
        this.remindedIn.set(code, chats);
      }
      return;
    }
    for (const re of ACK) {
      const code = re.exec(m.text)?.[1];
      if (code && !this.acked.has(code)) this.acked.set(code, this.epoch);
    }
  }

  /** Copies of a reminder message beyond the first. */
  duplicates(): number {
    let n = 0;
    for (const c of this.reminderCopies.values()) n += c.length - 1;
    return n;
  }

  /**
   * The most extra copies one kill caused. A copy beyond the first means the copy before it
   * went out but was not marked sent: the kill that ended that copy's process lifetime caused
   * it, whenever the repeat came (at once, or once the dead drain's claim on the message ran out).
   */
  duplicatesPerKillMax(): number {
    const perKill = new Map<number, number>();
    for (const c of this.reminderCopies.values()) for (const e of c.slice(0, -1)) perKill.set(e, (perKill.get(e) ?? 0) + 1);
    return Math.max(0, ...perKill.values());
  }
}
