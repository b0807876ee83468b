import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../../src/channels/console/run.ts';
import { loadConfig } from '../../../src/config.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { createLogger } from '../../../src/log.ts';
import { testDb } from '../../helpers/db.ts';
import { bindGroup, NOW, queuedNotices, ZONE } from './helpers.ts';

describe('runConsole', () => {
  it('acts as the chosen officer, prints replies, stops at /thoat', async () => {
    const db = await testDb();
    await seedDemo(db, NOW, ZONE);
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c) => (printed += c.toString()));
    const done = runConsole({ db, config: loadConfig({}), log: createLogger('silent'), officerCode: 'ct-tinh', input, output, now: () => NOW });
    input.end('/viec quahan\nxong NV-10\n/thoat\n/viec\n');
    await done;
    expect(printed).toMatch(/với tư cách Nguyễn Văn An/);
    expect(printed).toMatch(/❗ NV-09 \[XA-AN\]/);
    expect(printed).toMatch(/NV-10 hoàn thành đúng hạn/);
    expect(printed).not.toMatch(/gửi tới/);
  });

  it('queues what other chats are told in the outbox and shows it', async () => {
    const db = await testDb();
    await seedDemo(db, NOW, ZONE);
    await bindGroup(db, { channel: 'telegram', chatId: 'g-an', unitCode: 'XA-AN' });
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (c) => (printed += c.toString()));
    const done = runConsole({ db, config: loadConfig({}), log: createLogger('silent'), officerCode: 'ct-tinh', input, output, now: () => NOW });
    input.end('/giao XA-AN 31/12/2026 Rà soát hộ nghèo\n');
    await done;
    expect(printed).toMatch(/Đã giao nhiệm vụ NV-2026-0001/);
    expect(printed).toMatch(/→ \[gửi tới telegram g-an, qua hàng đợi gửi tin\]\n📌 Nhiệm vụ mới NV-2026-0001/);
    expect(printed).toMatch(/\[✅ Đã hoàn thành\]/);
    expect(await queuedNotices(db)).toMatchObject([{ key: expect.stringMatching(/^notice:console:/), channel: 'telegram', chatId: 'g-an', status: 'pending' }]);
  });

  it('refuses an unknown officer', async () => {
    const db = await testDb();
    const output = new PassThrough();
    await expect(runConsole({ db, config: loadConfig({}), log: createLogger('silent'), officerCode: 'KHONG', input: new PassThrough(), output })).rejects.toThrow(/Không có cán bộ/);
  });
});
