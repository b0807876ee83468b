// The page frame every page is drawn in: server-rendered HTML, escaped by default
// (hono/html's `html` escapes every ${value}; `raw()` only for markup built here),
// Vietnamese, a small inline stylesheet that fits a phone and the in-app browsers of
// Zalo and Telegram, and no JavaScript needed to read anything.
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { navFor } from './nav.ts';
import type { Viewer, WebContext } from './types.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;color:#1b1f24;background:#f5f6f8}
header{background:#a50e0e;color:#fff;padding:.5rem .75rem}
header a{color:#fff}
.brand{font-weight:700;text-decoration:none;margin-right:.5rem}
nav{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;margin-top:.25rem;font-size:.95rem}
nav form{margin:0 0 0 auto}
nav button{background:none;border:1px solid #fff;color:#fff;border-radius:4px;padding:.1rem .5rem;font:inherit;cursor:pointer}
main{max-width:64rem;margin:0 auto;padding:.75rem}
h1{font-size:1.3rem;margin:.25rem 0 .75rem}
h2{font-size:1.1rem;margin:1.25rem 0 .5rem}
.who{display:block;color:#fde8e8;font-size:.9rem}
.box{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.75rem;margin:.5rem 0}
.msg{font-size:1.05rem}
.box>:first-child{margin-top:0}
.box>:last-child{margin-bottom:0}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.95rem}
th,td{border:1px solid #dde1e6;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef0f3}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
a{color:#0b57d0}
ul.links{padding-left:1.2rem}
ul.links li{margin:.25rem 0}
.muted{color:#666}
button,input,select{font:inherit}
`;

export interface PageOptions {
  /** The <title> and the page's heading. */
  title: string;
  body: Html;
  /** HTTP status (default 200). */
  status?: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 500;
}

function navBar(v: Viewer | null, csrf: string): Html {
  if (!v) return html``;
  const links = navFor(v).map((e) => html`<a href="${e.href}">${e.label}</a>`);
  return html`<nav>${links}<form method="post" action="/dangxuat">${csrfField(csrf)}<button type="submit">Đăng xuất</button></form></nav>`;
}

/** The whole HTML document around a page's body. */
export function document(v: Viewer | null, csrf: string, title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · Nhắc việc</title>
<style>${raw(CSS)}</style>
</head>
<body>
<header><a class="brand" href="/">Nhắc việc</a>${v ? html`<span class="who">${v.fullName} · ${v.unitName}</span>` : ''}${navBar(v, csrf)}</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

/** Answers with a page in the layout, for the viewer of this request. */
export function renderPage(c: WebContext, opts: PageOptions): Response | Promise<Response> {
  c.header('cache-control', 'no-store');
  return c.html(document(c.get('viewer') ?? null, c.get('csrf') ?? '', opts.title, opts.body), opts.status ?? 200);
}

/** A page that only says one thing (an error, what to do next). */
export function messagePage(c: WebContext, status: NonNullable<PageOptions['status']>, title: string, sentence: string): Response | Promise<Response> {
  return renderPage(c, { title, status, body: html`<div class="box"><p class="msg">${sentence}</p></div>` });
}

/** The hidden input every POST form carries (checked by the CSRF middleware). */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A table of rows; numeric columns aligned right. */
export function table(head: { label: string; num?: boolean }[], rows: (string | number | Html)[][], empty = 'Không có dòng nào.'): Html {
  if (rows.length === 0) return html`<p class="muted">${empty}</p>`;
  return html`<div class="table-wrap"><table>
<thead><tr>${head.map((h) => html`<th${h.num ? raw(' class="num"') : ''}>${h.label}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${r.map((cell, i) => html`<td${head[i]?.num ? raw(' class="num"') : ''}>${cell}</td>`)}</tr>`)}</tbody>
</table></div>`;
}
