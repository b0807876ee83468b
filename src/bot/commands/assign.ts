import { assignTask } from '../../app/assign.ts';
import { assignRecurring, stopRepeat as stopRepeatTask } from '../../app/recurring/chat.ts';
import { DomainError } from '../../domain/errors.ts';
import { looksLikeRule, parseRule, splitLeadingRule } from '../../domain/recurrence.ts';
import { fold, normCode } from '../../domain/text.ts';
import type { Command } from '../parse.ts';
import { CHAIR, defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE =
  '/giao <mã đơn vị> <hạn dd/mm/yyyy hoặc dd/mm, hoặc "không thời hạn"> <nội dung> [phối hợp: <mã>, <mã>], ví dụ: /giao XA-AN 30/09/2026 Rà soát hộ nghèo phối hợp: XA-SON; nhiệm vụ định kỳ: /giao XA-AN hằng tháng ngày 20 Báo cáo CCHC';

/** The trailing clause naming the co-ordinating units: "phối hợp: A, B" (also "phoi hop:", "cooperating:", "with:"). */
const COOPERATING = /(?:^|\s)(?:ph\p{L}i\s*h\p{L}p|cooperating|with)\s*:\s*([\s\S]*)$/iu;
/** "không thời hạn" (3 words) or "no deadline" (2), folded. */
const NO_DEADLINE: [number, string][] = [
  [3, 'khong thoi han'],
  [2, 'no deadline'],
];

/** The words after "không thời hạn" / "no deadline", or null when the text does not start so. */
function afterNoDeadline(text: string): string | null {
  for (const [n, phrase] of NO_DEADLINE) {
    let rest = text;
    const words: string[] = [];
    for (let i = 0; i < n; i++) {
      const [w, r] = splitFirst(rest);
      words.push(w);
      rest = r;
    }
    if (fold(words.join(' ')) === phrase) return rest;
  }
  return null;
}

/** /giao <mã> <hạn | không thời hạn> <nội dung> [phối hợp: …], or a recurring task. */
function parseAssign(input: string): Command {
  const coop = COOPERATING.exec(input);
  const rest = coop ? input.slice(0, coop.index) : input;
  const cooperating = coop ? coop[1].split(/[\s,;]+/).filter(Boolean).map(normCode) : [];
  if (coop && cooperating.length === 0) return usageOf(USAGE, 'Thiếu mã đơn vị phối hợp sau "phối hợp:".');
  const withCoop = cooperating.length > 0 ? { cooperating } : {};
  const [unit, r1] = splitFirst(rest);
  const undatedTitle = afterNoDeadline(r1);
  if (unit && undatedTitle !== null) {
    if (!undatedTitle) return usageOf(USAGE, 'Thiếu nội dung nhiệm vụ.');
    return { kind: 'assign', unitCode: normCode(unit), deadline: null, title: undatedTitle, ...withCoop };
  }
  const [deadline, title] = splitFirst(r1);
  if (!unit || !deadline || !title) return usageOf(USAGE, 'Thiếu mã đơn vị, hạn hoặc nội dung.');
  if (!DATE_LIKE.test(deadline)) {
    const rec = splitLeadingRule(r1);
    if (rec && cooperating.length > 0) return usageOf(USAGE, 'Nhiệm vụ định kỳ chưa nhận đơn vị phối hợp; hãy giao không kèm "phối hợp:".');
    if (rec && rec.rest) return { kind: 'assignRecurring', unitCode: normCode(unit), ruleText: rec.ruleText, title: rec.rest };
    if (rec) return usageOf(USAGE, 'Thiếu nội dung nhiệm vụ định kỳ.');
    if (looksLikeRule(r1)) return { kind: 'usage', message: ruleProblem(r1) };
  }
  return { kind: 'assign', unitCode: normCode(unit), deadline, title, ...withCoop };
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
  return `Cách gõ: ${USAGE}`;
}

export const assign = defineCommand({
  name: 'assign',
  words: { vi: ['giao'], ascii: ['giao'], en: ['assign'] },
  usage: USAGE,
  menu: 'Giao nhiệm vụ cho đơn vị',
  help: [
    {
      roles: CHAIR,
      order: 100,
      text: '/giao XA-AN 30/09/2026 Rà soát hộ nghèo — giao nhiệm vụ (thêm "phối hợp: XA-SON, XA-DONG" cho đơn vị phối hợp; "không thời hạn" thay cho hạn)',
    },
  ],
  scope: 'private',
  action: 'assign',
  parse: parseAssign,
  kinds: ['assign', 'assignRecurring'],
  run(ctx, actor, cmd) {
    if (cmd.kind === 'assign') return assignTask(ctx, actor, cmd.unitCode, cmd.deadline, cmd.title, cmd.cooperating);
    return assignRecurring(ctx, actor, cmd.unitCode, cmd.ruleText, cmd.title);
  },
});

const STOP_USAGE = '/dunglap <mã nhiệm vụ định kỳ>, ví dụ: /dunglap BC-THANG';
export const stopRepeat = defineCommand({
  name: 'stopRepeat',
  words: { vi: ['dừng lặp'], ascii: ['dunglap'], en: ['stoprepeat'] },
  usage: STOP_USAGE,
  menu: 'Dừng lặp nhiệm vụ định kỳ',
  help: [
    {
      roles: CHAIR,
      order: 110,
      text: '/giao XA-AN hằng tháng ngày 20 Báo cáo CCHC — giao nhiệm vụ định kỳ (hằng quý ngày 15 tháng cuối quý, hằng năm ngày 15/12, thứ sáu hằng tuần…); /dunglap <mã> — dừng lặp',
    },
  ],
  scope: 'private',
  action: 'stopRepeat',
  parse(rest) {
    const [code] = splitFirst(rest);
    return code ? { kind: 'stopRepeat', code: normCode(code) } : usageOf(STOP_USAGE, 'Thiếu mã nhiệm vụ định kỳ.');
  },
  kinds: ['stopRepeat'],
  run: (ctx, actor, cmd) => stopRepeatTask(ctx, actor, cmd.code),
});
