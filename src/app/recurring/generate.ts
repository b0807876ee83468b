// Generating occurrences ahead: every active rule has its next two occurrences as
// ordinary tasks. Idempotent: codes "<RULE>-<periodKey>" are unique and inserted
// with ON CONFLICT DO NOTHING, so a repeated tick creates nothing new and a tick after
// downtime creates what was missed, each exactly once.
import { existingCodes, insertOccurrences, lastOccurrences } from '../../db/occurrences.repo.ts';
import type { Db } from '../../db/open.ts';
import { activeRules, lastOccurrence, type NewOccurrence, type RuleRow } from '../../db/recurring.repo.ts';
import { localDate, type WorkCalendar } from '../../domain/calendar.ts';
import { localClock } from '../../domain/local-clock.ts';
import { occurrencesFrom, type RecurrenceRule } from '../../domain/recurrence.ts';
import { fold } from '../../domain/text.ts';
import { calendarOf, endOfDate, localDay, periodLabel, specOf, startOfDate, type CalendarConfig } from './rule-spec.ts';

/** How many occurrences with a deadline today or later each active rule keeps ready. */
export const AHEAD = 2;

/**
 * The occurrences one rule must have, from its latest existing one (`last`) on, up to the
 * AHEAD-th with a deadline `today` or later; those that exist already are skipped on insert.
 */
function wanted(rule: RuleRow, spec: RecurrenceRule, last: { deadline: number } | undefined, today: string, now: number, zone: string, cal: WorkCalendar): NewOccurrence[] {
  // Occurrences come in period order and none is ever deleted, so the missing ones are
  // those after the latest existing one; with a count the walk must start at the start.
  // The local date through the memoised clock: luxon would cost a third of a millisecond per rule and tick.
  const lastDay = last ? localDate(localClock(zone).dayOf(last.deadline)) : rule.startsOn;
  const from = [lastDay < today ? lastDay : today, rule.startsOn].sort()[1];
  const out: NewOccurrence[] = [];
  let ahead = 0;
  for (const o of occurrencesFrom(spec, from, cal)) {
    out.push({
      code: `${rule.code}-${o.periodKey}`,
      title: `${rule.title} (${periodLabel(o.periodKey)})`,
      unitId: rule.unitId,
      assignedBy: rule.assignedBy,
      assignedByKey: fold(rule.assignedBy),
      sourceDoc: rule.sourceDoc || `Nhiệm vụ định kỳ ${rule.code}`,
      // An occurrence is assigned when its period starts, never before the rule existed.
      assignedAt: Math.max(startOfDate(o.periodStart, zone), rule.createdAt),
      deadline: endOfDate(o.deadline, zone),
      ruleId: rule.id,
      now,
    });
    if (o.deadline >= today && ++ahead >= AHEAD) break;
  }
  return out;
}

/** Creates the missing occurrences of one rule; returns how many were created. Call inside a transaction. */
export async function generateForRule(db: Db, rule: RuleRow, now: number, zone: string, cal: WorkCalendar): Promise<number> {
  const spec = specOf(rule);
  const last = spec.maxCount ? undefined : await lastOccurrence(db, rule.id, rule.code);
  return insertOccurrences(db, wanted(rule, spec, last, localDay(now, zone), now, zone, cal));
}

/**
 * Ensures every active rule's occurrences up to the next AHEAD exist, in one
 * transaction (a savepoint when the caller's tick already holds one). Meant for every
 * scheduler tick, so set-based: the rules' latest occurrences in one query, what they
 * want worked out in memory, which of those exist in another, and one multi-row insert.
 */
export async function generateDue(db: Db, now: number, config: CalendarConfig): Promise<{ rules: number; created: number }> {
  const cal = calendarOf(config);
  const today = localDay(now, config.zone);
  return db.tx(async (tx) => {
    const rules = await activeRules(tx);
    const specs = rules.map(specOf);
    const lasts = await lastOccurrences(tx, rules.filter((_, i) => !specs[i].maxCount));
    const rows = rules.flatMap((r, i) => wanted(r, specs[i], specs[i].maxCount ? undefined : lasts.get(r.id), today, now, config.zone, cal));
    // Most ticks find every wanted occurrence there already: only the missing ones are inserted.
    const have = await existingCodes(tx, rows.map((o) => o.code));
    const created = await insertOccurrences(tx, rows.filter((o) => !have.has(o.code)));
    return { rules: rules.length, created };
  });
}
