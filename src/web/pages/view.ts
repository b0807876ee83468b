// What the report pages share: the period form (the chat's period words), the status
// names, tables that also download as .xlsx (`?xlsx=<bảng>`), and the charts' frame.
import { html, raw } from 'hono/html';
import { DateTime } from 'luxon';
import { formatDate } from '../../domain/dates.ts';
import { InvalidInput } from '../../domain/errors.ts';
import { parsePeriod, type Period } from '../../domain/period.ts';
import type { StatusCounts, TaskState, TaskStatus } from '../../domain/status.ts';
import { viPercent } from '../../domain/text.ts';
import { xlsxResponse, xlsxTable, type XlsxCell } from '../download.ts';
import { table, type Html } from '../layout.ts';
import type { WebContext, WebDeps } from '../types.ts';

/** The four buckets, in the report's order, with the names the charts' legend uses. */
export const STATUS_COLUMNS: { key: TaskStatus; label: string; param: string }[] = [
  { key: 'doneOnTime', label: 'Đúng hạn', param: 'dunghan' },
  { key: 'doneLate', label: 'Trễ hạn', param: 'trehan' },
  { key: 'overdue', label: 'Quá hạn', param: 'quahan' },
  { key: 'inProgress', label: 'Đang thực hiện', param: 'dangthuchien' },
];

export const STATUS_LABEL: Record<TaskStatus, string> = Object.fromEntries(STATUS_COLUMNS.map((s) => [s.key, s.label])) as Record<TaskStatus, string>;

/** The two states outside the four counts, listed on their own (filter words for `?tt=`). */
export const ASIDE_STATES: { key: TaskState; label: string; param: string }[] = [
  { key: 'noDeadline', label: 'Không thời hạn', param: 'khongthoihan' },
  { key: 'suspended', label: 'Tạm dừng', param: 'tamdung' },
];

export const STATE_LABEL: Record<TaskState, string> = { ...STATUS_LABEL, noDeadline: 'Không thời hạn', suspended: 'Tạm dừng' };

/** A deadline as shown: dd/mm/yyyy, or "không thời hạn". */
export function deadlineText(ms: number | null, zone: string): string {
  return ms === null ? 'không thời hạn' : formatDate(ms, zone);
}

export const RATE_LABEL = 'Tỷ lệ đúng hạn';

/** "86,7%", or "chưa đến hạn" when nothing is due or done (as the report text says). */
export function rateText(rate: number | null): string {
  return rate === null ? 'chưa đến hạn' : viPercent(rate);
}

/** A period as the chat reads it: `?ky=` (empty: the reporting year, as /tinhhinh). Not yet started → 400. */
export interface PeriodChoice {
  /** The text as typed ('' for the default). */
  text: string;
  period: Period;
  /** Counts as of the end of the period, or now while it runs (as /tinhhinh). */
  asOf: number;
}

export function periodOf(c: WebContext, deps: WebDeps): PeriodChoice {
  const text = (c.req.query('ky') ?? '').trim().slice(0, 60);
  const now = deps.now();
  const period = parsePeriod(text, now, deps.config.zone, deps.config.reportCutoffDay ?? null);
  if (period.from > now) throw new InvalidInput(`Kỳ ${period.label} chưa bắt đầu. Hãy chọn một kỳ đã qua hoặc đang diễn ra.`);
  return { text, period, asOf: Math.min(now, period.to) };
}

/** "quý 3/2026 (01/07/2026–30/09/2026)". */
export function periodTitle(p: Period, zone: string): string {
  const to = formatDate(p.to, zone);
  return p.label.includes(to) ? p.label : `${p.label} (${formatDate(p.from, zone)}–${to})`;
}

/** The periods offered in the form: the chat's words for this month, quarter, 6 and 9 months, the year, last year, this week. */
function presets(now: number, zone: string): { value: string; label: string }[] {
  const d = DateTime.fromMillis(now, { zone });
  const q = Math.ceil(d.month / 3);
  return [
    { value: '', label: `Năm ${d.year}` },
    { value: `thang ${d.month}`, label: `Tháng này (tháng ${d.month})` },
    { value: `quy ${q}`, label: `Quý này (quý ${q})` },
    { value: '6 thang', label: '6 tháng đầu năm' },
    { value: '9 thang', label: '9 tháng đầu năm' },
    { value: 'tuan nay', label: 'Tuần này' },
    { value: `nam ${d.year - 1}`, label: `Năm ${d.year - 1}` },
  ];
}

