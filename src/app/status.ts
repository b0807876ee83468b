// /tinhhinh and /baocao: the deadline report for a unit (or the whole tree) over a period.
import { DateTime } from 'luxon';
import type { CommandReply } from '../bot/types.ts';
import { awaitingReports } from '../db/confirmation.repo.ts';
import { unitByCode, type UnitRow } from '../db/units.repo.ts';
import { formatDateTime } from '../domain/dates.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { parsePeriod, type Period } from '../domain/period.ts';
import { normCode } from '../domain/text.ts';
import { formatReportText } from './report/format-text.ts';
import { reportToXlsx } from './report/format-xlsx.ts';
import { buildReport } from './report.service.ts';
import type { ReportData } from './report.types.ts';
import { authorize, type Action, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';

const OVERDUE_SHOWN = 10;
const UNITS_SHOWN = 20;

interface Scope {
  unit?: UnitRow;
  period: Period;
}

/** "[mã đơn vị] [kỳ]": the first word is a unit when such a unit exists, else everything is the period. */
async function parseScope(ctx: ChatCtx, args: string, allowUnit: boolean): Promise<Scope> {
  const text = args.trim();
  const [first, ...restWords] = text.split(/\s+/);
  const unit = allowUnit && first ? await unitByCode(ctx.db, normCode(first)) : undefined;
  const periodText = unit ? restWords.join(' ') : text;
  try {
    return { unit, period: parsePeriod(periodText, ctx.now, ctx.config.zone, ctx.config.reportCutoffDay) };
  } catch (e) {
    // "/tinhhinh XA-KHONGCO": say the unit is unknown rather than "not a period".
    if (allowUnit && !unit && first && /[-\d]/.test(first) && !/\//.test(first) && restWords.length <= 2) {
      try {
        parsePeriod(restWords.join(' '), ctx.now, ctx.config.zone, ctx.config.reportCutoffDay);
        throw new NotFound(`Không có đơn vị mã ${normCode(first).slice(0, 30)}. Kiểm tra lại mã đơn vị.`);
      } catch (inner) {
        if (inner instanceof NotFound) throw inner;
      }
    }
    throw e;
  }
}

async function report(
  ctx: ChatCtx,
  actorOrNull: Actor | null,
  action: Action,
  args: string,
  allowUnit: boolean,
  limits: { overdue: number },
): Promise<{ data: ReportData; actor: Actor; path: string }> {
  const actor = authorize(actorOrNull, action);
  const scope = await parseScope(ctx, args, allowUnit);
  // A head sees the own unit by default; a chair the whole tree, or a chair below the top (a district) the own subtree.
  const topChair = actor.role === 'chair' && /^\/\d+\/$/.test(actor.unitPath);
  const unit = scope.unit ?? (topChair ? undefined : await unitByCode(ctx.db, actor.unitCode));
  if (unit) authorize(actor, action, { unitId: unit.id, unitPath: unit.path, label: `Đơn vị ${unit.code}` });
  if (scope.period.from > ctx.now) throw new InvalidInput(`Kỳ ${scope.period.label} chưa bắt đầu. Hãy chọn một kỳ đã qua hoặc đang diễn ra.`);
  const asOf = Math.min(ctx.now, scope.period.to);
  const data = await buildReport(
    ctx.db,
    {
      asOf,
      from: scope.period.from,
      to: scope.period.to,
      unitCode: unit?.code,
      overdueLimit: limits.overdue,
      period: { label: scope.period.label, cutoffDay: scope.period.cutoffDay },
      nearDeadlineDays: ctx.config.nearDeadlineDays,
    },
    ctx.config.zone,
  );
  return { data, actor, path: unit?.path ?? actor.unitPath };
}

const AWAITING_SHOWN = 10;

/** A chair's list of the completion reports waiting for confirmation under the unit shown; none: no lines. */
async function awaitingLines(ctx: ChatCtx, path: string): Promise<string[]> {
  const rows = await awaitingReports(ctx.db, { pathPrefix: path, limit: AWAITING_SHOWN + 1 });
  if (rows.length === 0) return [];
  const { zone } = ctx.config;
  const lines = [`⏳ Báo cáo hoàn thành chờ xác nhận (${rows.length > AWAITING_SHOWN ? `hơn ${AWAITING_SHOWN}` : rows.length}):`];
  for (const r of rows.slice(0, AWAITING_SHOWN)) {
    lines.push(`• ${r.code} — ${r.unitName}, báo lúc ${formatDateTime(r.reportedAt, zone)}${r.reporterName ? ` (${r.reporterName})` : ''}`);
  }
  lines.push('Xác nhận: /xacnhan <mã>; trả lại: /tralai <mã> <lý do>.');
  return lines;
}

function render(ctx: ChatCtx, data: ReportData): string {
  return formatReportText(data, ctx.config.zone, { overdueLimit: OVERDUE_SHOWN, unitLimit: UNITS_SHOWN });
}

export async function showStatus(ctx: ChatCtx, actor: Actor | null, args: string): Promise<CommandReply[]> {
  const { data, actor: a, path } = await report(ctx, actor, 'status', args, true, { overdue: OVERDUE_SHOWN });
  const awaiting = a.role === 'chair' ? await awaitingLines(ctx, path) : [];
  return [{ text: [render(ctx, data), ...(awaiting.length > 0 ? ['', ...awaiting] : [])].join('\n') }];
}

/**
 * /baocao: the text now; the .xlsx is left to the core, which builds it after the
 * update's transaction has committed (it reads every task row of the selection).
 */
export async function showReport(ctx: ChatCtx, actor: Actor | null, period: string): Promise<CommandReply[]> {
  const { data } = await report(ctx, actor, 'report', period, false, { overdue: OVERDUE_SHOWN });
  const { zone } = ctx.config;
  const stamp = DateTime.fromMillis(data.query.asOf, { zone }).toFormat('yyyyMMdd');
  return [
    {
      text: render(ctx, data),
      documentLater: { filename: `bao-cao-nhiem-vu-${stamp}.xlsx`, build: (db) => reportToXlsx(db, data, zone) },
    },
  ];
}
