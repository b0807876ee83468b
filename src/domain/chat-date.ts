// A deadline typed in a chat: every form the importer takes, plus the day and month
// alone ("30/12"), which means the next such day from today. Pure: `now` is a parameter.
import { DateTime } from 'luxon';
import { parseInstant } from './dates.ts';
import { InvalidDate } from './errors.ts';
import { clip } from './text.ts';

const DAY_MONTH = /^(\d{1,2})[/.-](\d{1,2})$/;

export const CHAT_DATE_FORMS = 'dd/mm/yyyy hoặc dd/mm (ví dụ: 30/12/2026 hoặc 30/12)';

/** The end of the day typed (a deadline), as epoch milliseconds. */
export function parseChatDeadline(text: string, zone: string, now: number): number {
  const t = text.trim();
  const m = DAY_MONTH.exec(t);
  if (m) {
    const year = DateTime.fromMillis(now, { zone }).year;
    const thisYear = parseInstant(`${m[1]}/${m[2]}/${year}`, { zone, dateOnly: 'end' }).ms;
    // Already past this year: the officer means next year's (typed in late December for January).
    return thisYear >= now ? thisYear : parseInstant(`${m[1]}/${m[2]}/${year + 1}`, { zone, dateOnly: 'end' }).ms;
  }
  try {
    return parseInstant(t, { zone, dateOnly: 'end' }).ms;
  } catch (e) {
    // An impossible date keeps its precise message; text that is no date at all gets the chat's forms.
    if (e instanceof InvalidDate && /^(Không hiểu|Thiếu)/.test(e.message)) {
      throw new InvalidDate(`Không hiểu ngày "${clip(t, 30)}". Hãy nhập ${CHAT_DATE_FORMS}.`);
    }
    throw e;
  }
}
