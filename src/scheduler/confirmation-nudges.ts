// The tick's nudges about completion reports left unconfirmed: to the chairs over the unit (or the
// leadership group), once on the third working day after the report, then weekly. One outbox key
// per (report, nudge number, chat): a tick run twice, or two ticks at once, queue nothing new.
import { chairTargets } from '../app/extend.ts';
import type { Config } from '../config.ts';
import { awaitingReports } from '../db/confirmation.repo.ts';
import type { Db } from '../db/open.ts';
import { enqueueMany, type NewOutboxRow } from '../db/outbox.repo.ts';
import type { Channel } from '../db/schema.ts';
import { localDate, workingDaysBetween } from '../domain/calendar.ts';
import { latestNudge, NUDGE_AFTER_WORKING_DAYS } from '../domain/confirmation.ts';
import { formatDateTime } from '../domain/dates.ts';
import { parseHhmm } from '../domain/local-clock.ts';
import { clip } from '../domain/text.ts';
import type { TickEnv } from './tick.ts';

const DAY_MS = 86_400_000;
/** Reports looked at per tick (the oldest first): far more than an office leaves waiting. */
const MAX_REPORTS = 2000;
export const NUDGE_KIND = 'confirm_nudge';

export async function enqueueConfirmationNudges(db: Db, now: number, config: Config, env: TickEnv): Promise<{ messages: number }> {
  const { calendar, clock } = env;
  const minute = parseHhmm(config.reminders.at);
  // Three working days are at least three calendar days.
  const waiting = await awaitingReports(db, { reportedBefore: now - NUDGE_AFTER_WORKING_DAYS * DAY_MS, limit: MAX_REPORTS });
  const rows: NewOutboxRow[] = [];
  for (const r of waiting) {
    const nudge = latestNudge(r.reportedAt, now, calendar, clock, minute);
    if (!nudge) continue;
    const days = workingDaysBetween(calendar, localDate(clock.dayOf(r.reportedAt)), localDate(clock.dayOf(now)));
    const text =
      `⏰ Nhắc xác nhận: ${r.code} — ${clip(r.title, 150)} (${r.unitName}) đã báo hoàn thành lúc ${formatDateTime(r.reportedAt, config.zone)}` +
      `${r.reporterName ? ` (${r.reporterName})` : ''}, ${days} ngày làm việc chưa được xác nhận.\n` +
      `Xác nhận: /xacnhan ${r.code} — Trả lại: /tralai ${r.code} <lý do>`;
    const ok = `xacnhan:${r.code}`;
    const back = `tralai:${r.code}`;
    const buttons = Buffer.byteLength(back) <= 64 ? [[{ text: '✅ Xác nhận', data: ok }, { text: '↩ Trả lại', data: back }]] : undefined;
    for (const t of await chairTargets(db, r.unitPath)) {
      rows.push({
        key: `confirm-nudge:${r.id}:${r.reportedAt}:${nudge.index}:${t.channel}:${t.chatId}`,
        channel: t.channel as Channel,
        chatId: t.chatId,
        kind: NUDGE_KIND,
        text,
        payload: buttons ? JSON.stringify({ buttons }) : null,
        createdAt: now,
        notBefore: now,
      });
    }
  }
  return { messages: rows.length > 0 ? (await enqueueMany(db, rows)).size : 0 };
}
