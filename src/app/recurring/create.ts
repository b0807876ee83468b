// Creating a recurring rule: parse, store, generate its first occurrences, and say
// back what was understood (including an occurrence already past, which is skipped).
import type { Db } from '../../db/open.ts';
import { insertRuleIfFree, maxRuleSeq, ruleByCode, setTaskRule, taskCodePrefixTaken, type NewRule, type RuleRow } from '../../db/recurring.repo.ts';
import { taskByCode } from '../../db/tasks.repo.ts';
import { unitByCode } from '../../db/units.repo.ts';
import { dayNumber, localDate } from '../../domain/calendar.ts';
import { InvalidInput, NotFound } from '../../domain/errors.ts';
import { describeRule, occurrences, parseRule, periodLengthDays, periodStartOf, type Occurrence } from '../../domain/recurrence.ts';
import { normCode } from '../../domain/text.ts';
import { AHEAD, generateForRule } from './generate.ts';
import { calendarOf, localDay, periodLabel, type CalendarConfig } from './rule-spec.ts';

export interface CreateRuleInput {
  /** Rule code (BC-THANG); generated as DK-001, DK-002… when absent. */
  code?: string;
  unitCode: string;
  title: string;
  ruleText: string;
  assignedBy: string;
  sourceDoc?: string;
}

export interface CreatedRule {
  rule: RuleRow;
  description: string;
  /** The occurrence of the current period whose deadline had already passed, if any. */
  skipped: Occurrence | null;
  upcoming: Occurrence[];
  /** The Vietnamese confirmation. */
  text: string;
}

const CODE_RE = /^[A-Z0-9][A-Z0-9._-]{0,29}$/;
/** Generated codes tried before giving up (each taken one was created meanwhile by another process). */
const CODE_TRIES = 20;
const MAX_TITLE = 500;

