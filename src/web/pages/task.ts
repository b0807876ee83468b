// `/nhiemvu/<mã>`: one task — title, issuing body and document, deadline and extensions,
// status, late reason, confirmation, assignee, co-ordinating units, suspension, evidence,
// and the history of events in words. Seen by whoever may see its unit, and by the people
// of its co-ordinating units (as the chat lets them see its evidence).
import { html } from 'hono/html';
import { refusal } from '../../app/auth.ts';
import { evidenceOfTask } from '../../db/evidence.repo.ts';
import { extensionsOfTask } from '../../db/extensions.repo.ts';
import { cooperatingUnits, taskExtras } from '../../db/pages.repo.ts';
import { eventsOf, taskByCode } from '../../db/tasks.repo.ts';
import { formatDate, formatDateTime } from '../../domain/dates.ts';
import { NotAllowed, NotFound } from '../../domain/errors.ts';
import { taskState } from '../../domain/status.ts';
import { normCode } from '../../domain/text.ts';
import { renderPage } from '../layout.ts';
import { unitRefusal } from '../permissions.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebDeps } from '../types.ts';
import { unitHref } from './home.ts';
import { deadlineText, downloadIfAsked, PAGE_STYLE, pageTable, STATE_LABEL, type PageTable } from './view.ts';

/** Events shown, newest first. */
export const EVENTS_SHOWN = 200;

/** What each kind of task event means, in words. */
export const EVENT_VI: Record<string, string> = {
  assigned: 'Giao nhiệm vụ',
  completed: 'Hoàn thành',
  late_reason: 'Nêu lý do chậm',
  extension_requested: 'Đề nghị gia hạn',
  extension_approved: 'Duyệt gia hạn',
  extension_rejected: 'Từ chối gia hạn',
};

const EXT_STATUS_VI = { pending: 'Chờ duyệt', approved: 'Đã duyệt', rejected: 'Từ chối' } as const;

function eventWords(kind: string): string {
  // A kind added later than this page shows as recorded rather than not at all.
  return EVENT_VI[kind] ?? `Khác (${kind})`;
}

function kb(size: number): string {
  return size < 1024 ? `${size} B` : `${Math.round(size / 1024)} KB`;
}

