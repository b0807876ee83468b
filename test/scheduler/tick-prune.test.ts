import { describe, expect, it } from 'vitest';
import { markProcessed } from '../../src/db/accounts.repo.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { at, office } from './fixture.ts';

describe('tick and the replay guard', () => {
  it('forgets handled update ids after three days, so the table does not grow forever', () => {
    const o = office();
    markProcessed(o.db, 'telegram', 'u:1', at('2024-04-01 09:00'));
    markProcessed(o.db, 'zalo', 'e:2', at('2024-04-03 10:00'));
    tick(o.db, at('2024-04-05 09:30'), o.config);
    const keys = (o.db.$client.prepare('SELECT update_key AS k FROM processed_updates ORDER BY k').all() as { k: string }[]).map((r) => r.k);
    expect(keys).toEqual(['e:2']);
    // A replay of the remembered one is still refused; the forgotten one would be taken again.
    expect(markProcessed(o.db, 'zalo', 'e:2', at('2024-04-05 09:31'))).toBe(false);
    expect(markProcessed(o.db, 'telegram', 'u:1', at('2024-04-05 09:31'))).toBe(true);
  });
});
