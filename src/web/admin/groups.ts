// `/nhom` group bindings: which chat is bound to which unit (or is the leadership group),
// whether the bot can still send there, since when; and unbinding. Who: the chat's
// 'bindGroup' rule (`/nhom` in a group) — an admin for every group, a chair for the groups
// of the own subtree (the leadership group: a chair of the whole tree).
import { html } from 'hono/html';
import { bindingsInScope, mayManageBindings, unbindAs } from '../../app/office-admin.ts';
import type { AdminBindingRow } from '../../db/admin.repo.ts';
import type { Channel } from '../../db/schema.ts';
import { formatDate } from '../../domain/dates.ts';
import { NotAllowed } from '../../domain/errors.ts';
import { csrfField, renderPage, table } from '../layout.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebDeps } from '../types.ts';

const CHANNEL_VI: Record<Channel, string> = { telegram: 'Telegram', zalo: 'Zalo', console: 'Thử trên máy' };
export const NOT_BINDER = 'Trang nhóm chat dành cho cán bộ quản trị (Phòng Nội vụ) và lãnh đạo UBND (nhóm của đơn vị mình).';

const what = (b: AdminBindingRow) => (b.leadership ? 'Nhóm lãnh đạo' : `${b.unitName ?? ''} (${b.unitCode ?? ''})`);

export function registerGroupRoutes(app: WebApp, deps: WebDeps): void {
  app.get('/nhom', requireViewer, async (c) => {
    const v = viewerOf(c);
    if (!mayManageBindings(v)) throw new NotAllowed(NOT_BINDER);
    const rows = await bindingsInScope(deps.db, v);
    const csrf = c.get('csrf');
    const done = c.req.query('dago') === '1';
    return renderPage(c, {
      title: 'Nhóm chat đã gắn',
      body: html`${done ? html`<div class="box"><p class="msg">Đã gỡ nhóm: bot không gửi nhắc việc vào nhóm đó nữa.</p></div>` : ''}
<p>Gắn nhóm mới: thêm bot vào nhóm rồi gõ <b>/nhom &lt;mã đơn vị&gt;</b> hoặc <b>/nhom lanhdao</b> trong nhóm. “Hỏng” nghĩa là bot đã bị xoá khỏi nhóm hoặc bị chặn: gỡ nhóm, hoặc thêm lại bot rồi gắn lại.</p>
${table(
  [{ label: 'Kênh, mã nhóm' }, { label: 'Gắn với' }, { label: 'Tình trạng' }, { label: 'Từ ngày' }, { label: '' }],
  rows.map((b) => [
    html`${CHANNEL_VI[b.channel]}<br><span class="muted">${b.chatId}</span>`,
    what(b),
    b.status === 'ok' ? 'Bình thường' : 'Hỏng',
    formatDate(b.createdAt, deps.config.zone),
    html`<form method="post" action="/nhom/${b.id}/go">${csrfField(csrf)}<button type="submit">Gỡ</button></form>`,
  ]),
  'Chưa có nhóm nào được gắn.',
)}`,
    });
  });

  app.post('/nhom/:id/go', requireViewer, async (c) => {
    const v = viewerOf(c);
    if (!mayManageBindings(v)) throw new NotAllowed(NOT_BINDER);
    const b = await unbindAs(deps.db, v, Number(c.req.param('id')));
    deps.log.info({ by: v.code, channel: b.channel, chat: b.chatId, unit: b.unitCode, leadership: b.leadership }, 'web unbind group');
    return c.redirect('/nhom?dago=1', 303);
  });
}
