// /camket, /camket capnhat and /camket tongket through telegraf and the telegram-test-api emulator, with the real core.
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotCore } from '../../../src/bot/core.ts';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/bot.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { rowCount } from '../../app/chat/helpers.ts';
import { testDb } from '../../helpers/db.ts';
import { capturedLogger } from '../helpers/fakes.ts';
import { freePort } from '../../helpers/net.ts';

const TelegramServer = telegramTestApi as unknown as typeof Emulator;
const TOKEN = '111222333:AAF-test-token-commitments';

let server: Emulator;
let db: Db;
let channel: TelegramChannel | undefined;

beforeEach(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await server.start();
  db = await testDb();
});

afterEach(async () => {
  channel?.stop();
  channel = undefined;
  await server.stop();
  await db.close();
});

describe('/camket through the Telegram emulator', () => {
  it('a head records a value and sees it; an officer records for the own unit, is refused for another, and nothing is written then', async () => {
    const now = Date.UTC(2026, 10, 23, 1, 0, 0); // 23/11/2026 08:00 in Hà Nội
    const config = loadConfig({ ...process.env, TELEGRAM_BOT_TOKEN: undefined, ZALO_BOT_TOKEN: undefined });
    await seedDemo(db, now, config.zone);
    const head = (await officerByCode(db, 'CT-XA-AN'))!.id;
    const cb = (await officerByCode(db, 'CB-XA-AN'))!.id;
    await db.tx(async (tx) => {
      await upsertAccount(tx, { channel: 'telegram', externalId: '601', officerId: head, now });
      await upsertAccount(tx, { channel: 'telegram', externalId: '602', officerId: cb, now });
    });
    const logs = capturedLogger();
    channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core: createBotCore({ db, config, log: logs.log }), db, log: logs.log, now: () => now });
    void channel.startPolling();
    const count = () => rowCount(db, 'target_values');
    const before = await count();

    const headClient = server.getClient(TOKEN, { userId: 601, chatId: 601, type: 'private', timeout: 5000 });
    await headClient.sendMessage(headClient.makeMessage('/camket capnhat CCHC-01 98,5% Cổng dịch vụ công'));
    const [recorded] = (await headClient.getUpdates()).result.map((r) => r.message as { text: string });
    expect(recorded.text).toMatch(/^Đã ghi chỉ tiêu CCHC-01: 98,5% \(23\/11\/2026, nguồn: Cổng dịch vụ công\)\.\nChỉ tiêu ≥ 98% — ✓ đạt\.$/);
    expect(await count()).toBe(before + 1);

    const officer = server.getClient(TOKEN, { userId: 602, chatId: 602, type: 'private', timeout: 5000 });
    await officer.sendMessage(officer.makeMessage('/camket update XA-SON CCHC-01 70'));
    const [refused] = (await officer.getUpdates()).result.map((r) => r.message as { text: string });
    expect(refused.text).toMatch(/^Chỉ tiêu cam kết của XA-SON không thuộc đơn vị của anh\/chị \(UBND xã An Bình\)/);
    expect(await count()).toBe(before + 1);
    await officer.sendMessage(officer.makeMessage('/camket update CCHC-02 70'));
    const [own] = (await officer.getUpdates()).result.map((r) => r.message as { text: string });
    expect(own.text).toMatch(/^Đã ghi chỉ tiêu CCHC-02: 70%/);
    expect(await count()).toBe(before + 2);

    await officer.sendMessage(officer.makeMessage('/camket'));
    const shown = (await officer.getUpdates()).result.map((r) => r.message as { text: string }).at(-1);
    expect(shown?.text).toMatch(/\n✓ CCHC-01 .*: ≥ 98%; hiện 98,5%/);
  });
});
