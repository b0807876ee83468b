// Fetching an attachment from a platform's file server, never holding more than the limit.
import { DownloadTooLarge } from './errors.ts';

/** A failed download (connection, HTTP status): the sender is asked to send again. */
export class DownloadFailed extends Error {}

/**
 * GETs `url` and returns its body; stops reading and throws DownloadTooLarge as soon as the
 * body (or its announced Content-Length) passes `maxBytes`. Never puts the URL in an error:
 * a platform's file URL holds the bot token.
 */
export async function downloadLimited(url: string | URL, maxBytes: number, opts: { fetch?: typeof fetch; timeoutMs?: number } = {}): Promise<Buffer> {
  const doFetch = opts.fetch ?? fetch;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeoutMs ?? 60_000);
  try {
    let res: Response;
    try {
      res = await doFetch(url, { signal: ctrl.signal });
    } catch (e) {
      throw new DownloadFailed(`download failed: ${(e as Error)?.name ?? 'error'}`);
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel().catch(() => undefined);
      throw new DownloadFailed(`download failed: HTTP ${res.status}`);
    }
    const announced = Number(res.headers.get('content-length'));
    if (Number.isFinite(announced) && announced > maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw new DownloadTooLarge(announced, true);
    }
    const chunks: Buffer[] = [];
    let seen = 0;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        seen += value.byteLength;
        if (seen > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new DownloadTooLarge(seen, false);
        }
        chunks.push(Buffer.from(value));
      }
    } catch (e) {
      if (e instanceof DownloadTooLarge) throw e;
      throw new DownloadFailed(`download interrupted: ${(e as Error)?.name ?? 'error'}`);
    }
    return Buffer.concat(chunks, seen);
  } finally {
    clearTimeout(timer);
  }
}
