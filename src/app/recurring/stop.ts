// Stopping a rule: no new occurrences; every occurrence already created stays.
import type { Db } from '../../db/open.ts';
import { occurrencesOfRule, ruleByCode, stopRuleRow, type RuleRow } from '../../db/recurring.repo.ts';
import { InvalidInput, NotFound } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';

export async function findRule(db: Db, code: string): Promise<RuleRow> {
  const rule = await ruleByCode(db, normCode(code));
  if (!rule) throw new NotFound(`Không có nhiệm vụ định kỳ mã ${code.slice(0, 30)}. Gõ /viec để xem các nhiệm vụ.`);
  return rule;
}

/** Stops the rule; returns it and how many occurrences it keeps. */
export async function stopRule(db: Db, code: string, now: number): Promise<{ rule: RuleRow; kept: number }> {
  return db.tx(async (tx) => {
    const rule = await findRule(tx, code);
    if (!(await stopRuleRow(tx, rule.id, now))) throw new InvalidInput(`Nhiệm vụ định kỳ ${rule.code} đã dừng lặp từ trước.`);
    return { rule, kept: (await occurrencesOfRule(tx, rule.id, rule.code)).length };
  });
}
