// The demo's recurring report: the monthly socio-economic report Sở Tài chính owes
// by the 20th. The rule is dated three months back, so the demo has a history
// (one month late, with its reason) and /viec shows the next occurrence.
import { DateTime } from 'luxon';
import { createRule } from '../app/recurring/create.ts';
import { generateDue } from '../app/recurring/generate.ts';
import { calendarOf, localDay, type CalendarConfig } from '../app/recurring/rule-spec.ts';
import type { Db } from '../db/open.ts';
import { occurrencesOfRule } from '../db/recurring.repo.ts';
import { officerByCode } from '../db/officers.repo.ts';
import { markCompleted } from '../db/tasks.repo.ts';
import { addWorkingDays, previousWorkingDay } from '../domain/calendar.ts';

export const DEMO_RULE_CODE = 'BC-KTXH';

/** Call inside the seed's transaction (with its handle), after the units and officers exist. */
export async function seedRecurring(db: Db, now: number, config: CalendarConfig): Promise<void> {
  const zone = config.zone;
  const start = DateTime.fromMillis(now, { zone }).minus({ months: 3 }).toMillis();
  const year = DateTime.fromMillis(start, { zone }).year;
  const { rule } = await createRule(
    db,
    {
      code: DEMO_RULE_CODE,
      unitCode: 'SO-TC',
      title: 'Báo cáo tình hình kinh tế - xã hội',
      ruleText: 'hằng tháng ngày 20',
      assignedBy: 'UBND tỉnh',
      sourceDoc: `Quyết định số 12/QĐ-UBND ngày 05/01/${year} ban hành chế độ báo cáo định kỳ`,
    },
    start,
    config,
  );
  await generateDue(db, now, config);
  const officer = await officerByCode(db, 'CB-TC');
  if (!officer) throw new Error('demo: officer CB-TC must be seeded before the recurring report');
  const cal = calendarOf(config);
  const past = (await occurrencesOfRule(db, rule.id, rule.code)).filter((o) => o.deadline < now);
  for (const [i, o] of past.entries()) {
    const late = i === 0;
    // Sent the working day before the deadline; the late one two working days after it.
    const due = localDay(o.deadline, zone);
    const day = late ? addWorkingDays(cal, due, 2) : previousWorkingDay(cal, due);
    const done = DateTime.fromISO(`${day}T16:30`, { zone }).toMillis();
    if (done >= now) continue;
    await markCompleted(db, o.id, officer.id, done, late ? 'Chờ số liệu thu ngân sách tháng từ Kho bạc Nhà nước.' : null);
  }
}
