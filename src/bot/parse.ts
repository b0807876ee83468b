// The command parser: the command word (Vietnamese, without diacritics or English, matched case- and
// diacritics-insensitively) is looked up in the registry (commands/index.ts), whose entry parses the rest.
// Pure: no database, no clock.
import { entryOf, fold, normCode } from '../domain/text.ts';
import { WORD_TABLE } from './commands/index.ts';

export type Command =
  | { kind: 'help' }
  | { kind: 'register'; code: string }
  /** mine: the tasks whose officer (người thực hiện) is the sender. */
  | { kind: 'tasks'; filter: 'all' | 'overdue' | 'week' | 'mine' }
  | { kind: 'taskDetail'; code: string }
  | { kind: 'done'; code: string; note?: string; reason?: string }
  /** A reply "xong" to a bot message: the core picks the one existing task code among the candidates. */
  | { kind: 'doneByReply'; candidates: string[] }
  | { kind: 'extend'; code: string; date: string; reason: string }
  | { kind: 'approve'; id: number }
  | { kind: 'reject'; id: number; reason?: string }
  | { kind: 'status'; args: string }
  | { kind: 'report'; period: string }
  /** /camket [mã đơn vị] [năm]: a unit's commitment (another unit's: chairs only). */
  | { kind: 'commitments'; year?: number; unitCode?: string }
  /** /camket capnhat [mã đơn vị] <mã chỉ tiêu> <giá trị> [nguồn]: a measured value for a reported target. */
  | { kind: 'commitmentUpdate'; year?: number; unitCode?: string; targetCode: string; value: string; source?: string }
  /** /camket tongket [năm]: the scorecard of every unit (chairs). */
  | { kind: 'commitmentScorecard'; year?: number }
  /** deadline null: không thời hạn; cooperating: the co-ordinating units' codes (phối hợp). */
  | { kind: 'assign'; unitCode: string; deadline: string | null; title: string; cooperating?: string[] }
  /** /giao with a recurrence rule instead of a deadline: creates a recurring task. */
  | { kind: 'assignRecurring'; unitCode: string; ruleText: string; title: string }
  | { kind: 'stopRepeat'; code: string }
  /** /phancong <mã> <mã cán bộ>: the officer of the lead unit who carries the task out. */
  | { kind: 'delegate'; code: string; officerCode: string }
  /** /tamdung <mã> <lý do>, /tieptuc <mã> */
  | { kind: 'suspend'; code: string; reason: string }
  | { kind: 'resume'; code: string }
  /** /web: a one-time sign-in link, privately. */
  | { kind: 'web' }
  | { kind: 'bindGroup'; target: { unitCode: string } | 'leadership' }
  /** /xacnhan <mã>: a chair confirms a completion report. */
  | { kind: 'confirm'; code: string }
  /** /tralai <mã> <lý do>: a chair sends a report back (a button gives no reason: a default sentence). */
  | { kind: 'returnTask'; code: string; reason?: string }
  /** /minhchung <mã>: with a photo or file, adds it; without, sends the evidence back. */
  | { kind: 'evidence'; code: string }
  /** A photo or file sent in reply to a bot message (a reminder): evidence of the one task it names. */
  | { kind: 'evidenceByReply'; candidates: string[] }
  /** A known command with arguments that do not fit: `message` says what to type. */
  | { kind: 'usage'; message: string }
  | { kind: 'unknown'; word: string }
  /** Nothing for the bot (ordinary chatter in a group). */
  | { kind: 'none' };

export interface ParseContext {
  chatType: 'private' | 'group';
  botUsername?: string;
  replyToText?: string;
  /** The message carries a photo or file. */
  attachment?: boolean;
}

const ATTACHMENT_WITHOUT_COMMAND =
  'Để lưu ảnh hoặc tệp làm minh chứng, hãy gửi lại kèm chú thích /minhchung <mã nhiệm vụ> (hoặc /xong <mã nhiệm vụ> nếu đã hoàn thành).';

const DONE_REPLIES = new Set(['xong', 'da xong', 'hoan thanh', 'da hoan thanh', 'done', 'ok xong']);
/** Anything shaped like a code with a digit in it: NV-2026-0001, 12/KH, CT01. */
const CODE_LIKE = /[A-Za-z0-9._/-]*[0-9][A-Za-z0-9._/-]*/g;

/** Candidate task codes in a bot message (a reminder): normalised and de-duplicated. */
export function codeCandidates(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.normalize('NFC').matchAll(CODE_LIKE)) {
    const c = normCode(m[0].replace(/^[._/-]+|[._/-]+$/g, ''));
    if (c) out.add(c);
  }
  return [...out];
}

function splitFirst(s: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(s.trim());
  return m ? [m[1], m[2].trim()] : ['', ''];
}

/** Parses one message. In a group a slash is required, except a "xong" reply to a bot message. */
export function parseCommand(input: string, ctx: ParseContext): Command {
  // Leading invisible characters (zero-width space, BOM) would hide the slash; the rest is kept literally.
  const text = input.normalize('NFC').replace(/^[\s\u200B-\u200D\u2060\uFEFF]+/, '').trim();
  const folded = fold(text);
  if (ctx.replyToText !== undefined && DONE_REPLIES.has(folded.replace(/[!.]+$/, '').replace(/^\//, ''))) {
    return { kind: 'doneByReply', candidates: codeCandidates(ctx.replyToText) };
  }
  const slashed = text.startsWith('/');
  // A photo or file without a command, in reply to a bot message: evidence of the task it names.
  if (ctx.attachment && !slashed && ctx.replyToText !== undefined) return { kind: 'evidenceByReply', candidates: codeCandidates(ctx.replyToText) };
  if (ctx.attachment && text === '' && ctx.chatType === 'private') return { kind: 'usage', message: ATTACHMENT_WITHOUT_COMMAND };
  if (!slashed && ctx.chatType === 'group') return { kind: 'none' };
  if (text === '' || text === '/') return ctx.chatType === 'group' ? { kind: 'none' } : { kind: 'unknown', word: '' };

  const [head, rest] = splitFirst(slashed ? text.slice(1) : text);
  const at = head.indexOf('@');
  if (at >= 0) {
    const target = head.slice(at + 1).toLowerCase();
    // "/viec@otherbot" in a group is for another bot.
    if (ctx.botUsername && target && target !== ctx.botUsername.toLowerCase()) return { kind: 'none' };
  }
  const bare = at >= 0 ? head.slice(0, at) : head;
  const key = (s: string) => fold(s).replace(/[^a-z]/g, '');
  const spec = entryOf(WORD_TABLE, key(bare));
  // Telegram's deep link t.me/<bot>?start=<mã mời> arrives as "/start <mã mời>": a registration.
  const register = entryOf(WORD_TABLE, 'dangky');
  if (spec && key(bare) === 'start' && rest && register) return register.parse(rest);
  if (spec) return spec.parse(rest);
  // Two-word spellings: "/tình hình", "/từ chối", "/đăng ký".
  const [second, after] = splitFirst(rest);
  const twoWords = at < 0 && second ? entryOf(WORD_TABLE, key(bare + second)) : undefined;
  if (twoWords) return twoWords.parse(after);
  return { kind: 'unknown', word: slashed ? bare.slice(0, 30) : '' };
}
