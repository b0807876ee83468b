import { describe, expect, it } from 'vitest';
import { shareImage } from '../../src/db/shared-images.repo.ts';
import { sharedImageResponse } from '../../src/web/shared-image.ts';
import { testDb } from '../helpers/db.ts';

const NOW = Date.UTC(2026, 10, 30, 1, 0);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('GET /anh/<token>.png', () => {
  it('answers the picture with its type, cacheable until it expires (a day at most)', async () => {
    const db = await testDb();
    const token = await shareImage(db, { contentType: 'image/png', body: PNG, now: NOW });
    for (const asTyped of [`${token}.png`, token]) {
      const r = await sharedImageResponse(db, asTyped, NOW + 1000);
      expect(r).toMatchObject({ status: 200, contentType: 'image/png', cacheControl: 'public, max-age=86400' });
      expect(Buffer.isBuffer(r.body) && r.body.equals(PNG)).toBe(true);
    }
    const lastHour = await sharedImageResponse(db, token, NOW + 14 * 86_400_000 - 3_600_000);
    expect(lastHour.cacheControl).toBe('public, max-age=3600');
  });

  it('answers one 404 sentence for an expired, unknown or malformed token, never touching other rows', async () => {
    const db = await testDb();
    const token = await shareImage(db, { contentType: 'image/png', body: PNG, now: NOW, ttlMs: 60_000 });
    const other = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const t of [token, other, `${token}.png.png`, "' OR 1=1 --", '../etc/passwd', '', token.slice(0, 42)]) {
      const r = await sharedImageResponse(db, t, NOW + 60_000);
      expect(r).toEqual({ status: 404, contentType: 'text/plain; charset=utf-8', body: 'Ảnh không có hoặc đã hết hạn.', cacheControl: 'no-store' });
    }
    expect((await sharedImageResponse(db, token, NOW + 59_999)).status).toBe(200);
  });
});

describe('GET /anh/<token>.png over HTTP', () => {
  it('serves the picture without a session, and the 404 sentence for an unknown token', async () => {
    const { startWeb } = await import('./helpers.ts');
    const web = await startWeb();
    try {
      const token = await shareImage(web.db, { contentType: 'image/png', body: PNG, now: web.clock.now() });
      const res = await web.browser().get(`/anh/${token}.png`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
      const miss = await web.browser().get(`/anh/${'A'.repeat(43)}.png`);
      expect(miss.status).toBe(404);
      expect(await miss.text()).toBe('Ảnh không có hoặc đã hết hạn.');
    } finally {
      await web.stop();
    }
  });
});
