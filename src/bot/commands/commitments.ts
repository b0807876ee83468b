import { commitmentsFromChat, recordFromChat, scorecardFromChat } from '../../app/commitments/chat.ts';
import { entryOf, fold, normCode } from '../../domain/text.ts';
import type { Command } from '../parse.ts';
import { ALL_ROLES, CHAIR, defineCommand, letters, splitFirst, usageOf } from './spec.ts';

const USAGE = '/camket [mã đơn vị] [năm], ví dụ: /camket 2026 hoặc /camket XA-AN 2026';
const UPDATE_USAGE = '/camket capnhat [năm] <mã chỉ tiêu> <giá trị> [nguồn], ví dụ: /camket capnhat 2025 CCHC-01 98,4%';
/** A leading year of /camket capnhat: "2025", "năm 2025", "year 2025". */
const LEADING_YEAR = /^(?:(?:nam|năm|year)\s+)?(\d{4})\s+/iu;
const SCORECARD_USAGE = '/camket tongket [năm], ví dụ: /camket tongket 2025';

/** "", "2025", "năm 2025": undefined for none, null when it is not a year. */
function yearOf(text: string): number | undefined | null {
  const f = fold(text).replace(/^(nam|year)\s*/, '');
  if (f === '') return undefined;
  return /^\d{4}$/.test(f) ? Number(f) : null;
}

/** A unit code as typed: starts with a letter, letters, digits and . _ - after. */
const UNIT_CODE = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** /camket [mã đơn vị] [năm] */
function parseView(rest: string): Command {
  const [first, after] = splitFirst(rest);
  const asYear = yearOf(rest);
  if (asYear !== null) return asYear === undefined ? { kind: 'commitments' } : { kind: 'commitments', year: asYear };
  if (!UNIT_CODE.test(first) || ['nam', 'year'].includes(letters(first))) return usageOf(USAGE, `"${rest.slice(0, 20)}" không phải năm hay mã đơn vị.`);
  const year = yearOf(after);
  if (year === null) return usageOf(USAGE, `"${after.slice(0, 20)}" không phải năm.`);
  return year === undefined ? { kind: 'commitments', unitCode: normCode(first) } : { kind: 'commitments', unitCode: normCode(first), year };
}

const NUMBER_START = /^[+-]?\d/;
const SOURCE_MARK = /^ngu[oồ]n\s*:\s*/i;

/**
 * /camket capnhat [năm] [mã đơn vị] <mã chỉ tiêu> <giá trị> [nguồn]. The value is the
 * first word that starts like a number among the second and third: with it in
 * third place, the first word is a unit code (a chair updating another unit).
 */
function parseUpdate(input: string): Command {
  const y = LEADING_YEAR.exec(input.trim());
  const year = y && Number(y[1]) >= 2000 && Number(y[1]) <= 2100 ? Number(y[1]) : undefined;
  const rest = year !== undefined && y ? input.trim().slice(y[0].length) : input;
  const [a, r1] = splitFirst(rest);
  const [b, r2] = splitFirst(r1);
  const [c, r3] = splitFirst(r2);
  if (!a || !b) return usageOf(UPDATE_USAGE, a ? 'Thiếu giá trị.' : 'Thiếu mã chỉ tiêu và giá trị.');
  const withUnit = !NUMBER_START.test(b) && NUMBER_START.test(c);
  const [targetCode, valueWord, after] = withUnit ? [b, c, r3] : [a, b, r2];
  // "98,5 %": the percent sign typed apart belongs to the value.
  const [next, afterNext] = splitFirst(after);
  const [value, sourceText] = next === '%' ? [`${valueWord}%`, afterNext] : [valueWord, after];
  const source = sourceText.replace(SOURCE_MARK, '').trim();
  return {
    kind: 'commitmentUpdate',
    ...(year !== undefined ? { year } : {}),
    ...(withUnit ? { unitCode: normCode(a) } : {}),
    targetCode: normCode(targetCode),
    value,
    ...(source ? { source } : {}),
  };
}

function parseScorecard(rest: string): Command {
  const year = yearOf(rest);
  if (year === null) return usageOf(SCORECARD_USAGE, `"${rest.slice(0, 20)}" không phải năm.`);
  return year === undefined ? { kind: 'commitmentScorecard' } : { kind: 'commitmentScorecard', year };
}

/** The words after /camket that name a sub-command ("cập nhật" and "tổng kết" also as two words). */
const SUBCOMMANDS: Record<string, (rest: string) => Command> = {
  capnhat: parseUpdate,
  // A common misspelling of "cập nhật".
  capnhap: parseUpdate,
  update: parseUpdate,
  tongket: parseScorecard,
  scorecard: parseScorecard,
};

export const commitments = defineCommand({
  name: 'commitments',
  words: { vi: ['cam kết'], ascii: ['camket'], en: ['commitments'] },
  usage: USAGE,
  menu: 'Cam kết năm và các chỉ tiêu của đơn vị',
  help: [
    { roles: ALL_ROLES, order: 40, text: '/camket [năm] — cam kết năm và các chỉ tiêu của đơn vị' },
    { roles: ['officer', 'head', 'admin'], order: 70, text: '/camket capnhat [năm] CCHC-01 98,5% [nguồn] — cập nhật số liệu chỉ tiêu cam kết của đơn vị' },
    { roles: CHAIR, order: 130, text: '/camket XA-AN [năm] — cam kết của một đơn vị; /camket tongket [năm] — xếp hạng thực hiện cam kết' },
    { roles: CHAIR, order: 140, text: '/camket capnhat [năm] [mã đơn vị] CCHC-01 98,5% [nguồn] — cập nhật số liệu chỉ tiêu cam kết' },
  ],
  scope: 'both',
  action: 'commitments',
  subActions: ['recordTarget', 'scorecard'],
  parse(rest) {
    const [first, after] = splitFirst(rest);
    const sub = entryOf(SUBCOMMANDS, letters(first));
    if (sub) return sub(after);
    const [second, afterTwo] = splitFirst(after);
    const subTwo = second ? entryOf(SUBCOMMANDS, letters(first + second)) : undefined;
    if (subTwo) return subTwo(afterTwo);
    return parseView(rest);
  },
  kinds: ['commitments', 'commitmentUpdate', 'commitmentScorecard'],
  run(ctx, actor, cmd) {
    if (cmd.kind === 'commitmentUpdate') return recordFromChat(ctx, actor, { unitCode: cmd.unitCode, targetCode: cmd.targetCode, value: cmd.value, source: cmd.source, year: cmd.year });
    if (cmd.kind === 'commitmentScorecard') return scorecardFromChat(ctx, actor, cmd.year);
    return commitmentsFromChat(ctx, actor, { unitCode: cmd.unitCode, year: cmd.year });
  },
});
