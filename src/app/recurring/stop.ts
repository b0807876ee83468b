// Stopping a rule: no new occurrences; every occurrence already created stays.
import type { Db } from '../../db/open.ts';
import { occurrencesOfRule, ruleByCode, stopRuleRow, type RuleRow } from '../../db/recurring.repo.ts';
import { InvalidInput, NotFound } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';
import { inDb } from '../tx.ts';

export function findRule(db: Db, code: string): RuleRow {
  const rule = ruleByCode(db, normCode(code));
  if (!rule) throw new NotFound(`Không có nhiệm vụ định kỳ mã ${code.slice(0, 30)}. Gõ /viec để xem các nhiệm vụ.`);
  return rule;
}

/** Stops the rule; returns it and how many occurrences it keeps. */
export function stopRule(db: Db, code: string, now: number): { rule: RuleRow; kept: number } {
  return inDb(db, () => {
    const rule = findRule(db, code);
    if (!stopRuleRow(db, rule.id, now)) throw new InvalidInput(`Nhiệm vụ định kỳ ${rule.code} đã dừng lặp từ trước.`);
    return { rule, kept: occurrencesOfRule(db, rule.id, rule.code).length };
  });
}
