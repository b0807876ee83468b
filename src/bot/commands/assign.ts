import { assignTask } from '../../app/assign.ts';
import { assignRecurring, stopRepeat as stopRepeatTask } from '../../app/recurring/chat.ts';
import { DomainError } from '../../domain/errors.ts';
import { looksLikeRule, parseRule, splitLeadingRule } from '../../domain/recurrence.ts';
import { normCode } from '../../domain/text.ts';
import { CHAIR, defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE =
  '/giao <mã đơn vị> <hạn dd/mm/yyyy hoặc dd/mm> <nội dung>, ví dụ: /giao XA-AN 30/09/2026 Rà soát hộ nghèo; nhiệm vụ định kỳ: /giao XA-AN hằng tháng ngày 20 Báo cáo CCHC';

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
  help: [{ roles: CHAIR, order: 100, text: '/giao XA-AN 30/09/2026 Rà soát hộ nghèo — giao nhiệm vụ' }],
  scope: 'private',
  action: 'assign',
  parse(rest) {
    const [unit, r1] = splitFirst(rest);
    const [deadline, title] = splitFirst(r1);
    if (!unit || !deadline || !title) return usageOf(USAGE, 'Thiếu mã đơn vị, hạn hoặc nội dung.');
    if (!DATE_LIKE.test(deadline)) {
      const rec = splitLeadingRule(r1);
      if (rec && rec.rest) return { kind: 'assignRecurring', unitCode: normCode(unit), ruleText: rec.ruleText, title: rec.rest };
      if (rec) return usageOf(USAGE, 'Thiếu nội dung nhiệm vụ định kỳ.');
      if (looksLikeRule(r1)) return { kind: 'usage', message: ruleProblem(r1) };
    }
    return { kind: 'assign', unitCode: normCode(unit), deadline, title };
  },
  kinds: ['assign', 'assignRecurring'],
  run(ctx, actor, cmd) {
    if (cmd.kind === 'assign') return assignTask(ctx, actor, cmd.unitCode, cmd.deadline, cmd.title);
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
