// `/nhap` (admins): import a spreadsheet by upload, with the CLI's importers
// (`nhacviec import <loại> <tệp>`). Upload → a dry run shows how many rows would be
// written, the first rows, and every bad row as `dòng N: cột: lý do`; nothing is written
// until the officer confirms, and then all or nothing. Between the two steps the file
// waits on the server (import-uploads.ts): the confirmation sends only its token.
import { html } from 'hono/html';
import { COLUMNS, IMPORT_KINDS, KIND_LABEL, type ImportKind } from '../../app/import/columns.ts';
import { formatRowErrors, importFile, type ImportResult } from '../../app/import/import.service.ts';
import { previewImportFile, type ImportPreview } from '../../app/import/preview.ts';
import { DomainError } from '../../domain/errors.ts';
import { csrfField, messagePage, renderPage, table, type Html } from '../layout.ts';
import { assertAdmin } from '../permissions.ts';
import { requireViewer, viewerOf } from '../session.ts';
import type { WebApp, WebContext, WebDeps } from '../types.ts';
import { ImportUploads, type StoredResult } from './import-uploads.ts';

/** The kinds as the form offers them. */
export const KIND_TITLE: Record<ImportKind, string> = {
  units: 'Đơn vị',
  officers: 'Cán bộ',
  tasks: 'Nhiệm vụ',
  commitments: 'Cam kết (chỉ tiêu)',
};
/** Rows of the file shown under the dry run's count. */
export const PREVIEW_ROWS = 10;
const EXTENSIONS = ['.csv', '.txt', '.xlsx'];

const isKind = (s: unknown): s is ImportKind => typeof s === 'string' && (IMPORT_KINDS as readonly string[]).includes(s);

function uploadForm(csrf: string, kind: ImportKind | undefined): Html {
  return html`<form method="post" action="/nhap" enctype="multipart/form-data" class="box">
${csrfField(csrf)}
<p><label>Loại dữ liệu<br><select name="loai" required>
${IMPORT_KINDS.map((k) => html`<option value="${k}"${k === kind ? html` selected` : ''}>${KIND_TITLE[k]}</option>`)}
</select></label></p>
<p><label>Tệp .csv hoặc .xlsx<br><input type="file" name="tep" accept=".csv,.xlsx,.txt" required></label></p>
<p><button type="submit">Kiểm tra tệp</button> <span class="muted">Chưa ghi gì cho đến khi anh/chị xác nhận.</span></p>
</form>`;
}

function columnsHelp(): Html {
  return html`<h2>Các cột của từng loại</h2>
${table(
  [{ label: 'Loại' }, { label: 'Cột bắt buộc' }, { label: 'Cột không bắt buộc' }],
  IMPORT_KINDS.map((k) => [
    KIND_TITLE[k],
    COLUMNS[k].filter((c) => c.required).map((c) => `${c.vi} (${c.en})`).join(', '),
    COLUMNS[k].filter((c) => !c.required).map((c) => `${c.vi} (${c.en})`).join(', ') || '—',
  ]),
)}
<p class="muted">Tiêu đề cột viết tiếng Việt hoặc tiếng Anh, có dấu hay không dấu đều được. Nhập lại cùng mã thì cập nhật dòng đã có.</p>`;
}

function errorList(lines: string[]): Html {
  return html`<ul class="links">${lines.map((l) => html`<li>${l}</li>`)}</ul>`;
}

function previewTable(p: ImportPreview): Html {
  return table([{ label: 'Dòng', num: true }, ...p.headers.map((h) => ({ label: h }))], p.rows.map((r) => [r.line, ...r.cells]));
}

