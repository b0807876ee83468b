// The weekly summary: to the leadership groups the whole picture, to each bound
// unit group its own part; to the leadership also the units ranked as a chart: on
// Telegram uploaded, on Zalo (which takes a picture only from a public address) shared
// at <PUBLIC_URL>/anh/<token>.png when PUBLIC_URL is https. One outbox key per
// (chat, week), so it goes once; after downtime only the latest missed one goes.
import cron from 'node-cron';
import type { Config } from '../config.ts';
import { targetsWithStatus } from '../app/commitments/alerts.ts';
import { buildReport } from '../app/report.service.ts';
import type { UnitRow } from '../app/report.types.ts';
import { leadershipChats } from '../db/bindings.repo.ts';
import { awaitingReports } from '../db/confirmation.repo.ts';
import type { Db } from '../db/open.ts';
import { enqueue, getMeta, setMeta } from '../db/outbox.repo.ts';
import { shareImage } from '../db/shared-images.repo.ts';
import {
  countsDueBetween,
  openTasksByDeadline,
  pendingExtensions,
  responsibleOfUnit,
  unitGroups,
} from '../db/reminder-candidates.repo.ts';
import type { Channel } from '../db/schema.ts';
import { openTasksOfUnitBefore } from '../db/summary.repo.ts';
import { unitByCode } from '../db/units.repo.ts';
import { weekday } from '../domain/calendar.ts';
import { formatDate } from '../domain/dates.ts';
import { localClock, type LocalClock } from '../domain/local-clock.ts';
import { viPercent } from '../domain/text.ts';
import { officerLabel } from './texts.ts';

export const LAST_SUMMARY_KEY = 'scheduler.lastWeeklySummary';
const DAY_MS = 86_400_000;
const LIST_MAX = 10;
/** Most units one chart shows (the rest are named in its subtitle): taller is unreadable on a phone. */
export const CHART_UNITS_MAX = 120;

/** The latest instant at or before `now` that the cron expression names, within the past 8 days. */
export function latestCronOccurrence(expr: string, now: number, clock: LocalClock): number | undefined {
  const f = cron.parse(expr);
  const today = clock.dayOf(now);
  for (let day = today; day >= today - 8; day--) {
    const d = new Date(day * DAY_MS);
    if (!f.month.includes(d.getUTCMonth() + 1) || !f.dayOfMonth.map(Number).includes(d.getUTCDate())) continue;
    const dow = weekday(day);
    if (!f.dayOfWeek.map(Number).some((w) => w % 7 === dow)) continue;
    const hours = [...f.hour].sort((a, b) => b - a);
    const minutes = [...f.minute].sort((a, b) => b - a);
    for (const h of hours) for (const m of minutes) {
      const at = clock.at(day, h * 60 + m);
      if (at <= now) return at;
    }
  }
  return undefined;
}

const counts4 = (c: { doneOnTime: number; doneLate: number; overdue: number; inProgress: number }) =>
  `đúng hạn ${c.doneOnTime}, trễ hạn ${c.doneLate}, quá hạn ${c.overdue}, đang thực hiện ${c.inProgress}`;

interface Part {
  text: string;
  chart?: Buffer;
}

