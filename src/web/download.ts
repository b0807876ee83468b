// A file to download (an .xlsx table), named in Vietnamese when the browser supports it.
import type { WebContext } from './types.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Answers with the bytes as an attachment; `filename` may carry diacritics (RFC 5987). */
export function xlsxResponse(c: WebContext, filename: string, bytes: Uint8Array): Response {
  const ascii = filename.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\w.-]+/g, '_');
  c.header('content-type', XLSX_TYPE);
  c.header('content-disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`);
  c.header('cache-control', 'no-store');
  return c.body(bytes as Uint8Array<ArrayBuffer>);
}