export function registerImportRoutes(app: WebApp, deps: WebDeps, uploads = new ImportUploads()): void {
  const page = (c: WebContext, body: Html, status: 200 | 400 = 200) => renderPage(c, { title: 'Nhập dữ liệu từ tệp', body, status });

  app.get('/nhap', requireViewer, (c) => {
    assertAdmin(viewerOf(c));
    const kind = c.req.query('loai');
    return page(c, html`<p>Chọn loại dữ liệu và tệp, bấm <b>Kiểm tra tệp</b>: trang sẽ cho biết số dòng sẽ ghi và mọi dòng lỗi. Chỉ khi anh/chị xác nhận mới ghi, và ghi tất cả hoặc không ghi gì.</p>
${uploadForm(c.get('csrf'), isKind(kind) ? kind : undefined)}
${columnsHelp()}`);
  });

  app.post('/nhap', requireViewer, async (c) => {
    const v = viewerOf(c);
    assertAdmin(v);
    const body = await c.req.parseBody();
    const kind = body['loai'];
    const file = body['tep'];
    const csrf = c.get('csrf');
    const again = (sentence: string, k?: ImportKind) => page(c, html`<div class="box"><p class="msg">${sentence}</p></div>${uploadForm(csrf, k)}`, 400);
    if (!isKind(kind)) return again('Hãy chọn loại dữ liệu: đơn vị, cán bộ, nhiệm vụ hoặc cam kết.');
    if (!(file instanceof File) || file.size === 0) return again('Hãy chọn một tệp .csv hoặc .xlsx có dữ liệu.', kind);
    const name = file.name || 'tep';
    if (!EXTENSIONS.some((e) => name.toLowerCase().endsWith(e))) return again(`Tệp ${name} không đọc được: chỉ nhận tệp .csv hoặc .xlsx.`, kind);

    const saved = uploads.save({ sessionId: c.get('sessionId') ?? '', officerId: v.officerId, kind, fileName: name, bytes: new Uint8Array(await file.arrayBuffer()), now: deps.now() });
    let result: ImportResult;
    let preview: ImportPreview | undefined;
    try {
      result = await importFile(deps.db, kind, saved.file, { zone: deps.config.zone, now: deps.now(), calendar: deps.config.calendar, confirmation: deps.config.confirmation, dryRun: true });
      if (result.ok) preview = await previewImportFile(saved.file, kind, PREVIEW_ROWS);
    } catch (e) {
      uploads.drop(saved.token);
      if (e instanceof DomainError) return again(e.message, kind);
      throw e;
    }
    const label = KIND_LABEL[kind];
    if (!result.ok) {
      uploads.drop(saved.token);
      return page(
        c,
        html`<div class="box"><p class="msg">Không nhập gì: tệp ${name} có ${result.errors.length} lỗi. Sửa các dòng sau rồi tải lên lại.</p>
${errorList(formatRowErrors(result.errors).split('\n'))}</div>
${uploadForm(csrf, kind)}`,
      );
    }
    const rules = result.rules ? html`, trong đó ${result.rules} nhiệm vụ sẽ lặp lại định kỳ` : '';
    return page(
      c,
      html`<div class="box"><p class="msg">Kiểm tra xong, chưa ghi gì: tệp ${name} có ${result.rows} ${label} hợp lệ${rules}, không có dòng lỗi.</p>
<form method="post" action="/nhap/xacnhan">${csrfField(csrf)}<input type="hidden" name="phieu" value="${saved.token}">
<button type="submit">Xác nhận nhập ${result.rows} ${label}</button> <a href="/nhap">Huỷ</a></form>
<p class="muted">Tệp được giữ trên máy chủ 1 giờ để chờ xác nhận; quá thời hạn thì tải lên lại.</p></div>
<h2>${preview && preview.rows.length < result.rows ? `${preview.rows.length} dòng đầu` : 'Các dòng sẽ ghi'}</h2>
${preview ? previewTable(preview) : ''}`,
    );
  });

  app.post('/nhap/xacnhan', requireViewer, async (c) => {
    const v = viewerOf(c);
    assertAdmin(v);
    const body = await c.req.parseBody();
    const token = typeof body['phieu'] === 'string' ? body['phieu'] : '';
    const claim = uploads.claim(token, c.get('sessionId') ?? '', v.officerId, deps.now());
    if (!claim.ok) return messagePage(c, 400, 'Không nhập được', claim.reason);
    let stored: StoredResult;
    try {
      const r = await importFile(deps.db, claim.kind, claim.file, { zone: deps.config.zone, now: deps.now(), calendar: deps.config.calendar, confirmation: deps.config.confirmation });
      stored = r.ok
        ? { kind: claim.kind, fileName: claim.fileName, ok: true, rows: r.rows, inserted: r.inserted, updated: r.updated, rules: r.rules ?? 0, errors: [] }
        : { kind: claim.kind, fileName: claim.fileName, ok: false, rows: 0, inserted: 0, updated: 0, rules: 0, errors: formatRowErrors(r.errors).split('\n') };
    } catch (e) {
      if (!(e instanceof DomainError)) {
        claim.release({ kind: claim.kind, fileName: claim.fileName, ok: false, rows: 0, inserted: 0, updated: 0, rules: 0, errors: [] });
        throw e;
      }
      stored = { kind: claim.kind, fileName: claim.fileName, ok: false, rows: 0, inserted: 0, updated: 0, rules: 0, errors: [e.message] };
    }
    claim.release(stored);
    deps.log.info({ officer: v.code, kind: stored.kind, ok: stored.ok, rows: stored.rows, inserted: stored.inserted, updated: stored.updated }, 'web import');
    return c.redirect(`/nhap/ketqua/${token}`, 303);
  });

  app.get('/nhap/ketqua/:token', requireViewer, (c) => {
    const v = viewerOf(c);
    assertAdmin(v);
    const r = uploads.result(c.req.param('token'), c.get('sessionId') ?? '', v.officerId, deps.now());
    if (!r) return messagePage(c, 404, 'Không tìm thấy kết quả', 'Không có kết quả nhập ở địa chỉ này (kết quả chỉ giữ 1 giờ, trong phiên đã nhập). Hãy mở trang Nhập dữ liệu.');
    const label = KIND_LABEL[r.kind];
    const rules = r.rules ? ` Tạo ${r.rules} nhiệm vụ định kỳ, mã quy tắc là mã nhiệm vụ thêm đuôi -LL.` : '';
    const body = r.ok
      ? html`<div class="box"><p class="msg">Đã nhập ${r.rows} ${label} từ tệp ${r.fileName}: ${r.inserted} mới, ${r.updated} cập nhật.${rules}</p></div>`
      : html`<div class="box"><p class="msg">Không nhập gì từ tệp ${r.fileName}: dữ liệu đã thay đổi từ lúc kiểm tra. Sửa rồi tải lên lại.</p>${errorList(r.errors)}</div>`;
    return renderPage(c, { title: 'Kết quả nhập dữ liệu', body: html`${body}<p><a href="/nhap">Nhập tệp khác</a></p>` });
  });
}