/** The leadership text (and chart), as of `now`. */
export async function leadershipSummary(db: Db, now: number, config: Config): Promise<Part> {
  const zone = config.zone;
  const clock = localClock(zone);
  const year = new Date(clock.dayOf(now) * DAY_MS).getUTCFullYear();
  const yearStart = clock.at(Date.UTC(year, 0, 1) / DAY_MS, 0);
  const report = await buildReport(db, { asOf: now, from: yearStart, to: now, overdueLimit: LIST_MAX, nearDeadlineDays: config.nearDeadlineDays }, zone);
  const week = await countsDueBetween(db, now - 7 * DAY_MS, now);
  const dueSoon = await openTasksByDeadline(db, now, now + 7 * DAY_MS);
  const ext = await pendingExtensions(db, LIST_MAX);
  const targets = await commitmentLines(db, now, zone);
  const awaiting = await awaitingReports(db, { limit: LIST_MAX + 1 });
  const t = report.totals;
  const head = `📊 Tổng hợp tuần, ngày ${formatDate(now, zone)}`;
  const yearLine = `Từ đầu năm ${year}: ${t.total} nhiệm vụ — ${counts4(t)}.`;
  if (t.overdue === 0 && dueSoon.length === 0 && ext.length === 0 && targets.length === 0 && awaiting.length === 0) {
    return { text: `${head}: không có nhiệm vụ quá hạn, đến hạn trong tuần, chờ gia hạn hay chờ xác nhận. ${yearLine}` };
  }
  const lines = [head, yearLine, `Tuần qua (hạn trong 7 ngày): ${week.total} nhiệm vụ — ${counts4(week)}.`];
  const ranked = report.units.filter((u) => u.onTimeRate !== null);
  if (ranked.length > 0) {
    lines.push('', 'Xếp hạng tỷ lệ đúng hạn:');
    for (const u of ranked.slice(0, 5)) lines.push(`${u.rank}. ${u.name}: ${viPercent(u.onTimeRate ?? 0)}`);
    if (ranked.length > 5) {
      const last = ranked[ranked.length - 1];
      lines.push(`… thấp nhất: ${last.name}: ${viPercent(last.onTimeRate ?? 0)}`);
    }
  }
  if (report.overdue.length > 0) {
    lines.push('', `⚠️ Quá hạn chưa hoàn thành (${t.overdue}):`);
    for (const o of report.overdue) lines.push(`• ${o.code} — ${o.unitName}, quá ${o.daysOverdue} ngày${await responsibleOf(db, o.unitCode)}`);
  }
  if (dueSoon.length > 0) {
    lines.push('', `🔔 Đến hạn trong tuần (${dueSoon.length}):`);
    for (const d of dueSoon.slice(0, LIST_MAX)) lines.push(`• ${d.code} — ${d.unitName}, hạn ${formatDate(d.effectiveDeadline, zone)}`);
  }
  if (ext.length > 0) {
    lines.push('', `⏳ Chờ duyệt gia hạn (${ext.length}):`);
    for (const e of ext) lines.push(`• ${e.taskCode} — ${e.unitName}, xin đến ${formatDate(e.newDeadline, zone)} (/duyet ${e.id})`);
  }
  if (awaiting.length > 0) {
    lines.push('', `📝 Báo cáo hoàn thành chờ xác nhận (${awaiting.length > LIST_MAX ? `hơn ${LIST_MAX}` : awaiting.length}):`);
    for (const a of awaiting.slice(0, LIST_MAX)) lines.push(`• ${a.code} — ${a.unitName}, báo ngày ${formatDate(a.reportedAt, zone)} (/xacnhan ${a.code})`);
  }
  if (targets.length > 0) lines.push('', ...targets);
  return { text: lines.join('\n'), chart: await unitsChartPng(report.units, year, formatDate(now, zone)) };
}

/** The units ranked by on-time rate since the start of the year, as a PNG; none when no unit has anything due or done. */
async function unitsChartPng(units: readonly UnitRow[], year: number, date: string): Promise<Buffer | undefined> {
  // Loaded when a summary is drawn, not at every start of the CLI (ECharts is large).
  const { svgToPng, unitBarsFromReport, unitsChartSvg } = await import('../charts/index.ts');
  const bars = unitBarsFromReport(units);
  if (bars.length === 0) return undefined;
  const shown = bars.slice(0, CHART_UNITS_MAX);
  const title = `Nhiệm vụ từ đầu năm ${year} theo đơn vị (đến ${date})`;
  const more = shown.length < bars.length ? { subtitle: `${shown.length} đơn vị đầu bảng xếp hạng trong ${bars.length}; tỷ lệ đúng hạn ở cuối thanh.` } : {};
  return svgToPng(unitsChartSvg({ title, units: shown, ...more }));
}

/** Commitment targets of the year at risk (one line each) and those already missed (codes only); none: no lines. */
async function commitmentLines(db: Db, now: number, zone: string): Promise<string[]> {
  const off = await targetsWithStatus(db, { asOf: now, zone }, ['atRisk', 'missed']);
  const atRisk = off.filter((a) => a.status === 'atRisk');
  const missed = off.filter((a) => a.status === 'missed');
  const lines: string[] = [];
  if (atRisk.length > 0) {
    lines.push(`🎯 Chỉ tiêu cam kết có nguy cơ không đạt (${atRisk.length}):`);
    for (const a of atRisk.slice(0, LIST_MAX)) lines.push(a.text);
    if (atRisk.length > LIST_MAX) lines.push(`… và ${atRisk.length - LIST_MAX} chỉ tiêu khác (xem /camket tongket).`);
  }
  if (missed.length > 0) {
    const codes = missed.slice(0, LIST_MAX).map((a) => `${a.unitCode} ${a.code}`);
    lines.push(`✗ Chỉ tiêu đã quá hạn mà không đạt (${missed.length}): ${codes.join(', ')}${missed.length > LIST_MAX ? ', …' : ''}.`);
  }
  return lines;
}

async function responsibleOf(db: Db, unitCode: string): Promise<string> {
  const unit = await unitByCode(db, unitCode);
  const names = unit ? (await responsibleOfUnit(db, unit.id, 1)).map(officerLabel) : [];
  return names.length > 0 ? `, phụ trách ${names[0]}` : '';
}

