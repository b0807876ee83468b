// `/camket?nam=`: the commitments scorecard of a year for a chair's units (the numbers of
// /camket tongket and `nhacviec report commitments`), and `/camket/<mã đơn vị>?nam=`: one
// unit's targets with their status (as /camket <mã> in the chat). Anyone else opening
// `/camket` is sent to the own unit's targets, as the chat's /camket answers them.
import { html } from 'hono/html';
import { DateTime } from 'luxon';
import { refusal } from '../../app/auth.ts';
import { scorecard } from '../../app/commitments/scorecard.ts';
import { showCommitments } from '../../app/commitments/show.ts';
import { goalText, withMeasure } from '../../app/commitments/texts.ts';
import { scorecardBars, scorecardChartSvg } from '../../charts/index.ts';
import { commitmentHeader } from '../../db/commitments.repo.ts';
import { unitByCode } from '../../db/units.repo.ts';
import { STATUS_LABEL as TARGET_STATUS_LABEL, yearEnd, type TargetStatus } from '../../domain/commitments.ts';
import { formatDate } from '../../domain/dates.ts';
import { InvalidInput, NotAllowed, NotFound } from '../../domain/errors.ts';
import { normCode, viNumber } from '../../domain/text.ts';
import { renderPage } from '../layout.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebContext, WebDeps } from '../types.ts';
import { chart, downloadIfAsked, PAGE_STYLE, pageTable, type PageTable } from './view.ts';

function targetStatusText(s: TargetStatus): string {
  const t = TARGET_STATUS_LABEL[s];
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function yearOf(c: WebContext, deps: WebDeps): number {
  const text = (c.req.query('nam') ?? '').trim();
  if (text === '') return DateTime.fromMillis(deps.now(), { zone: deps.config.zone }).year;
  const y = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(y >= 2000 && y <= 2100)) throw new InvalidInput(`Năm "${text.slice(0, 20)}" không hợp lệ. Hãy nhập năm có 4 chữ số, ví dụ: ?nam=2025.`);
  return y;
}

function yearForm(action: string, year: number): ReturnType<typeof html> {
  return html`<form method="get" action="${action}" class="period"><label>Năm <input name="nam" size="5" inputmode="numeric" value="${year}"></label><button type="submit">Xem</button></form>`;
}

function scoreText(score: number | null): string {
  return score === null ? 'chưa có chỉ tiêu' : viNumber(score, 1);
}

export function registerCommitmentRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/camket', requireViewer, async (c) => {
    const v = viewerOf(c);
    const year = yearOf(c, deps);
    if (refusal(v, 'scorecard') !== null) return c.redirect(`/camket/${encodeURIComponent(v.unitCode)}?nam=${year}`, 303);
    const zone = deps.config.zone;
    // As the chat's /camket tongket: a year still running judged as of now, a past one as of its end; the chair's own subtree.
    const card = await scorecard(deps.db, { year, asOf: Math.min(deps.now(), yearEnd(year, zone)), zone, underPath: v.unitPath });
    const n = card.units.length;
    const rankTable: PageTable = {
      key: 'xephang',
      name: `Cam kết ${year}`,
      head: [{ label: 'Hạng' }, { label: 'Mã' }, { label: 'Đơn vị' }, { label: 'Đạt', num: true }, { label: 'Không đạt', num: true }, { label: 'Chưa có số liệu', num: true }, { label: 'Điểm', num: true }],
      rows: card.units.map((u) => [`${u.rank}/${n}`, u.code, { v: u.name, href: `/camket/${encodeURIComponent(u.code)}?nam=${year}` }, u.met, u.missed, u.noData, scoreText(u.score)]),
      empty: `Chưa có đơn vị nào ký cam kết năm ${year}.`,
    };
    const targetTable: PageTable = {
      key: 'chitieu',
      name: `Chỉ tiêu ${year}`,
      head: [{ label: 'Đơn vị' }, { label: 'Mã' }, { label: 'Chỉ tiêu' }, { label: 'Trạng thái' }, { label: 'Giá trị gần nhất', num: true }],
      rows: card.units.flatMap((u) =>
        u.targets.map((t) => [u.code, t.code, t.indicator, targetStatusText(t.status), t.lastValue === null ? '' : withMeasure(t.lastValue, t.measure)]),
      ),
      empty: 'Chưa có chỉ tiêu nào.',
    };
    const download = await downloadIfAsked(c, [rankTable, targetTable]);
    if (download) return download;
    return renderPage(c, {
      title: `Kết quả thực hiện cam kết năm ${year}`,
      body: html`${PAGE_STYLE}${yearForm('/camket', year)}
<p class="muted">Tính đến ${formatDate(card.asOf, zone)}. Điểm = số chỉ tiêu đạt / tổng số chỉ tiêu × 100.</p>
${n ? chart(scorecardChartSvg({ title: `Cam kết năm ${year}`, units: scorecardBars(card.units) })) : ''}
${pageTable(c, rankTable, zone)}
<h2>Chỉ tiêu của từng đơn vị</h2>
${pageTable(c, targetTable, zone)}`,
    });
  });

  app.get('/camket/:code', requireViewer, async (c) => {
    const v = viewerOf(c);
    const zone = deps.config.zone;
    const code = normCode(c.req.param('code')).slice(0, 40);
    const unit = await unitByCode(deps.db, code);
    if (!unit) throw new NotFound(`Không có đơn vị mã ${code}. Kiểm tra lại mã đơn vị.`);
    const why = refusal(v, 'commitments', { unitId: unit.id, unitPath: unit.path, label: `Cam kết của ${unit.name}` });
    if (why !== null) throw new NotAllowed(why);
    const year = yearOf(c, deps);
    const title = `Cam kết năm ${year} của ${unit.name}`;
    if (!(await commitmentHeader(deps.db, unit.id, year))) {
      return renderPage(c, { title, body: html`${yearForm(c.req.path, year)}<div class="box"><p class="msg">${unit.name} chưa có cam kết năm ${year}. Hãy chọn năm đã ký cam kết.</p></div>` });
    }
    const { data } = await showCommitments(deps.db, { unitCode: unit.code, year, asOf: deps.now(), zone });
    const targets: PageTable = {
      key: 'chitieu',
      name: `Cam kết ${unit.code} ${year}`,
      head: [{ label: 'Mã' }, { label: 'Chỉ tiêu' }, { label: 'Mục tiêu' }, { label: 'Giá trị gần nhất', num: true }, { label: 'Ngày' }, { label: 'Hạn' }, { label: 'Trạng thái' }],
      rows: data.targets.map((t) => [
        t.code,
        t.indicator,
        goalText(t.comparator, t.target, t.measure),
        t.lastValue === null ? '' : withMeasure(t.lastValue, t.measure),
        t.lastAt === null ? '' : formatDate(t.lastAt, zone),
        formatDate(t.dueAt, zone),
        targetStatusText(t.status),
      ]),
      empty: 'Cam kết chưa có chỉ tiêu nào.',
    };
    const download = await downloadIfAsked(c, [targets]);
    if (download) return download;
    const signed = [data.docRef, data.signedAt !== null ? `ký ngày ${formatDate(data.signedAt, zone)}` : '', data.signers ? `người ký: ${data.signers}` : ''].filter(Boolean).join(', ');
    return renderPage(c, {
      title,
      body: html`${PAGE_STYLE}${yearForm(c.req.path, year)}
${signed ? html`<p>${signed}</p>` : ''}
<p class="muted">Trạng thái tính đến ${formatDate(data.asOf, zone)}.</p>
${pageTable(c, targets, zone)}`,
    });
  });
}
