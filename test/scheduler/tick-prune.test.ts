import { asc } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { markProcessed } from '../../src/db/accounts.repo.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { at, office } from './fixture.ts';

describe('tick and the replay guard', () => {
  it('forgets handled update ids after three days, so the table does not grow forever', async () => {
    const o = await office();
    await markProcessed(o.db, 'telegram', 'u:1', at('2024-04-01 09:00'));
    await markProcessed(o.db, 'zalo', 'e:2', at('2024-04-03 10:00'));
    await tick(o.db, at('2024-04-05 09:30'), o.config);
    const { processedUpdates: p } = o.db.t;
    const keys = (await o.db.orm.select({ k: p.updateKey }).from(p).orderBy(asc(p.updateKey))).map((r) => r.k);
    expect(keys).toEqual(['e:2']);
    // A replay of the remembered one is still refused; the forgotten one would be taken again.
    expect(await markProcessed(o.db, 'zalo', 'e:2', at('2024-04-05 09:31'))).toBe(false);
    expect(await markProcessed(o.db, 'telegram', 'u:1', at('2024-04-05 09:31'))).toBe(true);
  });
});

describe('tick and the web sign-ins', () => {
  it('forgets expired sign-in links and sessions that ended or sat idle past 12 hours, and keeps the live ones', async () => {
    const { insertWebLink, insertWebSession, endWebSession } = await import('../../src/db/web.repo.ts');
    const o = await office();
    const officer = { id: await o.officer('CB-1', 'Lê Văn An', await o.unit('XA1', 'UBND xã Một'), 'officer') };
    const now = at('2024-04-05 09:30');
    const hour = 3_600_000;
    await insertWebLink(o.db, { tokenHash: 'expired', officerId: officer.id, createdAt: now - hour, expiresAt: now - 50 * 60_000 });
    await insertWebLink(o.db, { tokenHash: 'valid', officerId: officer.id, createdAt: now - 60_000, expiresAt: now + 9 * 60_000 });
    await insertWebSession(o.db, { idHash: 'idle', officerId: officer.id, csrfToken: 'a', now: now - 13 * hour });
    await insertWebSession(o.db, { idHash: 'ended', officerId: officer.id, csrfToken: 'b', now: now - hour });
    await endWebSession(o.db, 'ended', now - 30 * 60_000);
    await insertWebSession(o.db, { idHash: 'live', officerId: officer.id, csrfToken: 'c', now: now - 11 * hour });
    await tick(o.db, now, o.config);
    const links = (await o.db.orm.select({ k: o.db.t.webLinks.tokenHash }).from(o.db.t.webLinks)).map((r) => r.k);
    const sessions = (await o.db.orm.select({ k: o.db.t.webSessions.idHash }).from(o.db.t.webSessions)).map((r) => r.k);
    expect(links).toEqual(['valid']);
    expect(sessions).toEqual(['live']);
  });
});
