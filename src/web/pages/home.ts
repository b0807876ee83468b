// `/`: the overview of the viewer's scope for a period (the chat's period words, default the
// year as /tinhhinh): the four counts and the on-time rate, the tasks overdue and due soon,
// the year month by month, and the units directly below ranked. Then the pages they may open.
import { html } from 'hono/html';
import { trendChartSvg, unitsChartSvg } from '../../charts/index.ts';
import { openTasks, type OpenTaskRow } from '../../db/tasks.repo.ts';
import { onTimeRate } from '../../domain/status.ts';
import { renderPage } from '../layout.ts';
import { navFor } from '../nav.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebDeps } from '../types.ts';
import { childrenRanked, monthlyCounts, scopeCounts, scopeOf, yearOfPeriodEnd, type ViewScope } from './scope.ts';
import {
  chart,
  COUNTS_HEAD,
  countsRow,
  countTiles,
  downloadIfAsked,
  PAGE_STYLE,
  pageTable,
  periodForm,
  periodOf,
  rateText,
  RATE_LABEL,
  STATUS_COLUMNS,
  deadlineText,
  type PageTable,
} from './view.ts';

const ROLE_VI = { officer: 'Cán bộ', head: 'Lãnh đạo đơn vị', chair: 'Lãnh đạo UBND', admin: 'Quản trị' } as const;
/** How many tasks the overdue and due-soon lists show. */
export const LIST_SHOWN = 20;
/** "Due soon": the effective deadline within this many days. */
export const DUE_SOON_DAYS = 7;
const DAY = 86_400_000;

export function taskHref(code: string): string {
  return `/nhiemvu/${encodeURIComponent(code)}`;
}

export function unitHref(code: string): string {
  return `/donvi/${encodeURIComponent(code)}`;
}

function openFilter(scope: ViewScope): { unitId?: number; pathPrefix?: string } {
  if (!scope.subtree) return { unitId: scope.unit.id };
  return { pathPrefix: scope.wholeTree ? '/' : scope.unit.path };
}

function taskList(key: string, name: string, rows: OpenTaskRow[], zone: string, empty: string): PageTable {
  return {
    key,
    name,
    head: [{ label: 'Mã' }, { label: 'Nhiệm vụ' }, { label: 'Đơn vị' }, { label: 'Hạn' }],
    rows: rows.map((t) => [{ v: t.code, href: taskHref(t.code) }, t.title, { v: t.unitCode, href: unitHref(t.unitCode) }, deadlineText(t.effectiveDeadline, zone)]),
    empty,
  };
}

