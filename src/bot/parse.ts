// The command parser: Vietnamese command words first, each with an English alias,
// matched case- and diacritics-insensitively. Pure: no database, no clock.
import { DomainError } from '../domain/errors.ts';
import { looksLikeRule, parseRule, splitLeadingRule } from '../domain/recurrence.ts';
import { entryOf, fold, normCode } from '../domain/text.ts';

export type Command =
  | { kind: 'help' }
  | { kind: 'register'; code: string }
  | { kind: 'tasks'; filter: 'all' | 'overdue' | 'week' }
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
  | { kind: 'commitmentUpdate'; unitCode?: string; targetCode: string; value: string; source?: string }
  /** /camket tongket [năm]: the scorecard of every unit (chairs). */
  | { kind: 'commitmentScorecard'; year?: number }
  | { kind: 'assign'; unitCode: string; deadline: string; title: string }
  /** /giao with a recurrence rule instead of a deadline: creates a recurring task. */
  | { kind: 'assignRecurring'; unitCode: string; ruleText: string; title: string }
  | { kind: 'stopRepeat'; code: string }
  | { kind: 'bindGroup'; target: { unitCode: string } | 'leadership' }
  /** A known command with arguments that do not fit: `message` says what to type. */
  | { kind: 'usage'; message: string }
  | { kind: 'unknown'; word: string }
  /** Nothing for the bot (ordinary chatter in a group). */
  | { kind: 'none' };

export type CommandName =
  | 'help'
  | 'register'
  | 'tasks'
  | 'done'
  | 'extend'
  | 'approve'
  | 'reject'
  | 'status'
  | 'report'
  | 'commitments'
  | 'commitmentUpdate'
  | 'commitmentScorecard'
  | 'assign'
  | 'stopRepeat'
  | 'bindGroup';

/** Command words after fold + removal of everything but letters. Vietnamese first, then English. */
const WORDS: Record<string, CommandName> = {
  trogiup: 'help',
  huongdan: 'help',
  help: 'help',
  start: 'help',
  dangky: 'register',
  register: 'register',
  viec: 'tasks',
  nhiemvu: 'tasks',
  tasks: 'tasks',
  xong: 'done',
  hoanthanh: 'done',
  done: 'done',
  giahan: 'extend',
  extend: 'extend',
  duyet: 'approve',
  approve: 'approve',
  tuchoi: 'reject',
  reject: 'reject',
  tinhhinh: 'status',
  status: 'status',
  baocao: 'report',
  report: 'report',
  camket: 'commitments',
  commitments: 'commitments',
  giao: 'assign',
  assign: 'assign',
  dunglap: 'stopRepeat',
  stoprepeat: 'stopRepeat',
  nhom: 'bindGroup',
  bindgroup: 'bindGroup',
};

export const USAGE: Record<CommandName, string> = {
  help: '/trogiup',
  register: '/dangky <mã mời>, ví dụ: /dangky K7QM3XPA',
  tasks: '/viec, /viec quahan, /viec tuannay hoặc /viec <mã nhiệm vụ>',
  done: '/xong <mã nhiệm vụ> [ghi chú] [lý do: …], ví dụ: /xong NV-12',
  extend: '/giahan <mã nhiệm vụ> <ngày dd/mm/yyyy hoặc dd/mm> <lý do>, ví dụ: /giahan NV-12 30/09/2026 chờ số liệu của Sở',
  approve: '/duyet <số đề nghị>, ví dụ: /duyet 3',
  reject: '/tuchoi <số đề nghị> [lý do], ví dụ: /tuchoi 3 không đủ căn cứ',
  status: '/tinhhinh [mã đơn vị] [kỳ], ví dụ: /tinhhinh SO-NV quy 3',
  report: '/baocao [kỳ], ví dụ: /baocao 9 thang',
  commitments: '/camket [mã đơn vị] [năm], ví dụ: /camket 2026 hoặc /camket XA-AN 2026',
  commitmentUpdate: '/camket capnhat <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat CCHC-01 98,5% Cổng dịch vụ công',
  commitmentScorecard: '/camket tongket [năm], ví dụ: /camket tongket 2025',
  assign:
    '/giao <mã đơn vị> <hạn dd/mm/yyyy hoặc dd/mm> <nội dung>, ví dụ: /giao XA-AN 30/09/2026 Rà soát hộ nghèo; nhiệm vụ định kỳ: /giao XA-AN hằng tháng ngày 20 Báo cáo CCHC',
  stopRepeat: '/dunglap <mã nhiệm vụ định kỳ>, ví dụ: /dunglap BC-THANG',
  bindGroup: '/nhom <mã đơn vị> hoặc /nhom lanhdao',
};

export interface ParseContext {
  chatType: 'private' | 'group';
  botUsername?: string;
  replyToText?: string;
}

