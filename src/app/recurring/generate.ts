// Generating occurrences ahead: every active rule has its next two occurrences as
// ordinary tasks. Idempotent: codes "<RULE>-<periodKey>" are unique and inserted
// with ON CONFLICT DO NOTHING, so a repeated tick creates nothing new and a tick after
// downtime creates what was missed, each exactly once.
import type { Db } from '../../db/open.ts';
import { activeRules, insertOccurrence, lastOccurrence, type RuleRow } from '../../db/recurring.repo.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { occurrencesFrom } from '../../domain/recurrence.ts';
import { fold } from '../../domain/text.ts';
import { calendarOf, endOfDate, localDay, periodLabel, specOf, startOfDate, type CalendarConfig } from './rule-spec.ts';

/** How many occurrences with a deadline today or later each active rule keeps ready. */
export const AHEAD = 2;

/** Creates the missing occurrences of one rule; returns how many were created. Call inside a transaction. */
export async function generateForRule(db: Db, rule: RuleRow, now: number, zone: string, cal: WorkCalendar): Promise<number> {
  const today = localDay(now, zone);
  let ahead = 0;
  let created = 0;
  const spec = specOf(rule);
  // Occurrences come in period order and none is ever deleted, so the missing ones are
  // those after the latest existing one; with a count the walk must start at the start.
  const last = spec.maxCount ? undefined : await lastOccurrence(db, rule.id, rule.code);
  const lastDay = last ? localDay(last.deadline, zone) : rule.startsOn;
  const from = [lastDay < today ? lastDay : today, rule.startsOn].sort()[1];
  for (const o of occurrencesFrom(spec, from, cal)) {
    // An occurrence is assigned when its period starts, never before the rule existed.
    const assignedAt = Math.max(startOfDate(o.periodStart, zone), rule.createdAt);
    const inserted = await insertOccurrence(db, {
      code: `${rule.code}-${o.periodKey}`,
      title: `${rule.title} (${periodLabel(o.periodKey)})`,
      unitId: rule.unitId,
      assignedBy: rule.assignedBy,
      assignedByKey: fold(rule.assignedBy),
      sourceDoc: rule.sourceDoc || `Nhiệm vụ định kỳ ${rule.code}`,
      assignedAt,
      deadline: endOfDate(o.deadline, zone),
      ruleId: rule.id,
      now,
    });
    if (inserted) created++;
    if (o.deadline >= today && ++ahead >= AHEAD) break;
  }
  return created;
}

/**
 * Ensures every active rule's occurrences up to the next AHEAD exist, in one
 * transaction (a savepoint when the caller's tick already holds one). Meant for every scheduler tick.
 */
export async function generateDue(db: Db, now: number, config: CalendarConfig): Promise<{ rules: number; created: number }> {
  const cal = calendarOf(config);
  return db.tx(async (tx) => {
    const rules = await activeRules(tx);
    let created = 0;
    for (const r of rules) created += await generateForRule(tx, r, now, config.zone, cal);
    return { rules: rules.length, created };
  });
}
