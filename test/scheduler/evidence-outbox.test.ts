// Evidence through the outbox: a notice carries a stored file by reference (no bytes in the
// payload), and the drain hands it to the channel, which reads it from the store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { queueNotices } from '../../src/app/notify.ts';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/open.ts';
import { FileStore } from '../../src/files/store.ts';
import { createOutboxSender } from '../../src/scheduler/sender.ts';
import { startFakeBotApi, type FakeBotApi } from '../channels/evidence/fake-bot-api.ts';
import { SAMPLES } from '../files/samples.ts';
import { testDb } from '../helpers/db.ts';
import { fakeChannel, fakeClock, quietLog } from './fakes.ts';

/** 23/11/2026 09:00 in Hà Nội: outside quiet hours. */
const T0 = Date.UTC(2026, 10, 23, 2, 0);
let db: Db;
let dir: string;
let files: FileStore;

beforeEach(async () => {
  db = await testDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-outbox-files-'));
  files = new FileStore(path.join(dir, 'files'));
});
afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('stored files in the outbox', () => {
  it('the payload holds the reference, not the bytes; the drain puts the file on the last piece of a long text', async () => {
    const pdf = await files.put(Buffer.concat([SAMPLES.pdf, Buffer.alloc(500_000)]), 'pdf');
    const ref = { sha256: pdf.sha256, ext: 'pdf', name: 'Biên bản.pdf', kind: 'document' as const };
    const long = Array.from({ length: 80 }, (_, i) => `${i + 1}. Nhiệm vụ NV-09: báo cáo hoàn thành kèm minh chứng`).join('\n');
    await db.tx((tx) => queueNotices(tx, [{ to: { channel: 'telegram', chatId: '-900' }, text: long, file: ref }], { channel: 'telegram', id: 'u1' }, T0));
    const [row] = await db.orm.select().from(db.t.outbox);
    expect(JSON.parse(row.payload!)).toEqual({ file: ref });
    expect(row.payload!.length).toBeLessThan(300);

    const clock = fakeClock(T0);
    const tg = fakeChannel('telegram', clock, 1000);
    const r = await createOutboxSender({ db, config: loadConfig({}), log: quietLog, senders: [tg], clock }).drain(60_000);
    expect(r.sent).toBe(1);
    expect(tg.sent.length).toBeGreaterThan(1);
    expect(tg.sent.slice(0, -1).every((m) => m.file === undefined)).toBe(true);
    expect(tg.sent.at(-1)?.file).toEqual(ref);
    expect(tg.sent.map((m) => m.text).join('\n')).toBe(long);
  });

  it('drained through the Telegram sender, the file is uploaded from the store', async () => {
    const api: FakeBotApi = await startFakeBotApi();
    try {
      const jpg = await files.put(SAMPLES.jpg, 'jpg');
      const ref = { sha256: jpg.sha256, ext: 'jpg', name: 'anh.jpg', kind: 'photo' as const };
      await db.tx((tx) => queueNotices(tx, [{ to: { channel: 'telegram', chatId: '-901' }, text: 'NV-09 chờ xác nhận, kèm minh chứng', file: ref }], { channel: 'telegram', id: 'u2' }, T0));
      const sender = createTelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot }), { files });
      const r = await createOutboxSender({ db, config: loadConfig({}), log: quietLog, senders: [sender], clock: fakeClock(T0) }).drain(60_000);
      expect(r).toMatchObject({ sent: 1, failed: 0 });
      const sends = api.calls.filter((c) => c.method.startsWith('send'));
      expect(sends.map((c) => c.method)).toEqual(['sendPhoto']);
      expect(sends[0].body.includes(SAMPLES.jpg)).toBe(true);
      expect(sends[0].body.toString()).toContain('NV-09 chờ xác nhận, kèm minh chứng');
    } finally {
      await api.close();
    }
  });

  it('a file gone from the store fails the message for good with the reason, without retries', async () => {
    const api: FakeBotApi = await startFakeBotApi();
    try {
      const ref = { sha256: 'e'.repeat(64), ext: 'pdf', name: 'mat.pdf', kind: 'document' as const };
      await db.tx((tx) => queueNotices(tx, [{ to: { channel: 'telegram', chatId: '-902' }, text: 'Minh chứng', file: ref }], { channel: 'telegram', id: 'u3' }, T0));
      const sender = createTelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot }), { files });
      const r = await createOutboxSender({ db, config: loadConfig({}), log: quietLog, senders: [sender], clock: fakeClock(T0) }).drain(60_000);
      expect(r).toMatchObject({ sent: 0, failed: 1 });
      const [row] = await db.orm.select().from(db.t.outbox);
      expect(row).toMatchObject({ status: 'failed', attempts: expect.any(Number) });
      expect(row.lastError).toMatch(/missing from the file store/);
    } finally {
      await api.close();
    }
  });
});
