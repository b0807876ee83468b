import { describe, expect, it } from 'vitest';
import { allBindings, upsertBinding } from '../../../src/db/bindings.repo.ts';
import { moveBinding } from '../../../src/db/bindings-migrate.repo.ts';
import { testDb } from '../../helpers/db.ts';

describe('moveBinding (a group became a supergroup)', () => {
  it('moves the binding once; seeing the migration again changes nothing', async () => {
    const db = await testDb();
    await upsertBinding(db, { channel: 'telegram', chatId: '-5', unitId: null, leadership: true, now: 0 });
    expect(await moveBinding(db, 'telegram', '-5', '-1005')).toBe(true);
    expect(await moveBinding(db, 'telegram', '-5', '-1005')).toBe(false);
    expect((await allBindings(db)).map((b) => [b.chatId, b.leadership])).toEqual([['-1005', 1]]);
  });

  it('keeps a binding already made for the new id, and touches only its own channel', async () => {
    const db = await testDb();
    await upsertBinding(db, { channel: 'telegram', chatId: '-6', unitId: null, leadership: true, now: 0 });
    await upsertBinding(db, { channel: 'telegram', chatId: '-1006', unitId: null, leadership: false, now: 0 });
    await upsertBinding(db, { channel: 'zalo', chatId: '-7', unitId: null, leadership: true, now: 0 });
    expect(await moveBinding(db, 'telegram', '-6', '-1006')).toBe(false);
    expect(await moveBinding(db, 'telegram', '-7', '-1007')).toBe(false);
    expect((await allBindings(db)).map((b) => `${b.channel}:${b.chatId}`).sort()).toEqual(['telegram:-1006', 'telegram:-6', 'zalo:-7']);
  });
});
