// `/`: who is signed in, and the pages they may open. (The overview's counts and charts come here.)
import { html } from 'hono/html';
import { renderPage } from '../layout.ts';
import { navFor } from '../nav.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebDeps } from '../types.ts';

const ROLE_VI = { officer: 'Cán bộ', head: 'Lãnh đạo đơn vị', chair: 'Lãnh đạo UBND', admin: 'Quản trị' } as const;

export function registerHomeRoutes(app: WebApp, _deps: WebDeps): void {
  app.get('/', requireViewer, (c) => {
    const v = viewerOf(c);
    const pages = navFor(v).filter((e) => e.href !== '/');
    return renderPage(c, {
      title: 'Tổng quan',
      body: html`<div class="box">
<p><strong>${v.fullName}</strong> (${v.code})${v.title ? html` · ${v.title}` : ''} · ${ROLE_VI[v.role]}</p>
<p>Đơn vị: ${v.unitName} (${v.unitCode})</p>
</div>
<h2>Các trang anh/chị xem được</h2>
${pages.length ? html`<ul class="links">${pages.map((e) => html`<li><a href="${e.href}">${e.label}</a></li>`)}</ul>` : html`<p class="muted">Chưa có trang nào khác.</p>`}`,
    });
  });
}
