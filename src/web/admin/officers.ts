// `/canbo` officers: the list (code, name, unit, role, linked chat accounts, active), one
// officer's page with the open invites (code, Telegram deep link, QR code), making an
// invite (the CLI's `nhacviec invite`), and deactivating / reactivating.
// Who: the chat's 'invite' rule — an admin for every officer, a chair for the officers of
// the own subtree; deactivating is the admins' (src/app/office-admin.ts).
import { html, raw } from 'hono/html';
import QRCode from 'qrcode';
import {
  ADMINS_ONLY_DEACTIVATE,
  inviteOfficer,
  mayManageOfficers,
  officerInScope,
  officersInScope,
  setOfficerActiveAs,
} from '../../app/office-admin.ts';
import { linkedAccountsOfOfficer, linkedChannelsByOfficer, openInvitesOfOfficer, type OpenInviteRow } from '../../db/admin.repo.ts';
import type { Channel, Role } from '../../db/schema.ts';
import { formatDate, formatDateTime } from '../../domain/dates.ts';
import { NotAllowed } from '../../domain/errors.ts';
import { fold } from '../../domain/text.ts';
import { csrfField, renderPage, table, type Html } from '../layout.ts';
import { isAdmin } from '../permissions.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebDeps } from '../types.ts';

export const ROLE_VI: Record<Role, string> = { officer: 'Cán bộ', head: 'Trưởng đơn vị', chair: 'Lãnh đạo UBND', admin: 'Quản trị' };
const CHANNEL_VI: Record<Channel, string> = { telegram: 'Telegram', zalo: 'Zalo', console: 'Thử trên máy' };
/** Rows the list shows at most; a filter narrows a province's list. */
export const OFFICERS_SHOWN = 500;
export const NOT_OFFICE = 'Trang cán bộ dành cho cán bộ quản trị (Phòng Nội vụ) và lãnh đạo UBND (cán bộ thuộc đơn vị mình).';

const officerHref = (code: string) => `/canbo/${encodeURIComponent(code)}`;

/** The deep link that opens the bot and sends `/start <code>`, when the bot's username is configured. */
export function telegramDeepLink(deps: WebDeps, code: string): string | null {
  const bot = deps.config.env.TELEGRAM_BOT_USERNAME?.replace(/^@/, '');
  return bot ? `https://t.me/${bot}?start=${encodeURIComponent(code)}` : null;
}

