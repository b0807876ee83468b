// The Vietnamese texts of reminders and escalations, as they appear on a phone.
import type { Button } from '../bot/types.ts';
import { isWorkingDayNumber, type WorkCalendar } from '../domain/calendar.ts';
import type { LocalClock } from '../domain/local-clock.ts';
import type { ReminderKind } from '../domain/reminders.ts';

export interface ReminderItem {
  taskId: number;
  code: string;
  title: string;
  unitName: string;
  deadline: number;
  kind: ReminderKind;
  catchUp: boolean;
  /** Names of who is responsible, the head first ("Nguyễn Văn A (Trưởng phòng)"). */
  responsible: string[];
  /** The officer named on the task (người thực hiện), as officerLabel() writes them. */
  assignee?: string;
  /** Sent to a co-ordinating unit (phối hợp): marked so, and no completion button (the lead unit reports). */
  cooperating?: boolean;
}

export interface TextContext {
  channel: 'telegram' | 'zalo' | 'console';
  now: number;
  zone: string;
  clock: LocalClock;
  calendar: WorkCalendar;
}

const TITLE_MAX = 120;
const MAX_BUTTONS = 10;
const CALLBACK_MAX_BYTES = 64;

/** dd/mm/yyyy through the memoised clock: luxon's formatting would dominate a tick of 10,000 reminders. */
function dmy(ms: number, ctx: TextContext): string {
  const d = new Date(ctx.clock.dayOf(ms) * 86_400_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

function shortTitle(t: string): string {
  return t.length > TITLE_MAX ? `${t.slice(0, TITLE_MAX - 1)}…` : t;
}

/** "còn 3 ngày đến hạn", "hạn là hôm nay", "đã quá hạn 2 ngày làm việc" — as of ctx.now. */
export function whereItStands(item: ReminderItem, ctx: TextContext): string {
  const today = ctx.clock.dayOf(ctx.now);
  const dDay = ctx.clock.dayOf(item.deadline);
  if (item.deadline >= ctx.now) {
    const days = dDay - today;
    if (days <= 0) return 'hạn là hôm nay';
    if (days === 1) return 'hạn là ngày mai';
    return `còn ${days} ngày đến hạn`;
  }
  let late = 0;
  for (let d = dDay + 1; d <= today; d++) if (isWorkingDayNumber(ctx.calendar, d)) late++;
  return late > 0 ? `đã quá hạn ${late} ngày làm việc` : 'đã quá hạn';
}

function responsibleLine(item: ReminderItem): string {
  const who = item.responsible.length > 0 ? `Phụ trách: ${item.responsible.join(', ')}` : 'Phụ trách: lãnh đạo đơn vị';
  return item.assignee ? `${who}\nNgười thực hiện: ${item.assignee}` : who;
}

const COOP = ' (phối hợp)';

function icon(kind: ReminderKind): string {
  return kind === 'before' ? '🔔' : kind === 'escalate' ? '🚩' : '⚠️';
}

/** The text (and the buttons on Telegram) of the reminders due for one chat at one tick. */
export function reminderMessage(items: ReminderItem[], ctx: TextContext): { text: string; buttons?: Button[][] } {
  if (items.length === 1) return single(items[0], ctx);
  const escalation = items.every((i) => i.kind === 'escalate');
  const allCatchUp = items.every((i) => i.catchUp);
  const head = escalation
    ? `🚩 Báo cáo lãnh đạo${allCatchUp ? ' (nhắc bù)' : ''}: ${items.length} nhiệm vụ quá hạn chưa hoàn thành`
    : `🔔 Nhắc việc${allCatchUp ? ' (nhắc bù)' : ''}: ${items.length} nhiệm vụ`;
  const lines = items.map((it, i) => {
    const mark = `${it.catchUp && !allCatchUp ? ' (nhắc bù)' : ''}${it.cooperating ? COOP : ''}`;
    const lead = it.cooperating ? `${it.unitName} chủ trì` : it.unitName;
    return `${i + 1}. ${icon(it.kind)} ${it.code}${mark} — ${shortTitle(it.title)}\n   ${lead} · hạn ${dmy(it.deadline, ctx)}, ${whereItStands(it, ctx)}\n   ${responsibleLine(it).replace('\n', '\n   ')}`;
  });
  const own = items.find((i) => !i.cooperating);
  const foot = escalation
    ? ''
    : own
      ? `\nKhi xong, gõ /xong <mã>, ví dụ: /xong ${own.code}`
      : '\nĐơn vị chủ trì báo hoàn thành; minh chứng phần việc phối hợp gửi bằng /minhchung <mã>.';
  const buttons = escalation || ctx.channel !== 'telegram' ? undefined : doneButtons(items);
  return { text: `${head}\n${lines.join('\n')}${foot}`, ...(buttons ? { buttons } : {}) };
}

function single(it: ReminderItem, ctx: TextContext): { text: string; buttons?: Button[][] } {
  const catchUp = it.catchUp ? ' (nhắc bù)' : '';
  const stands = whereItStands(it, ctx);
  if (it.cooperating) {
    return {
      text:
        `${icon(it.kind)} Nhắc việc${catchUp}${COOP}: ${it.code} ${stands}\n${shortTitle(it.title)}\n` +
        `Đơn vị chủ trì: ${it.unitName} · Hạn: ${dmy(it.deadline, ctx)}\n${responsibleLine(it)}\n` +
        `Đơn vị chủ trì báo hoàn thành; minh chứng phần việc phối hợp gửi bằng /minhchung ${it.code}.`,
    };
  }
  const head =
    it.kind === 'escalate'
      ? `🚩 Báo cáo lãnh đạo${catchUp}: ${it.code} ${stands}, chưa hoàn thành`
      : `${icon(it.kind)} Nhắc việc${catchUp}: ${it.code} ${stands}`;
  const body = `${shortTitle(it.title)}\nĐơn vị: ${it.unitName} · Hạn: ${dmy(it.deadline, ctx)}\n${responsibleLine(it)}`;
  if (it.kind === 'escalate') return { text: `${head}\n${body}` };
  const late = it.kind === 'before' ? '' : ' Nếu trễ hạn, nhớ nêu lý do.';
  if (ctx.channel === 'telegram') {
    return {
      text: `${head}\n${body}\nKhi xong, bấm “✅ Đã hoàn thành” hoặc gõ /xong ${it.code}.${late}`,
      ...(doneButtons([it]) ? { buttons: doneButtons([it]) } : {}),
    };
  }
  return { text: `${head}\n${body}\nKhi xong, trả lời tin này: xong (hoặc gõ /xong ${it.code}).${late}` };
}

function doneButtons(items: ReminderItem[]): Button[][] | undefined {
  const fit = items.filter((i) => !i.cooperating && Buffer.byteLength(`xong:${i.code}`) <= CALLBACK_MAX_BYTES).slice(0, MAX_BUTTONS);
  if (fit.length === 0) return undefined;
  if (items.length === 1) return [[{ text: '✅ Đã hoàn thành', data: `xong:${fit[0].code}` }]];
  const rows: Button[][] = [];
  for (let i = 0; i < fit.length; i += 2) rows.push(fit.slice(i, i + 2).map((t) => ({ text: `✅ ${t.code}`, data: `xong:${t.code}` })));
  return rows;
}

const ROLE_TITLE: Record<string, string> = { head: 'Trưởng đơn vị' };

/** "Nguyễn Văn A (Trưởng phòng)": the officer's title if recorded, else the role of a head. */
export function officerLabel(o: { fullName: string; role: string; title: string | null }): string {
  const t = o.title ?? ROLE_TITLE[o.role];
  return t ? `${o.fullName} (${t})` : o.fullName;
}
