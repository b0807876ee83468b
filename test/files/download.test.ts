import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownloadFailed, downloadLimited } from '../../src/files/download.ts';
import { DownloadTooLarge } from '../../src/files/errors.ts';

let server: http.Server;
let base: string;
/** Bytes the server managed to write per path (a refused download stops early). */
const written = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url === '/small') return res.end(Buffer.alloc(1000, 1));
    if (url === '/announced') {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write(Buffer.alloc(1024));
      return; // never ends: the client must not wait for it
    }
    if (url === '/chunked') {
      // No length announced: 64 KB chunks until the client hangs up.
      res.writeHead(200, { 'transfer-encoding': 'chunked' });
      let n = 0;
      const tick = () => {
        if (res.destroyed || n >= 200) return res.end();
        n++;
        written.set(url, n * 65536);
        if (res.write(Buffer.alloc(65536, 2))) setImmediate(tick);
        else res.once('drain', tick);
      };
      res.on('close', () => undefined);
      return tick();
    }
    res.writeHead(404).end('not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('downloadLimited', () => {
  it('returns the body within the limit', async () => {
    expect(await downloadLimited(`${base}/small`, 1000)).toEqual(Buffer.alloc(1000, 1));
  });

  it('refuses at once a body whose announced length is over the limit', async () => {
    const e = await downloadLimited(`${base}/announced`, 1024 * 1024).catch((x) => x);
    expect(e).toBeInstanceOf(DownloadTooLarge);
    expect(e).toMatchObject({ bytes: 50 * 1024 * 1024, exact: true });
  });

  it('stops reading a body without a length as soon as it passes the limit', async () => {
    const e = await downloadLimited(`${base}/chunked`, 200_000).catch((x) => x);
    expect(e).toBeInstanceOf(DownloadTooLarge);
    expect(e.exact).toBe(false);
    expect(e.bytes).toBeGreaterThan(200_000);
    expect(e.bytes).toBeLessThan(200 * 65536);
  });

  it('an HTTP error or an unreachable server is a DownloadFailed without the URL', async () => {
    const e = await downloadLimited(`${base}/missing`, 1000).catch((x) => x);
    expect(e).toBeInstanceOf(DownloadFailed);
    expect(e.message).toBe('download failed: HTTP 404');
    const e2 = await downloadLimited('http://127.0.0.1:1/file/botSECRET/x.jpg', 1000).catch((x) => x);
    expect(e2).toBeInstanceOf(DownloadFailed);
    expect(e2.message).not.toContain('SECRET');
  });
});
