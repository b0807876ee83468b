// `/donvi/<mã>`: a unit's counts for a period (the unit and below, as /tinhhinh <mã>), its own
// tasks filtered by status (`?tt=`) and period (`?ky=`), 100 a page (`?trang=`), and the
// units directly below it with their counts.
import { html } from 'hono/html';
import { unitsChartSvg } from '../../charts/index.ts';
import { unitTasksPage } from '../../db/pages.repo.ts';
import { unitByCode } from '../../db/units.repo.ts';
import { formatDate } from '../../domain/dates.ts';
import { InvalidInput, NotFound } from '../../domain/errors.ts';
import { onTimeRate, type TaskState } from '../../domain/status.ts';
import { normCode } from '../../domain/text.ts';
import { renderPage } from '../layout.ts';
import { assertUnitVisible, unitRefusal } from '../permissions.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebContext, WebDeps } from '../types.ts';
import { taskHref, unitHref } from './home.ts';
import { childrenRanked, ownRow, scopeCounts } from './scope.ts';
import {
  chart,
  COUNTS_HEAD,
  countsRow,
  countTiles,
  downloadHref,
  PAGE_STYLE,
  pageTable,
  periodForm,
  periodOf,
  RATE_LABEL,
  STATUS_COLUMNS,
  STATE_LABEL,
  ASIDE_STATES,
  deadlineText,
  tableXlsx,
  type PageTable,
} from './view.ts';

/** Tasks a page of the list shows. */
export const TASKS_PER_PAGE = 100;
/** At most this many rows go into the task list's .xlsx (a unit's whole history fits). */
const XLSX_MAX_ROWS = 50_000;

function statusParam(c: WebContext): TaskState | undefined {
  const p = (c.req.query('tt') ?? '').trim();
  if (p === '' || p === 'tatca') return undefined;
  const all = [...STATUS_COLUMNS, ...ASIDE_STATES];
  const s = all.find((x) => x.param === p);
  if (!s) throw new InvalidInput(`Không hiểu trạng thái "${p.slice(0, 20)}". Hãy chọn một trong: tatca, ${all.map((x) => x.param).join(', ')}.`);
  return s.key;
}

function pageParam(c: WebContext): number {
  const p = (c.req.query('trang') ?? '1').trim();
  const n = /^\d{1,6}$/.test(p) ? Number(p) : NaN;
  if (!(n >= 1)) throw new InvalidInput(`Số trang "${p.slice(0, 10)}" không hợp lệ. Hãy dùng số trang từ 1, ví dụ ?trang=2.`);
  return n;
}