/** A unit group's own part. */
export async function unitSummary(db: Db, now: number, config: Config, unit: { unitId: number; unitName: string }): Promise<Part> {
  const zone = config.zone;
  const week = await countsDueBetween(db, now - 7 * DAY_MS, now, unit.unitId);
  const open = await openTasksOfUnitBefore(db, unit.unitId, now, now + 7 * DAY_MS);
  const overdue = open.filter((o) => o.status === 'overdue');
  const soon = open.filter((o) => o.status !== 'overdue');
  if (overdue.length === 0 && soon.length === 0) {
    return { text: `✅ ${unit.unitName}: tuần này không có nhiệm vụ quá hạn hay đến hạn. Tuần qua: ${counts4(week)}.` };
  }
  const lines = [`📊 ${unit.unitName} — tổng hợp tuần, ngày ${formatDate(now, zone)}`, `Tuần qua: ${counts4(week)}.`];
  if (overdue.length > 0) {
    lines.push(`⚠️ Quá hạn (${overdue.length}):`);
    for (const o of overdue.slice(0, LIST_MAX)) lines.push(`• ${o.code}, hạn ${formatDate(o.deadline, zone)}`);
  }
  if (soon.length > 0) {
    lines.push(`🔔 Đến hạn trong tuần (${soon.length}):`);
    for (const o of soon.slice(0, LIST_MAX)) lines.push(`• ${o.code}, hạn ${formatDate(o.deadline, zone)}`);
  }
  lines.push('Khi xong, gõ /xong <mã>.');
  return { text: lines.join('\n') };
}

/** `publicUrl` without a trailing slash when it is an https address (Zalo fetches only those); else undefined. */
export function httpsBase(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return undefined;
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return undefined;
  }
  return url.protocol === 'https:' ? `${url.origin}${url.pathname.replace(/\/+$/, '')}` : undefined;
}

/** The address of a shared picture: the web app serves it (src/web/shared-image.ts). */
export function sharedImageUrl(base: string, token: string): string {
  return `${base}/anh/${token}.png`;
}

export interface SummaryOptions {
  /** Write them now whatever the cron says (`nhacviec summary`). */
  force?: boolean;
  /** The address users reach (PUBLIC_URL): when https, Zalo leadership groups get the chart from it. */
  publicUrl?: string;
}

const CHART_CAPTION = 'Biểu đồ nhiệm vụ theo đơn vị: đúng hạn (xanh), trễ hạn (cam), quá hạn (đỏ).';

/**
 * Writes this week's summaries to the outbox if the cron time has come and they
 * were not written yet.
 */
export async function enqueueWeeklySummaryIfDue(db: Db, now: number, config: Config, opts: SummaryOptions = {}): Promise<{ messages: number }> {
  const force = opts.force ?? false;
  const clock = localClock(config.zone);
  const occurrence = force ? now : latestCronOccurrence(config.weeklySummaryCron, now, clock);
  if (occurrence === undefined) return { messages: 0 };
  const last = Number((await getMeta(db, LAST_SUMMARY_KEY)) ?? '0');
  if (!force && occurrence <= last) return { messages: 0 };
  const weekKey = force ? `now-${now}` : `w-${occurrence}`;
  let messages = 0;
  // Everything is read and drawn before the transaction, which then only writes.
  const lead = await leadershipSummary(db, now, config);
  const unitParts: { channel: Channel; chatId: string; text: string }[] = [];
  for (const g of await unitGroups(db)) unitParts.push({ channel: g.channel as Channel, chatId: g.chatId, text: (await unitSummary(db, now, config, g)).text });
  const leadChats = await leadershipChats(db);
  await db.tx(async (tx) => {
    const put = async (channel: Channel, chatId: string, kind: string, text: string, payload?: object) => {
      if (await enqueue(tx, { key: `s:${channel}:${chatId}:${weekKey}:${kind}`, channel, chatId, kind, text, payload: payload ? JSON.stringify(payload) : null, createdAt: now, notBefore: now })) {
        messages++;
      }
    };
    // One shared copy of the chart for every Zalo group, made only when one will fetch it.
    const base = httpsBase(opts.publicUrl);
    let zaloPhotoUrl: string | undefined;
    if (lead.chart && base && leadChats.some((b) => b.channel === 'zalo')) {
      zaloPhotoUrl = sharedImageUrl(base, await shareImage(tx, { contentType: 'image/png', body: lead.chart, now }));
    }
    for (const b of leadChats) {
      await put(b.channel, b.chatId, 'summary', lead.text);
      if (lead.chart && b.channel === 'telegram') {
        await put(b.channel, b.chatId, 'summary-chart', CHART_CAPTION, { photo: { filename: 'tong-hop-tuan.png', base64: lead.chart.toString('base64') } });
      } else if (zaloPhotoUrl && b.channel === 'zalo') {
        await put(b.channel, b.chatId, 'summary-chart', CHART_CAPTION, { photoUrl: zaloPhotoUrl });
      }
    }
    for (const u of unitParts) await put(u.channel, u.chatId, 'summary', u.text);
    if (!force) await setMeta(tx, LAST_SUMMARY_KEY, String(occurrence));
  });
  return { messages };
}
