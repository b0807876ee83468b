import { describe, expect, it } from 'vitest';
import { newImageToken, pruneSharedImages, shareImage, sharedImage, SHARED_IMAGE_TTL_MS } from '../../src/db/shared-images.repo.ts';
import { testDb } from '../helpers/db.ts';

const NOW = Date.UTC(2026, 10, 30, 1, 0);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);

describe('shared images', () => {
  it('gives each picture an unguessable token: 32 random bytes, base64url', () => {
    const tokens = new Set(Array.from({ length: 50 }, newImageToken));
    expect(tokens.size).toBe(50);
    for (const t of tokens) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(t, 'base64url')).toHaveLength(32);
    }
  });

  it('keeps the bytes until they expire, after fourteen days by default, and prunes only the expired', async () => {
    const db = await testDb();
    const a = await shareImage(db, { contentType: 'image/png', body: PNG, now: NOW });
    const b = await shareImage(db, { contentType: 'image/png', body: PNG, now: NOW, ttlMs: 60_000 });
    expect(a).not.toBe(b);
    const got = await sharedImage(db, a, NOW + 1);
    expect(got?.contentType).toBe('image/png');
    expect(got?.body.equals(PNG)).toBe(true);
    expect(got?.expiresAt).toBe(NOW + SHARED_IMAGE_TTL_MS);
    expect(await sharedImage(db, a, NOW + SHARED_IMAGE_TTL_MS - 1)).toBeDefined();
    expect(await sharedImage(db, a, NOW + SHARED_IMAGE_TTL_MS)).toBeUndefined();
    expect(await sharedImage(db, 'x'.repeat(43), NOW)).toBeUndefined();

    expect(await pruneSharedImages(db, NOW + 59_999)).toBe(0);
    expect(await pruneSharedImages(db, NOW + 60_000)).toBe(1);
    expect(await sharedImage(db, b, NOW)).toBeUndefined();
    expect(await sharedImage(db, a, NOW + 60_000)).toBeDefined();
    expect(await pruneSharedImages(db, NOW + SHARED_IMAGE_TTL_MS)).toBe(1);
    expect(await db.orm.select().from(db.t.sharedImages)).toEqual([]);
  });
});