export function registerTaskRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/nhiemvu/:code', requireViewer, async (c) => {
    const v = viewerOf(c);
    const zone = deps.config.zone;
    const code = normCode(c.req.param('code')).slice(0, 60);
    const t = await taskByCode(deps.db, code);
    if (!t) throw new NotFound(`Không có nhiệm vụ mã ${code}. Kiểm tra lại mã nhiệm vụ.`);
    const coops = await cooperatingUnits(deps.db, t.id);
    const target = { unitId: t.unitId, unitPath: t.unitPath, label: `Nhiệm vụ ${t.code}` };
    const why = unitRefusal(v, target);
    if (why !== null && refusal(v, 'evidence', { ...target, cooperatingUnitIds: coops.map((u) => u.id) }) !== null) throw new NotAllowed(why);

    const now = deps.now();
    const extras = await taskExtras(deps.db, t.id);
    const extensions = await extensionsOfTask(deps.db, t.id);
    const events = await eventsOf(deps.db, t.id, EVENTS_SHOWN);
    const files = await evidenceOfTask(deps.db, t.id);
    const status = taskState({ ...t, suspendedAt: extras?.suspendedAt ?? null }, now);
    const awaiting = extras?.reportedAt != null && t.completedAt === null;
    const statusText = extras?.suspendedAt != null ? `Tạm dừng từ ${formatDate(extras.suspendedAt, zone)}` : awaiting ? `${STATE_LABEL[status]}; đã báo cáo hoàn thành, chờ xác nhận` : STATE_LABEL[status];

    const tables: PageTable[] = [
      {
        key: 'giahan',
        name: `Gia hạn ${t.code}`,
        head: [{ label: 'Đề nghị lúc' }, { label: 'Người đề nghị' }, { label: 'Hạn mới' }, { label: 'Lý do' }, { label: 'Kết quả' }, { label: 'Quyết định lúc' }, { label: 'Người quyết định' }, { label: 'Ghi chú' }],
        rows: extensions.map((x) => [
          formatDateTime(x.requestedAt, zone),
          x.requesterName ?? '',
          formatDate(x.newDeadline, zone),
          x.reason,
          EXT_STATUS_VI[x.status],
          x.decidedAt !== null ? formatDateTime(x.decidedAt, zone) : '',
          x.deciderName ?? '',
          x.decisionNote ?? '',
        ]),
        empty: 'Chưa có đề nghị gia hạn nào.',
      },
      {
        key: 'lichsu',
        name: `Lịch sử ${t.code}`,
        head: [{ label: 'Lúc' }, { label: 'Ai' }, { label: 'Việc' }, { label: 'Chi tiết' }],
        rows: events.map((e) => [formatDateTime(e.at, zone), e.officerName ?? 'Hệ thống', eventWords(e.kind), e.detail ?? '']),
        empty: 'Chưa có sự kiện nào.',
      },
      {
        key: 'minhchung',
        name: `Minh chứng ${t.code}`,
        head: [{ label: 'Tệp' }, { label: 'Loại' }, { label: 'Cỡ', num: true }, { label: 'Người gửi' }, { label: 'Lúc' }],
        rows: files.map((f) => [f.originalName ?? `${t.code}.${f.ext}`, f.kind === 'photo' ? 'Ảnh' : 'Tài liệu', kb(f.size), f.officerName ?? '', formatDateTime(f.at, zone)]),
        empty: 'Chưa có minh chứng nào.',
      },
    ];
    const download = await downloadIfAsked(c, tables);
    if (download) return download;

    const row = (label: string, value: unknown) => html`<tr><th>${label}</th><td>${value}</td></tr>`;
    const details = [
      row('Mã', t.code),
      row('Đơn vị chủ trì', html`<a href="${unitHref(t.unitCode)}">${t.unitName}</a> (${t.unitCode})`),
      coops.length ? row('Đơn vị phối hợp', html`${coops.map((u, i) => html`${i ? ', ' : ''}<a href="${unitHref(u.code)}">${u.name}</a>`)}`) : '',
      extras?.assigneeName ? row('Cán bộ được phân công', extras.assigneeName) : '',
      row('Cơ quan giao', t.assignedBy || 'Không ghi'),
      row('Văn bản', t.sourceDoc || 'Không ghi'),
      row('Ngày giao', formatDate(t.assignedAt, zone)),
      row('Hạn ban đầu', deadlineText(t.deadline, zone)),
      t.effectiveDeadline !== t.deadline ? row('Hạn sau gia hạn', deadlineText(t.effectiveDeadline, zone)) : '',
      row('Trạng thái', statusText),
      t.completedAt !== null ? row('Hoàn thành', `${formatDateTime(t.completedAt, zone)}${t.completedByName ? ` · ${t.completedByName}` : ''}`) : '',
      extras?.needsConfirmation ? row('Cần xác nhận', 'Cấp giao việc xác nhận báo cáo hoàn thành trước khi tính là đã xong') : '',
      awaiting && extras?.reportedAt != null
        ? row('Báo cáo chờ xác nhận', `${formatDateTime(extras.reportedAt, zone)}${extras.reportedByName ? ` · ${extras.reportedByName}` : ''}${extras.reportNote ? ` · ${extras.reportNote}` : ''}`)
        : '',
      extras?.suspendedAt != null ? row('Tạm dừng', `${formatDateTime(extras.suspendedAt, zone)}${extras.suspendReason ? ` · ${extras.suspendReason}` : ''}`) : '',
      t.lateReason ? row('Lý do chậm', t.lateReason) : '',
      t.note ? row('Ghi chú', t.note) : '',
    ];
    const [ext, hist, ev] = tables;
    return renderPage(c, {
      title: t.title,
      body: html`${PAGE_STYLE}<div class="table-wrap"><table class="kv">${details}</table></div>
<h2>Gia hạn</h2>
${pageTable(c, ext, zone)}
<h2>Minh chứng</h2>
${pageTable(c, ev, zone)}
<h2>Lịch sử${events.length === EVENTS_SHOWN ? ` (${EVENTS_SHOWN} sự kiện gần nhất)` : ''}</h2>
${pageTable(c, hist, zone)}`,
    });
  });
}