/** The GET form choosing the period; `keep` are the other query parameters to carry along. */
export function periodForm(action: string, choice: PeriodChoice, deps: WebDeps, keep: Record<string, string> = {}): Html {
  const opts = presets(deps.now(), deps.config.zone);
  const known = opts.some((o) => o.value === choice.text);
  const hidden = Object.entries(keep).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form method="get" action="${action}" class="box period">
<label>Kỳ báo cáo <select name="ky">${opts.map((o) => html`<option value="${o.value}"${o.value === choice.text ? raw(' selected') : ''}>${o.label}</option>`)}${known ? '' : html`<option value="${choice.text}" selected>${choice.period.label}</option>`}</select></label>
${hidden}<button type="submit">Xem</button>
</form>
<form method="get" action="${action}" class="period">
<label>hoặc gõ kỳ <input name="ky" size="18" placeholder="quý 3, tháng 9/2026, 01/01/2026-31/03/2026" value="${known ? '' : choice.text}"></label>
${hidden}<button type="submit">Xem</button>
</form>
<p class="muted">${periodTitle(choice.period, deps.config.zone)}; số liệu tính đến ${formatDate(choice.asOf, deps.config.zone)}.</p>`;
}

/** A cell: text or a number, optionally a link on the page (the .xlsx keeps the text). */
export type Cell = XlsxCell | { v: XlsxCell; href: string };

export interface PageTable {
  /** The `?xlsx=` value that downloads it. */
  key: string;
  /** Sheet name and file name (without .xlsx). */
  name: string;
  head: { label: string; num?: boolean }[];
  rows: Cell[][];
  empty: string;
}

function plain(cell: Cell): XlsxCell {
  return cell !== null && typeof cell === 'object' && 'href' in cell ? cell.v : cell;
}

function shown(cell: Cell, zone: string): string | number | Html {
  if (cell === null) return '';
  if (cell instanceof Date) return formatDate(cell.getTime(), zone);
  if (typeof cell === 'object') return html`<a href="${cell.href}">${shown(cell.v, zone)}</a>`;
  return cell;
}

/** The address of the current page with `?xlsx=<key>` added (its other parameters kept). */
export function downloadHref(c: WebContext, key: string): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(c.req.query())) if (k !== 'xlsx' && k !== 'trang') q.set(k, v);
  q.set('xlsx', key);
  return `${c.req.path}?${q.toString()}`;
}

/** The table and its download link. */
export function pageTable(c: WebContext, t: PageTable, zone: string): Html {
  return html`<section data-table="${t.key}">${table(t.head, t.rows.map((r) => r.map((cell) => shown(cell, zone))), t.empty)}
${t.rows.length ? html`<p class="dl"><a href="${downloadHref(c, t.key)}">Tải bảng (.xlsx)</a></p>` : ''}</section>`;
}

/** The table as an .xlsx attachment. */
export async function tableXlsx(c: WebContext, t: PageTable): Promise<Response> {
  return xlsxResponse(c, `${t.name}.xlsx`, await xlsxTable(t.name, t.head.map((h) => h.label), t.rows.map((r) => r.map(plain))));
}

/** `?xlsx=` asked for: the table of that key, or a 404 sentence when the page has none. */
export async function downloadIfAsked(c: WebContext, tables: PageTable[]): Promise<Response | null> {
  const key = c.req.query('xlsx');
  if (key === undefined) return null;
  const t = tables.find((x) => x.key === key);
  if (!t) throw new InvalidInput(`Trang này không có bảng "${key.slice(0, 20)}" để tải. Hãy bấm "Tải bảng (.xlsx)" dưới bảng cần tải.`);
  return tableXlsx(c, t);
}

/** The four counts, the total and the rate as one row (the report's numbers). */
export function countsRow(c: StatusCounts, rate: number | null): Cell[] {
  return [c.total, c.doneOnTime, c.doneLate, c.overdue, c.inProgress, rateText(rate)];
}

export const COUNTS_HEAD: PageTable['head'] = [
  { label: 'Tổng số', num: true },
  ...STATUS_COLUMNS.map((s) => ({ label: s.label, num: true })),
  { label: RATE_LABEL, num: true },
];

/** A server-drawn SVG chart, shown as is (it comes from src/charts, not from user text) and fitted to the screen. */
export function chart(svg: string): Html {
  return html`<div class="chart">${raw(svg)}</div>`;
}

/** The pages' own few styles (charts fit the phone; forms wrap). */
export const PAGE_STYLE = html`<style>
.chart{background:#fff;border:1px solid #dde1e6;border-radius:6px;margin:.5rem 0;overflow:hidden}
.chart svg{display:block;max-width:100%;height:auto}
form.period{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin:.25rem 0}
p.dl{margin:.25rem 0 .75rem;font-size:.9rem}
section[data-table] table{font-size:.88rem}
section[data-table] th,section[data-table] td{padding:.3rem .4rem}
section[data-table] td.num{white-space:nowrap}
.counts{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;margin:.5rem 0}
.counts div{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.5rem}
.counts b{display:block;font-size:1.4rem}
.pager{display:flex;gap:1rem;flex-wrap:wrap}
.filters a{margin-right:.75rem}
.filters a.on{font-weight:700;text-decoration:none;color:#1b1f24}
</style>`;

/** The counts as tiles (the same numbers as the table under them). */
export function countTiles(c: StatusCounts, rate: number | null): Html {
  return html`<div class="counts">${STATUS_COLUMNS.map((s) => html`<div><b>${c[s.key]}</b>${s.label}</div>`)}<div><b>${rateText(rate)}</b>${RATE_LABEL}</div></div>`;
}
