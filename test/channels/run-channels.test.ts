// `nhacviec start` minus the signals: both channels at once, polling and webhook modes.
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasAnyToken, startChannels } from '../../src/channels/run-channels.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { leaseHolder } from '../../src/db/leases.repo.ts';
import type { Db } from '../../src/db/open.ts';
import { redact, registerSecret } from '../../src/log.ts';
import { testDb } from '../helpers/db.ts';
import { capturedLogger, fakeCore } from './helpers/fakes.ts';
import { startFakeZalo, zaloText, type FakeZalo } from './helpers/fake-zalo.ts';
import { freePort } from '../helpers/net.ts';

const TelegramServer = telegramTestApi as unknown as typeof Emulator;
const TG_TOKEN = '444555666:AAE-run-channels-token';

let tg: Emulator;
let zalo: FakeZalo;
let db: Db;
let logs: ReturnType<typeof capturedLogger>;

beforeEach(async () => {
  tg = new TelegramServer({ port: await freePort(), host: '127.0.0.1' });
  await tg.start();
  zalo = await startFakeZalo();
  db = await testDb();
  logs = capturedLogger();
});
afterEach(async () => {
  await tg.stop();
  await zalo.close();
  await db.close();
});

function config(extra: Record<string, string> = {}): Config {
  const c = loadConfig({
    NHACVIEC_DB: ':memory:',
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_API_ROOT: tg.config.apiURL,
    ZALO_BOT_TOKEN: zalo.token,
    ZALO_API_ROOT: zalo.url,
    ...extra,
  });
  return { ...c, env: { ...c.env, PORT: 0 } };
}

describe('startChannels', () => {
  it('knows when no token is set (start then opens the demo console instead)', () => {
    expect(hasAnyToken(loadConfig({}))).toBe(false);
    expect(hasAnyToken(loadConfig({ ZALO_BOT_TOKEN: 'x' }))).toBe(true);
  });

  it('runs Telegram and Zalo at once by long polling (this process holds both poll leases); stop() ends everything and releases them', async () => {
    // (Notices to other chats, possibly on the other channel, go through the outbox: test/app, test/scheduler.)
    const core = fakeCore((m) => (m.channel === 'telegram' ? [{ text: 'Đã nhận' }] : [{ text: `Zalo: ${m.text}` }]));
    const running = await startChannels({ db, config: config(), log: logs.log, core, holder: 'only-process' });
    expect(running.senders.map((s) => s.channel).sort()).toEqual(['telegram', 'zalo']);
    expect(zalo.calls.map((c) => c.method).slice(0, 2)).toEqual(['getMe', 'deleteWebhook']);

    const client = tg.getClient(TG_TOKEN, { userId: 7, chatId: 7, type: 'private', timeout: 5000 });
    await client.sendMessage(client.makeMessage('/giahan NV-1 30/12 chờ số liệu'));
    const u = await client.getUpdates();
    expect((u.result[0].message as { text: string }).text).toBe('Đã nhận');
    expect(running.polling().sort()).toEqual(['telegram', 'zalo']);
    expect((await leaseHolder(db, 'poll:telegram', Date.now()))?.holder).toBe('only-process');

    zalo.queue(zaloText('@Nhắc việc /viec', { group: true, chatId: 'g-1', messageId: 'z-1' }));
    await zalo.waitSent(1);
    expect(zalo.sent[0]).toEqual({ chat_id: 'g-1', text: 'Zalo: /viec' });

    // No webhook: the web pages are served on PORT all the same.
    const page = await fetch(`http://127.0.0.1:${running.port}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('gõ /web');
    expect(running.publicUrl).toBe(`http://localhost:${running.port}`);

    await running.stop();
    const polls = zalo.calls.filter((c) => c.method === 'getUpdates').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(zalo.calls.filter((c) => c.method === 'getUpdates').length).toBe(polls);
    expect(await leaseHolder(db, 'poll:telegram', Date.now())).toBeUndefined();
    expect(await leaseHolder(db, 'poll:zalo', Date.now())).toBeUndefined();
    expect(logs.output()).not.toContain(TG_TOKEN);
    expect(logs.output()).not.toContain(zalo.token);
  });

  it('webhook mode for both: registers the webhooks and serves both paths on one port, each with its own secret', async () => {
    const core = fakeCore();
    const cfg = config({
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.gov.vn/hooks/telegram',
      TELEGRAM_WEBHOOK_SECRET: 'telegram-secret-12345',
      ZALO_WEBHOOK_URL: 'https://bot.example.gov.vn/hooks/zalo',
      ZALO_WEBHOOK_SECRET: 'zalo-secret-12345',
    });
    const running = await startChannels({ db, config: cfg, log: logs.log, core, host: '127.0.0.1', scheduler: false });
    try {
      expect(zalo.calls.find((c) => c.method === 'setWebhook')?.body).toEqual({ url: 'https://bot.example.gov.vn/hooks/zalo', secret_token: 'zalo-secret-12345' });
      const base = `http://127.0.0.1:${running.port}`;
      const zaloBody = JSON.stringify({ ok: true, result: zaloText('/viec', { userId: 'u8', messageId: 'wz' }) });
      expect((await fetch(`${base}/hooks/zalo`, { method: 'POST', headers: { 'x-bot-api-secret-token': 'zalo-secret-12345' }, body: zaloBody })).status).toBe(200);
      expect((await fetch(`${base}/hooks/zalo`, { method: 'POST', headers: { 'x-bot-api-secret-token': 'telegram-secret-12345' }, body: zaloBody })).status).toBe(401);
      const tgBody = JSON.stringify({ update_id: 77, message: { message_id: 1, date: 0, text: '/viec', chat: { id: 9, type: 'private' }, from: { id: 9, is_bot: false, first_name: 'A' } } });
      expect((await fetch(`${base}/hooks/telegram`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': 'telegram-secret-12345' }, body: tgBody })).status).toBe(200);
      await zalo.waitSent(1);
      for (let i = 0; i < 50 && core.seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(core.seen.map((m) => `${m.channel}:${m.updateKey}`).sort()).toEqual(['telegram:77', 'zalo:wz']);
      expect(zalo.calls.some((c) => c.method === 'getUpdates')).toBe(false);
      // The dashboard shares the port: its pages answer, the webhook paths keep their own rules.
      expect((await fetch(`${base}/`)).status).toBe(401);
      expect((await fetch(`${base}/hooks/zalo`)).status).toBe(405);
    } finally {
      await running.stop();
    }
    expect(logs.output()).not.toContain('telegram-secret-12345');
    expect(logs.output()).not.toContain('zalo-secret-12345');
  });

  it('an unreachable Telegram server fails the start with no token in the error, and the Zalo loop already started is stopped', async () => {
    const cfg = config({ TELEGRAM_API_ROOT: 'http://127.0.0.1:1' });
    const e = await startChannels({ db, config: cfg, log: logs.log, core: fakeCore(), scheduler: false }).catch((x: Error) => x);
    expect(e).toBeInstanceOf(Error);
    const polls = zalo.calls.filter((c) => c.method === 'getUpdates').length;
    await new Promise((r) => setTimeout(r, 300));
    expect(zalo.calls.filter((c) => c.method === 'getUpdates').length).toBe(polls);
    // telegraf's own message holds the URL (with the token); what leaves start.ts goes through redact().
    registerSecret(TG_TOKEN);
    expect(redact((e as Error).message)).not.toContain(TG_TOKEN);
    expect(logs.output()).not.toContain(TG_TOKEN);
  });
});