async function inviteBox(deps: WebDeps, i: OpenInviteRow): Promise<Html> {
  const link = telegramDeepLink(deps, i.code);
  // Rendered by the qrcode package from our own text: markup we trust.
  const svg = await QRCode.toString(link ?? i.code, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return html`<div class="box invite">
<p>Mã mời: <b class="code">${i.code}</b> <span class="muted">(dùng một lần, hết hạn ${formatDate(i.expiresAt, deps.config.zone)})</span></p>
<p>Cán bộ gõ <b>/dangky ${i.code}</b> trong cuộc trò chuyện riêng với bot Nhắc việc (Telegram hoặc Zalo).</p>
${link ? html`<p>Hoặc mở trên điện thoại: <a href="${link}">${link}</a></p>` : html`<p class="muted">Chưa cấu hình tên bot Telegram (TELEGRAM_BOT_USERNAME), nên không có đường dẫn mở bot.</p>`}
<div class="qr" style="max-width:12rem">${raw(svg)}</div>
<p class="muted">${link ? 'Quét mã QR bằng điện thoại để mở bot và liên kết ngay.' : 'Mã QR chứa mã mời.'}</p>
</div>`;
}

export function registerOfficerRoutes(app: WebApp, deps: WebDeps): void {
  const zone = deps.config.zone;

  app.get('/canbo', requireViewer, async (c) => {
    const v = viewerOf(c);
    if (!mayManageOfficers(v)) throw new NotAllowed(NOT_OFFICE);
    const q = (c.req.query('q') ?? '').trim().slice(0, 100);
    const all = await officersInScope(deps.db, v);
    const needle = fold(q);
    const found = needle ? all.filter((o) => fold(`${o.code} ${o.fullName} ${o.unitCode} ${o.unitName}`).includes(needle)) : all;
    const shown = found.slice(0, OFFICERS_SHOWN);
    const linked = await linkedChannelsByOfficer(deps.db);
    return renderPage(c, {
      title: 'Cán bộ và mã mời',
      body: html`<p>${isAdmin(v) ? 'Mọi cán bộ trong hệ thống.' : `Cán bộ của ${v.unitName} và các đơn vị trực thuộc.`} Bấm mã cán bộ để cấp mã mời${isAdmin(v) ? ' hoặc ngừng hoạt động' : ''}.</p>
<form method="get" action="/canbo" class="box"><label>Tìm theo mã, tên hoặc đơn vị <input type="search" name="q" value="${q}"></label> <button type="submit">Tìm</button></form>
<p class="muted">${found.length > shown.length ? `Hiển thị ${shown.length}/${found.length} cán bộ; hãy tìm để thu hẹp.` : `${found.length} cán bộ.`}</p>
${table(
  [{ label: 'Mã, họ và tên' }, { label: 'Đơn vị' }, { label: 'Vai trò' }, { label: 'Tài khoản chat' }, { label: 'Trạng thái' }],
  shown.map((o) => {
    const ch = linked.get(o.id);
    return [
      html`<a href="${officerHref(o.code)}">${o.code}</a><br>${o.fullName}`,
      html`${o.unitName} <span class="muted">(${o.unitCode})</span>`,
      ROLE_VI[o.role],
      ch && ch.length > 0 ? `Đã liên kết: ${ch.map((x) => CHANNEL_VI[x]).join(', ')}` : 'Chưa liên kết',
      o.active ? 'Hoạt động' : 'Đã ngừng',
    ];
  }),
  q ? 'Không có cán bộ nào khớp.' : 'Chưa có cán bộ nào.',
)}`,
    });
  });

  app.get('/canbo/:code', requireViewer, async (c) => {
    const v = viewerOf(c);
    if (!mayManageOfficers(v)) throw new NotAllowed(NOT_OFFICE);
    const o = await officerInScope(deps.db, v, c.req.param('code'));
    const accounts = await linkedAccountsOfOfficer(deps.db, o.id);
    const invites = o.active ? await openInvitesOfOfficer(deps.db, o.id, deps.now()) : [];
    const csrf = c.get('csrf');
    const href = officerHref(o.code);
    const boxes = await Promise.all(invites.map((i) => inviteBox(deps, i)));
    return renderPage(c, {
      title: `${o.fullName} (${o.code})`,
      body: html`<div class="box">
<p>${o.title ? `${o.title}, ` : ''}${o.unitName} (${o.unitCode}) · ${ROLE_VI[o.role]} · <b>${o.active ? 'Đang hoạt động' : 'Đã ngừng hoạt động'}</b></p>
</div>
<h2>Tài khoản chat đã liên kết</h2>
${table(
  [{ label: 'Kênh' }, { label: 'Tên hiển thị' }, { label: 'Liên kết lúc' }],
  accounts.map((a) => [CHANNEL_VI[a.channel], a.displayName ?? '—', formatDateTime(a.linkedAt, zone)]),
  'Chưa liên kết tài khoản chat nào.',
)}
<h2 id="moi">Mã mời</h2>
${
  o.active
    ? html`${boxes.length > 0 ? boxes : html`<p class="muted">Không có mã mời nào còn hạn.</p>`}
<form method="post" action="${href}/moi">${csrfField(csrf)}<button type="submit">Cấp mã mời mới</button> <span class="muted">Mã dùng một lần, hạn ${deps.config.inviteValidDays} ngày.</span></form>`
    : html`<p class="muted">Cán bộ đã ngừng hoạt động: không cấp mã mời.</p>`
}
${
  isAdmin(v)
    ? html`<h2>Hoạt động</h2>${
        o.active
          ? html`<p><a href="${href}/ngung">Ngừng hoạt động cán bộ này…</a></p>`
          : html`<form method="post" action="${href}/molai">${csrfField(csrf)}<button type="submit">Cho hoạt động trở lại</button></form>`
      }`
    : ''
}
<p><a href="/canbo">← Danh sách cán bộ</a></p>`,
    });
  });

  app.post('/canbo/:code/moi', requireViewer, async (c) => {
    const v = viewerOf(c);
    if (!mayManageOfficers(v)) throw new NotAllowed(NOT_OFFICE);
    const { officer } = await inviteOfficer(deps.db, v, c.req.param('code'), deps.now(), deps.config.inviteValidDays);
    deps.log.info({ by: v.code, officer: officer.code }, 'web invite');
    return c.redirect(`${officerHref(officer.code)}#moi`, 303);
  });

  app.get('/canbo/:code/ngung', requireViewer, async (c) => {
    const v = viewerOf(c);
    if (!mayManageOfficers(v)) throw new NotAllowed(NOT_OFFICE);
    const o = await officerInScope(deps.db, v, c.req.param('code'));
    if (!isAdmin(v)) throw new NotAllowed(ADMINS_ONLY_DEACTIVATE);
    const href = officerHref(o.code);
    return renderPage(c, {
      title: 'Ngừng hoạt động cán bộ',
      body: html`<div class="box">
<p class="msg">Ngừng hoạt động ${o.fullName} (${o.code}, ${o.unitName})?</p>
<p>Sau khi ngừng, cán bộ này không dùng được lệnh nào trong chat, không đăng nhập được trang web, và mã mời chưa dùng không còn tác dụng. Nhiệm vụ và lịch sử vẫn giữ nguyên; có thể cho hoạt động trở lại.</p>
<form method="post" action="${href}/ngung">${csrfField(c.get('csrf'))}<button type="submit">Xác nhận ngừng hoạt động</button> <a href="${href}">Huỷ</a></form>
</div>`,
    });
  });

  app.post('/canbo/:code/ngung', requireViewer, async (c) => {
    const v = viewerOf(c);
    const { officer } = await setOfficerActiveAs(deps.db, v, c.req.param('code'), false, deps.now());
    deps.log.info({ by: v.code, officer: officer.code }, 'web deactivate officer');
    return c.redirect(officerHref(officer.code), 303);
  });

  app.post('/canbo/:code/molai', requireViewer, async (c) => {
    const v = viewerOf(c);
    const { officer } = await setOfficerActiveAs(deps.db, v, c.req.param('code'), true, deps.now());
    deps.log.info({ by: v.code, officer: officer.code }, 'web reactivate officer');
    return c.redirect(officerHref(officer.code), 303);
  });
}
