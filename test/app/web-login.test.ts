// Sign-in links and sessions at the use-case level, on both engines.
import { describe, expect, it } from 'vitest';
import { issueLoginLink, LINK_VALID_MS, resumeSession, SESSION_IDLE_MS, signInWithLink, signOut, TOUCH_STEP_MS } from '../../src/app/web-login.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { seedDemo } from '../../src/demo/seed.ts';
import { testDb } from '../helpers/db.ts';
import { NOW, ZONE } from './chat/helpers.ts';

async function world() {
  const db = await testDb();
  await seedDemo(db, NOW, ZONE);
  const chair = (await officerByCode(db, 'CT-TINH'))!;
  const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
  return { db, chair, tokenOf };
}

describe('web sign-in', () => {
  it('a link opens one session for its officer, once; the session then resumes with its CSRF token', async () => {
    const { db, chair, tokenOf } = await world();
    const url = await issueLoginLink(db, chair.id, NOW, 'https://nv.example.gov.vn/');
    expect(url).toMatch(/^https:\/\/nv\.example\.gov\.vn\/dangnhap\/[A-Za-z0-9_-]{43}$/);
    const s = await signInWithLink(db, tokenOf(url), NOW + 1000);
    expect(s?.officerId).toBe(chair.id);
    expect(await signInWithLink(db, tokenOf(url), NOW + 2000)).toBeNull();
    const live = await resumeSession(db, s!.sessionId, NOW + 3000);
    expect(live?.officerId).toBe(chair.id);
    expect(live?.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('a link expires after 10 minutes', async () => {
    const { db, chair, tokenOf } = await world();
    const url = await issueLoginLink(db, chair.id, NOW, 'http://localhost:8080');
    expect(await signInWithLink(db, tokenOf(url), NOW + LINK_VALID_MS)).toBeNull();
  });

  it('two uses of one link at once: exactly one session', async () => {
    const { db, chair, tokenOf } = await world();
    const token = tokenOf(await issueLoginLink(db, chair.id, NOW, 'http://localhost:8080'));
    const results = await Promise.all(Array.from({ length: 4 }, () => signInWithLink(db, token, NOW + 1)));
    expect(results.filter((r) => r !== null)).toHaveLength(1);
  });

  it('a session ends after 12 hours idle, is kept alive by use, and ends at sign-out', async () => {
    const { db, chair, tokenOf } = await world();
    const s = (await signInWithLink(db, tokenOf(await issueLoginLink(db, chair.id, NOW, 'http://x')), NOW))!;
    let t = NOW;
    for (let i = 0; i < 3; i++) {
      t += SESSION_IDLE_MS - TOUCH_STEP_MS;
      expect(await resumeSession(db, s.sessionId, t)).not.toBeNull();
    }
    expect(await resumeSession(db, s.sessionId, t + SESSION_IDLE_MS)).toBeNull();
    const s2 = (await signInWithLink(db, tokenOf(await issueLoginLink(db, chair.id, t, 'http://x')), t))!;
    await signOut(db, s2.sessionId, t + 1);
    expect(await resumeSession(db, s2.sessionId, t + 2)).toBeNull();
  });

  it('made-up tokens and session ids find nothing', async () => {
    const { db } = await world();
    for (const x of ['', 'abc', 'A'.repeat(43), "' OR 1=1 --"]) {
      expect(await signInWithLink(db, x, NOW)).toBeNull();
      expect(await resumeSession(db, x, NOW)).toBeNull();
    }
  });
});
