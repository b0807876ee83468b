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
