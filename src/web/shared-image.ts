// GET /anh/<token>.png: a shared picture (the weekly chart Zalo fetches), as a plain answer
// the web app's route sends as is. Unknown, malformed and expired tokens get the same 404.
import type { Db } from '../db/open.ts';
import { sharedImage } from '../db/shared-images.repo.ts';

export interface SharedImageResponse {
  status: 200 | 404;
  contentType: string;
  body: Buffer | string;
  /** Cache-Control: a fetched picture may be kept until it expires (a day at most), a miss not at all. */
  cacheControl: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const DAY_S = 86_400;

/** `token` as in the address, with or without its ".png". */
export async function sharedImageResponse(db: Db, token: string, now: number): Promise<SharedImageResponse> {
  const bare = token.endsWith('.png') ? token.slice(0, -4) : token;
  const img = TOKEN.test(bare) ? await sharedImage(db, bare, now) : undefined;
  if (!img) {
    return { status: 404, contentType: 'text/plain; charset=utf-8', body: 'Ảnh không có hoặc đã hết hạn.', cacheControl: 'no-store' };
  }
  const maxAge = Math.max(0, Math.min(DAY_S, Math.floor((img.expiresAt - now) / 1000)));
  return { status: 200, contentType: img.contentType, body: img.body, cacheControl: `public, max-age=${maxAge}` };
}