const DONE_REPLIES = new Set(['xong', 'da xong', 'hoan thanh', 'da hoan thanh', 'done', 'ok xong']);
/** "lý do:" / "ly do:" / "lý do trễ hạn:" inside /xong. */
const REASON_MARK = /(?:^|\s)l[yýỳỷỹỵ]\s+do(?:\s+tr[eễ]\s+h[aạ]n)?\s*:/i;
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

/** A deadline token: 30/09/2026, 30-9-2026, 2026-09-30, or the day and month alone (30/09). */
const DATE_LIKE = /^(?:\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?|\d{4}-\d{1,2}-\d{1,2})/;

/** Why the leading words of a /giao look like a rule but are not one (the accepted forms, with examples). */
function ruleProblem(text: string): string {
  // The longest prefix gives the most precise complaint; the words after a rule are the title.
  const words = text.split(/\s+/);
  for (let k = Math.min(words.length, 12); k >= 1; k--) {
    try {
      parseRule(words.slice(0, k).join(' '));
    } catch (e) {
      if (e instanceof DomainError && !/^Không hiểu/.test(e.message)) return e.message;
    }
  }
  try {
    parseRule(text);
  } catch (e) {
    if (e instanceof DomainError) return e.message;
  }
  return `Cách gõ: ${USAGE.assign}`;
}

function usage(name: CommandName, why?: string): Command {
  return { kind: 'usage', message: `${why ? `${why} ` : ''}Cách gõ: ${USAGE[name]}` };
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
  const name = entryOf(WORDS, key(bare));
  // Telegram's deep link t.me/<bot>?start=<mã mời> arrives as "/start <mã mời>": a registration.
  if (name === 'help' && key(bare) === 'start' && rest) return parseArgs('register', rest);
  if (name) return parseArgs(name, rest);
  // Two-word spellings: "/tình hình", "/từ chối", "/đăng ký".
  const [second, after] = splitFirst(rest);
  const twoWords = at < 0 && second ? entryOf(WORDS, key(bare + second)) : undefined;
  if (twoWords) return parseArgs(twoWords, after);
  return { kind: 'unknown', word: slashed ? bare.slice(0, 30) : '' };
}

const letters = (s: string) => fold(s).replace(/[^a-z]/g, '');

/** The words after /camket that name a sub-command ("cập nhật" and "tổng kết" also as two words). */
const COMMITMENT_SUBCOMMANDS: Record<string, CommandName> = {
  capnhat: 'commitmentUpdate',
  // A common misspelling of "cập nhật".
  capnhap: 'commitmentUpdate',
  update: 'commitmentUpdate',
  tongket: 'commitmentScorecard',
  scorecard: 'commitmentScorecard',
};

/** "", "2025", "năm 2025": undefined for none, null when it is not a year. */
function yearOf(text: string): number | undefined | null {
  const f = fold(text).replace(/^(nam|year)\s*/, '');
  if (f === '') return undefined;
  return /^\d{4}$/.test(f) ? Number(f) : null;
}

/** A unit code as typed: starts with a letter, letters, digits and . _ - after. */
const UNIT_CODE = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** /camket [mã đơn vị] [năm] */
function parseCommitmentView(rest: string): Command {
  const [first, after] = splitFirst(rest);
  const asYear = yearOf(rest);
  if (asYear !== null) return asYear === undefined ? { kind: 'commitments' } : { kind: 'commitments', year: asYear };
  if (!UNIT_CODE.test(first) || ['nam', 'year'].includes(letters(first))) return usage('commitments', `"${rest.slice(0, 20)}" không phải năm hay mã đơn vị.`);
  const year = yearOf(after);
  if (year === null) return usage('commitments', `"${after.slice(0, 20)}" không phải năm.`);
  return year === undefined ? { kind: 'commitments', unitCode: normCode(first) } : { kind: 'commitments', unitCode: normCode(first), year };
}

const NUMBER_START = /^[+-]?\d/;
const SOURCE_MARK = /^ngu[oồ]n\s*:\s*/i;

/**
 * /camket capnhat [mã đơn vị] <mã chỉ tiêu> <giá trị> [nguồn]. The value is the
 * first word that starts like a number among the second and third: with it in
 * third place, the first word is a unit code (a chair updating another unit).
 */
function parseCommitmentUpdate(rest: string): Command {
  const [a, r1] = splitFirst(rest);
  const [b, r2] = splitFirst(r1);
  const [c, r3] = splitFirst(r2);
  if (!a || !b) return usage('commitmentUpdate', a ? 'Thiếu giá trị.' : 'Thiếu mã chỉ tiêu và giá trị.');
  const withUnit = !NUMBER_START.test(b) && NUMBER_START.test(c);
  const [targetCode, valueWord, after] = withUnit ? [b, c, r3] : [a, b, r2];
  // "98,5 %": the percent sign typed apart belongs to the value.
  const [next, afterNext] = splitFirst(after);
  const [value, sourceText] = next === '%' ? [`${valueWord}%`, afterNext] : [valueWord, after];
  const source = sourceText.replace(SOURCE_MARK, '').trim();
  return {
    kind: 'commitmentUpdate',
    ...(withUnit ? { unitCode: normCode(a) } : {}),
    targetCode: normCode(targetCode),
    value,
    ...(source ? { source } : {}),
  };
}