function href(path: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function registerUnitRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/donvi/:code', requireViewer, async (c) => {
    const v = viewerOf(c);
    const zone = deps.config.zone;
    const code = normCode(c.req.param('code')).slice(0, 40);
    const unit = await unitByCode(deps.db, code);
    if (!unit) throw new NotFound(`Không có đơn vị mã ${code}. Kiểm tra lại mã đơn vị.`);
    assertUnitVisible(v, { unitId: unit.id, unitPath: unit.path, label: unit.name });
    const choice = periodOf(c, deps);
    const status = statusParam(c);
    const page = pageParam(c);
    const scope = { unit, subtree: true, wholeTree: false };
    const { counts, rate, report } = await scopeCounts(deps, scope, {
      from: choice.period.from,
      to: choice.period.to,
      asOf: choice.asOf,
      label: choice.period.label,
      cutoffDay: choice.period.cutoffDay,
    });
    const own = ownRow(report, unit.code);
    const listed = status ? own[status] : own.total + own.noDeadline + own.suspended;
    const pages = Math.max(1, Math.ceil(listed / TASKS_PER_PAGE));
    if (page > pages) throw new InvalidInput(`Trang ${page} không có: danh sách chỉ có ${pages} trang.`);
    const wantsXlsx = c.req.query('xlsx') === 'nhiemvu';
    const tasks = await unitTasksPage(deps.db, {
      unitId: unit.id,
      asOf: choice.asOf,
      from: choice.period.from,
      to: Math.min(choice.period.to, choice.asOf),
      status,
      limit: wantsXlsx ? XLSX_MAX_ROWS : TASKS_PER_PAGE,
      offset: wantsXlsx ? 0 : (page - 1) * TASKS_PER_PAGE,
    });
    const children = await childrenRanked(deps.db, unit, report);
    const unitName = `${unit.name} (${unit.code})`;
    const taskTable: PageTable = {
      key: 'nhiemvu',
      name: `Nhiệm vụ ${unit.code}`,
      head: [{ label: 'Mã' }, { label: 'Nhiệm vụ' }, { label: 'Cơ quan giao' }, { label: 'Văn bản' }, { label: 'Ngày giao' }, { label: 'Hạn' }, { label: 'Hoàn thành' }, { label: 'Trạng thái' }],
      rows: tasks.map((t) => [
        { v: t.code, href: taskHref(t.code) },
        t.title,
        t.assignedBy,
        t.sourceDoc,
        formatDate(t.assignedAt, zone),
        deadlineText(t.effectiveDeadline, zone),
        t.completedAt !== null && t.completedAt <= choice.asOf ? formatDate(t.completedAt, zone) : '',
        STATE_LABEL[t.status],
      ]),
      empty: status ? `Không có nhiệm vụ nào ${STATE_LABEL[status].toLowerCase()} trong kỳ này.` : 'Đơn vị chưa có nhiệm vụ nào giao trong kỳ này.',
    };
    const tables: PageTable[] = [
      {
        key: 'soluong',
        name: `Số liệu ${unit.code}`,
        head: [{ label: 'Phạm vi' }, ...COUNTS_HEAD],
        rows: [
          ['Gồm đơn vị trực thuộc', ...countsRow(counts, rate)],
          ['Riêng đơn vị', ...countsRow(own, onTimeRate(own))],
        ],
        empty: '',
      },
      taskTable,
      {
        key: 'donvi',
        name: `Đơn vị thuộc ${unit.code}`,
        head: [{ label: 'Hạng', num: true }, { label: 'Đơn vị' }, ...COUNTS_HEAD],
        // A child's page is a link only for whoever may open it (an officer sees the own unit's page only).
        rows: children.map((u) => [u.rank, unitRefusal(v, { unitId: u.id, unitPath: u.path }) === null ? { v: u.name, href: unitHref(u.code) } : u.name, ...countsRow(u, u.onTimeRate)]),
        empty: 'Đơn vị không có đơn vị trực thuộc.',
      },
    ];
    if (c.req.query('xlsx') !== undefined) {
      const t = tables.find((x) => x.key === c.req.query('xlsx'));
      if (!t) throw new InvalidInput('Trang này không có bảng đó để tải. Hãy bấm "Tải bảng (.xlsx)" dưới bảng cần tải.');
      return tableXlsx(c, t);
    }
    const ky = choice.text || undefined;
    const filters = html`<p class="filters">Lọc: <a href="${href(c.req.path, { ky })}"${status ? '' : html` class="on"`}>Tất cả (${own.total})</a>${STATUS_COLUMNS.map(
      (s) => html`<a href="${href(c.req.path, { ky, tt: s.param })}"${status === s.key ? html` class="on"` : ''}>${s.label} (${own[s.key]})</a>`,
    )}</p>`;
    const tt = status ? STATUS_COLUMNS.find((s) => s.key === status)?.param : undefined;
    const pager =
      pages > 1
        ? html`<p class="pager">Trang ${page}/${pages}${page > 1 ? html` · <a href="${href(c.req.path, { ky, tt, trang: String(page - 1) })}">← Trang trước</a>` : ''}${page < pages ? html` · <a href="${href(c.req.path, { ky, tt, trang: String(page + 1) })}">Trang sau →</a>` : ''}</p>`
        : '';
    const bars = children.filter((u) => u.doneOnTime + u.doneLate + u.overdue > 0);
    const [summary, , childTable] = tables;
    return renderPage(c, {
      title: unitName,
      body: html`${PAGE_STYLE}${periodForm(c.req.path, choice, deps, tt ? { tt } : {})}
<h2>Kết quả thực hiện nhiệm vụ</h2>
${countTiles(counts, rate)}
${pageTable(c, summary, zone)}
<h2>Nhiệm vụ của ${unit.name}</h2>
${filters}
${pager}
${pageTable(c, taskTable, zone)}
${pager}
<h2>Đơn vị trực thuộc</h2>
${bars.length ? chart(unitsChartSvg({ title: `Xếp hạng đơn vị thuộc ${unit.name}`, subtitle: `${choice.period.label}; ${RATE_LABEL.toLowerCase()} ở cuối mỗi thanh.`, units: bars.map((u) => ({ name: u.name, onTime: u.doneOnTime, late: u.doneLate, overdue: u.overdue })) })) : ''}
${pageTable(c, childTable, zone)}
<p class="muted">Danh sách nhiệm vụ chỉ gồm nhiệm vụ giao trực tiếp cho ${unit.name}; tải cả danh sách đã lọc: <a href="${downloadHref(c, 'nhiemvu')}">.xlsx</a>.</p>`,
    });
  });
}
