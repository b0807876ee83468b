// `/dinhky?nam=`: the recurring reports table (chế độ báo cáo định kỳ) of a year, as
// `nhacviec report recurring` counts it (occurrences due in the year, status as of now),
// limited to the rules of the units the viewer may see; the totals are of those rows.
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import { recurringReport } from '../../app/recurring/report.ts';
import { unitByCode } from '../../db/units.repo.ts';
import { formatDate } from '../../domain/dates.ts';
import { InvalidInput } from '../../domain/errors.ts';
import { emptyCounts, onTimeRate, type StatusCounts } from '../../domain/status.ts';
import { renderPage } from '../layout.ts';
import { unitRefusal } from '../permissions.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebContext, WebDeps } from '../types.ts';
import { unitHref } from './home.ts';
import { COUNTS_HEAD, countsRow, downloadIfAsked, PAGE_STYLE, pageTable, type PageTable } from './view.ts';

function yearOf(c: WebContext, deps: WebDeps): number {
  const text = (c.req.query('nam') ?? '').trim();
  if (text === '') return DateTime.fromMillis(deps.now(), { zone: deps.config.zone }).year;
  const y = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(y >= 2000 && y <= 2100)) throw new InvalidInput(`Năm "${text.slice(0, 20)}" không hợp lệ. Hãy nhập năm có 4 chữ số, ví dụ: ?nam=2025.`);
  return y;
}

export function registerRecurringRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/dinhky', requireViewer, async (c) => {
    const v = viewerOf(c);
    const zone = deps.config.zone;
    const year = yearOf(c, deps);
    const rep = await recurringReport(deps.db, year, deps.now(), zone);
    const visible = new Map<string, boolean>();
    for (const code of new Set(rep.rows.map((r) => r.unitCode))) {
      const u = await unitByCode(deps.db, code);
      visible.set(code, u !== undefined && unitRefusal(v, { unitId: u.id, unitPath: u.path }) === null);
    }
    const rows = rep.rows.filter((r) => visible.get(r.unitCode));
    const totals = emptyCounts();
    for (const r of rows) for (const k of Object.keys(totals) as (keyof StatusCounts)[]) totals[k] += r[k];
    const t: PageTable = {
      key: 'dinhky',
      name: `Báo cáo định kỳ ${year}`,
      head: [{ label: 'Đơn vị' }, { label: 'Mã' }, { label: 'Nhiệm vụ định kỳ' }, { label: 'Còn lặp' }, ...COUNTS_HEAD],
      rows: [
        ...rows.map((r) => [{ v: r.unitName, href: unitHref(r.unitCode) }, r.ruleCode, r.title, r.active ? 'Còn' : 'Đã dừng', ...countsRow(r, onTimeRate(r))]),
        ...(rows.length ? [['Tổng', '', '', '', ...countsRow(totals, onTimeRate(totals))]] : []),
      ],
      empty: `Không có nhiệm vụ định kỳ nào đến hạn trong năm ${year}.`,
    };
    const download = await downloadIfAsked(c, [t]);
    if (download) return download;
    return renderPage(c, {
      title: `Thực hiện chế độ báo cáo định kỳ năm ${year}`,
      body: html`${PAGE_STYLE}<form method="get" action="/dinhky" class="period"><label>Năm <input name="nam" size="5" inputmode="numeric" value="${year}"></label><button type="submit">Xem</button></form>
<p class="muted">Số kỳ có hạn trong năm ${year}, tình trạng tính đến ${formatDate(rep.asOf, zone)}${rows.length < rep.rows.length ? '; chỉ gồm các đơn vị anh/chị được xem' : ''}.</p>
${pageTable(c, t, zone)}`,
    });
  });
}