export function registerHomeRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/', requireViewer, async (c) => {
    const v = viewerOf(c);
    const zone = deps.config.zone;
    const choice = periodOf(c, deps);
    const scope = await scopeOf(deps.db, v);
    const { counts, rate, report } = await scopeCounts(deps, scope, {
      from: choice.period.from,
      to: choice.period.to,
      asOf: choice.asOf,
      label: choice.period.label,
      cutoffDay: choice.period.cutoffDay,
    });
    const now = deps.now();
    const where = openFilter(scope);
    const overdue = await openTasks(deps.db, { ...where, dueBefore: now - 1, limit: LIST_SHOWN });
    const dueSoon = await openTasks(deps.db, { ...where, dueAfter: now, dueBefore: now + DUE_SOON_DAYS * DAY, limit: LIST_SHOWN });
    const year = yearOfPeriodEnd(choice.period.to, zone);
    const months = await monthlyCounts(deps, scope, year);
    const children = scope.subtree ? await childrenRanked(deps.db, scope.unit, report) : [];
    const scopeName = scope.subtree ? `${scope.unit.name} và các đơn vị trực thuộc` : scope.unit.name;

    const tables: PageTable[] = [
      { key: 'soluong', name: `Tổng quan ${scope.unit.code}`, head: [{ label: 'Phạm vi' }, ...COUNTS_HEAD], rows: [[scope.subtree ? 'Gồm đơn vị trực thuộc' : 'Riêng đơn vị', ...countsRow(counts, rate)]], empty: '' },
      taskList('quahan', 'Nhiệm vụ quá hạn', overdue, zone, 'Không có nhiệm vụ nào quá hạn.'),
      taskList('sapden', 'Nhiệm vụ sắp đến hạn', dueSoon, zone, `Không có nhiệm vụ nào đến hạn trong ${DUE_SOON_DAYS} ngày tới.`),
      {
        key: 'theothang',
        name: `Theo tháng ${year}`,
        head: [{ label: 'Tháng' }, ...COUNTS_HEAD],
        rows: months.filter((m) => m.started).map((m) => [{ v: `Tháng ${m.month}`, href: `/?ky=${encodeURIComponent(m.ky)}` }, ...countsRow(m, onTimeRate(m))]),
        empty: 'Năm này chưa bắt đầu.',
      },
      {
        key: 'donvi',
        name: 'Xếp hạng đơn vị',
        head: [{ label: 'Hạng', num: true }, { label: 'Đơn vị' }, ...COUNTS_HEAD],
        rows: children.map((u) => [u.rank, { v: u.name, href: unitHref(u.code) }, ...countsRow(u, u.onTimeRate)]),
        empty: 'Không có đơn vị trực thuộc.',
      },
    ];
    const download = await downloadIfAsked(c, tables);
    if (download) return download;
    const [summary, overdueT, dueSoonT, monthsT, unitsT] = tables;

    const trend = trendChartSvg({
      title: `Kết quả từng tháng năm ${year}`,
      subtitle: 'Nhiệm vụ giao trong tháng: đúng hạn, trễ hạn, quá hạn (tính đến cuối tháng hoặc hôm nay).',
      months: months.map((m) => ({ month: m.month, onTime: m.doneOnTime, late: m.doneLate, overdue: m.overdue })),
    });
    const bars = children.filter((u) => u.doneOnTime + u.doneLate + u.overdue > 0);
    const ranked = bars.length
      ? unitsChartSvg({
          title: `Xếp hạng đơn vị trực thuộc ${scope.unit.name}`,
          subtitle: `${choice.period.label}; ${RATE_LABEL.toLowerCase()} ở cuối mỗi thanh.`,
          units: bars.map((u) => ({ name: u.name, onTime: u.doneOnTime, late: u.doneLate, overdue: u.overdue })),
        })
      : null;
    const pages = navFor(v).filter((e) => e.href !== '/');
    return renderPage(c, {
      title: 'Tổng quan',
      body: html`${PAGE_STYLE}<div class="box">
<p><strong>${v.fullName}</strong> (${v.code})${v.title ? html` · ${v.title}` : ''} · ${ROLE_VI[v.role]}</p>
<p>Đơn vị: <a href="${unitHref(scope.unit.code)}">${scope.unit.name}</a> (${scope.unit.code}). Số liệu của: ${scopeName}.</p>
</div>
${periodForm('/', choice, deps)}
<h2>Kết quả thực hiện nhiệm vụ</h2>
${countTiles(counts, rate)}
${pageTable(c, summary, zone)}
<h2>Nhiệm vụ quá hạn (đến hôm nay)</h2>
${pageTable(c, overdueT, zone)}
<h2>Sắp đến hạn (${DUE_SOON_DAYS} ngày tới)</h2>
${pageTable(c, dueSoonT, zone)}
<h2>Từng tháng năm ${year}</h2>
${chart(trend)}
${pageTable(c, monthsT, zone)}
${scope.subtree
  ? html`<h2>Xếp hạng đơn vị trực thuộc</h2>
${ranked ? chart(ranked) : ''}
${pageTable(c, unitsT, zone)}`
  : ''}
<h2>Các trang anh/chị xem được</h2>
${pages.length ? html`<ul class="links">${pages.map((e) => html`<li><a href="${e.href}">${e.label}</a></li>`)}</ul>` : html`<p class="muted">Chưa có trang nào khác.</p>`}
<p class="muted">${STATUS_COLUMNS.map((s) => s.label).join(', ')}: như báo cáo /tinhhinh; ${RATE_LABEL.toLowerCase()} = đúng hạn / (đúng hạn + trễ hạn + quá hạn), "${rateText(null)}" khi chưa có nhiệm vụ nào đến hạn.</p>`,
    });
  });
}