function fmt(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** Parses and stores a rule, then generates its first occurrences, all in one transaction. */
export async function createRule(db: Db, input: CreateRuleInput, now: number, config: CalendarConfig): Promise<CreatedRule> {
  const spec = parseRule(input.ruleText);
  const unit = await unitByCode(db, normCode(input.unitCode));
  if (!unit) throw new NotFound(`Không có đơn vị mã ${input.unitCode.slice(0, 30)}. Kiểm tra lại mã đơn vị.`);
  const title = input.title.trim().slice(0, MAX_TITLE);
  if (!title) throw new InvalidInput('Thiếu nội dung nhiệm vụ định kỳ, ví dụ: Báo cáo tình hình CCHC.');
  const cal = calendarOf(config);
  const today = localDay(now, config.zone);
  const upcoming = occurrences(spec, today, AHEAD, cal);
  if (upcoming.length === 0) {
    throw new InvalidInput('Quy tắc này không còn kỳ nào từ hôm nay trở đi (ngày kết thúc đã qua). Hãy kiểm tra ngày kết thúc.');
  }
  const lookBack = localDate(dayNumber(today) - periodLengthDays(spec.pattern));
  // Only an occurrence due in the current period counts as "already past"; older ones were never this rule's.
  const periodStart = periodStartOf(spec.pattern, today);
  const missed = occurrences({ ...spec, maxCount: undefined, endsOn: undefined }, lookBack, 3, cal).filter(
    (o) => o.deadline < today && o.deadline >= periodStart,
  );
  const skipped = missed.length > 0 ? missed[missed.length - 1] : null;

  const fields: Omit<NewRule, 'code'> = {
    unitId: unit.id,
    title,
    assignedBy: input.assignedBy,
    sourceDoc: input.sourceDoc ?? '',
    ruleText: input.ruleText.trim(),
    ruleJson: JSON.stringify(spec.pattern),
    startsOn: today,
    endsOn: spec.endsOn ?? null,
    maxCount: spec.maxCount ?? null,
    shift: spec.shift,
    createdAt: now,
  };
  const rule = await db.tx(async (tx) => {
    const prefixTaken = (code: string) =>
      new InvalidInput(`Đã có nhiệm vụ mã bắt đầu bằng ${code}-. Hãy chọn mã khác cho nhiệm vụ định kỳ.`);
    let code: string | undefined;
    if (input.code) {
      const wanted = normCode(input.code);
      const used = new InvalidInput(`Mã ${wanted} đã được dùng cho một nhiệm vụ định kỳ khác. Hãy chọn mã khác.`);
      if (!CODE_RE.test(wanted)) throw new InvalidInput(`Mã "${wanted.slice(0, 30)}" không hợp lệ: chỉ dùng chữ không dấu, số và dấu gạch ngang, ví dụ BC-THANG.`);
      if (await ruleByCode(tx, wanted)) throw used;
      if (await taskCodePrefixTaken(tx, wanted)) throw prefixTaken(wanted);
      if ((await insertRuleIfFree(tx, { code: wanted, ...fields })) === undefined) throw used;
      code = wanted;
    } else {
      // Next code = the highest + 1; another process may take it at the same moment: then the next one.
      let n = (await maxRuleSeq(tx, 'DK-')) + 1;
      for (let i = 0; i < CODE_TRIES && code === undefined; i++, n++) {
        const next = `DK-${String(n).padStart(3, '0')}`;
        if (await taskCodePrefixTaken(tx, next)) throw prefixTaken(next);
        if ((await insertRuleIfFree(tx, { code: next, ...fields })) !== undefined) code = next;
      }
      if (code === undefined) throw new Error('no free recurring rule code');
    }
    const row = (await ruleByCode(tx, code))!;
    await generateForRule(tx, row, now, config.zone, cal);
    return row;
  });

  const description = describeRule(spec);
  const lines = [`Đã tạo nhiệm vụ định kỳ ${rule.code} cho ${unit.name}: ${title}`, `Quy tắc: ${description}`];
  if (skipped) {
    lines.push(
      `Kỳ ${periodLabel(skipped.periodKey)} (hạn ${fmt(skipped.deadline)}) đã qua nên bắt đầu từ kỳ ${periodLabel(upcoming[0].periodKey)}.`,
    );
  }
  lines.push(`Các kỳ tới: ${upcoming.map((o) => `${rule.code}-${o.periodKey} hạn ${fmt(o.deadline)}`).join('; ')}.`);
  return { rule, description, skipped, upcoming, text: lines.join('\n') };
}

/**
 * Where a rule attached to a task starts: the day after the task's deadline, or
 * today when that day is already past, so an old task never yields overdue occurrences.
 */
export function attachedRuleStart(taskDeadline: number, now: number, zone: string): string {
  const after = localDate(dayNumber(localDay(taskDeadline, zone)) + 1);
  const today = localDay(now, zone);
  return after > today ? after : today;
}

/** The rule code of a task made recurring by attachRule. */
export const attachedRuleCode = (taskCode: string): string => `${taskCode}-LL`;

/**
 * Makes an existing one-off task the first occurrence of a new rule (for the
 * tasks import's `repeat` / `Lặp lại` column): the rule gets code = the task's
 * code + "-LL", the unit, title and assigner of the task, and starts after the
 * task's deadline (see attachedRuleStart).
 */
export async function attachRule(db: Db, taskCode: string, ruleText: string, now: number, config: CalendarConfig): Promise<CreatedRule> {
  const task = await taskByCode(db, normCode(taskCode));
  if (!task) throw new NotFound(`Không có nhiệm vụ mã ${taskCode.slice(0, 30)}.`);
  if (task.deadline === null) throw new InvalidInput(`Nhiệm vụ ${task.code} không có thời hạn, nên không lặp lại theo hạn được.`);
  const spec = parseRule(ruleText);
  const cal = calendarOf(config);
  const after = attachedRuleStart(task.deadline, now, config.zone);
  const upcoming = occurrences(spec, after, AHEAD, cal);
  return db.tx(async (tx) => {
    const code = attachedRuleCode(task.code);
    const taken = new InvalidInput(`Nhiệm vụ ${task.code} đã có quy tắc lặp lại ${code}.`);
    if (await ruleByCode(tx, code)) throw taken;
    const id = await insertRuleIfFree(tx, {
      code,
      unitId: task.unitId,
      title: task.title,
      assignedBy: task.assignedBy,
      sourceDoc: task.sourceDoc,
      ruleText: ruleText.trim(),
      ruleJson: JSON.stringify(spec.pattern),
      startsOn: after,
      endsOn: spec.endsOn ?? null,
      maxCount: spec.maxCount ?? null,
      shift: spec.shift,
      createdAt: now,
    });
    if (id === undefined) throw taken;
    const rule = (await ruleByCode(tx, code))!;
    await setTaskRule(tx, task.id, rule.id, now);
    await generateForRule(tx, rule, now, config.zone, cal);
    const description = describeRule(spec);
    const text = `Nhiệm vụ ${task.code} lặp lại theo quy tắc ${code}: ${description}`;
    return { rule, description, skipped: null, upcoming, text };
  });
}