function parseArgs(name: CommandName, rest: string): Command {
  switch (name) {
    case 'help':
      return { kind: 'help' };
    case 'register': {
      const code = rest.replace(/[\s-]/g, '').toUpperCase();
      return code ? { kind: 'register', code } : usage(name, 'Thiếu mã mời.');
    }
    case 'tasks': {
      const f = fold(rest).replace(/\s+/g, '');
      if (f === '') return { kind: 'tasks', filter: 'all' };
      if (f === 'quahan' || f === 'overdue') return { kind: 'tasks', filter: 'overdue' };
      if (f === 'tuannay' || f === 'week' || f === 'thisweek') return { kind: 'tasks', filter: 'week' };
      const [code] = splitFirst(rest);
      return { kind: 'taskDetail', code: normCode(code) };
    }
    case 'done': {
      const [code, after] = splitFirst(rest);
      if (!code) return usage(name, 'Thiếu mã nhiệm vụ.');
      const m = REASON_MARK.exec(after);
      const note = (m ? after.slice(0, m.index) : after).trim();
      const reason = m ? after.slice(m.index + m[0].length).trim() : undefined;
      return { kind: 'done', code: normCode(code), note: note || undefined, reason: reason || undefined };
    }
    case 'extend': {
      const [code, r1] = splitFirst(rest);
      const [date, reason] = splitFirst(r1);
      if (!code || !date) return usage(name, 'Thiếu mã nhiệm vụ hoặc ngày.');
      if (!reason) return usage(name, 'Cần ghi lý do xin gia hạn.');
      return { kind: 'extend', code: normCode(code), date, reason };
    }
    case 'approve':
    case 'reject': {
      const [n, reason] = splitFirst(rest);
      if (!/^#?\d{1,9}$/.test(n)) return usage(name, n ? `"${n.slice(0, 20)}" không phải số đề nghị.` : 'Thiếu số đề nghị.');
      const id = Number(n.replace('#', ''));
      return name === 'approve' ? { kind: 'approve', id } : { kind: 'reject', id, reason: reason || undefined };
    }
    case 'status':
      return { kind: 'status', args: rest };
    case 'report':
      return { kind: 'report', period: rest };
    case 'commitments': {
      const [first, after] = splitFirst(rest);
      const sub = entryOf(COMMITMENT_SUBCOMMANDS, letters(first));
      if (sub) return parseArgs(sub, after);
      const [second, afterTwo] = splitFirst(after);
      const subTwo = second ? entryOf(COMMITMENT_SUBCOMMANDS, letters(first + second)) : undefined;
      if (subTwo) return parseArgs(subTwo, afterTwo);
      return parseCommitmentView(rest);
    }
    case 'commitmentUpdate':
      return parseCommitmentUpdate(rest);
    case 'commitmentScorecard': {
      const year = yearOf(rest);
      if (year === null) return usage(name, `"${rest.slice(0, 20)}" không phải năm.`);
      return year === undefined ? { kind: 'commitmentScorecard' } : { kind: 'commitmentScorecard', year };
    }
    case 'assign': {
      const [unit, r1] = splitFirst(rest);
      const [deadline, title] = splitFirst(r1);
      if (!unit || !deadline || !title) return usage(name, 'Thiếu mã đơn vị, hạn hoặc nội dung.');
      if (!DATE_LIKE.test(deadline)) {
        const rec = splitLeadingRule(r1);
        if (rec && rec.rest) return { kind: 'assignRecurring', unitCode: normCode(unit), ruleText: rec.ruleText, title: rec.rest };
        if (rec) return usage(name, 'Thiếu nội dung nhiệm vụ định kỳ.');
        if (looksLikeRule(r1)) return { kind: 'usage', message: ruleProblem(r1) };
      }
      return { kind: 'assign', unitCode: normCode(unit), deadline, title };
    }
    case 'stopRepeat': {
      const [code] = splitFirst(rest);
      return code ? { kind: 'stopRepeat', code: normCode(code) } : usage(name, 'Thiếu mã nhiệm vụ định kỳ.');
    }
    case 'bindGroup': {
      const [arg] = splitFirst(rest);
      if (!arg) return usage(name, 'Thiếu mã đơn vị.');
      const f = fold(rest).replace(/[^a-z]/g, '');
      if (f === 'lanhdao' || f === 'leadership') return { kind: 'bindGroup', target: 'leadership' };
      return { kind: 'bindGroup', target: { unitCode: normCode(arg) } };
    }
  }
}
