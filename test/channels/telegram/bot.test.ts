// The real telegraf bot against the telegram-test-api emulator on a loopback port.
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBotCore } from '../../../src/bot/core.ts';
import { createTelegramChannel, type TelegramChannel } from '../../../src/channels/telegram/bot.ts';
import { createWebhookServer } from '../../../src/channels/webhook-server.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { upsertBinding, allBindings } from '../../../src/db/bindings.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { testDb } from '../../helpers/db.ts';
import { capturedLogger, fakeCore } from '../helpers/fakes.ts';
import { freePort } from '../../helpers/net.ts';

// The package is CommonJS whose module.exports is the class; its typings describe an ES default export.
const TelegramServer = telegramTestApi as unknown as typeof Emulator;

const TOKEN = '111222333:AAF-test-token-telegram';

let server: Emulator;
let db: Db;
let channel: TelegramChannel | undefined;
let logs: ReturnType<typeof capturedLogger>;

beforeEach(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await server.start();
  db = await testDb();
  logs = capturedLogger();
});

afterEach(async () => {
  channel?.stop();
  channel = undefined;
  await server.stop();
  await db.close();
});

function start(core = fakeCore()) {
  channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core, db, log: logs.log });
  void channel.startPolling();
  return core;
}

/** The bot's messages, in order. */
async function botReplies(client: ReturnType<Emulator['getClient']>) {
  const u = await client.getUpdates();
  return u.result.map((r) => r.message as { text: string; chat_id: number | string; reply_markup?: { inline_keyboard?: { text: string; callback_data: string }[][] }; parse_mode?: string });
}

describe('Telegram bot through telegraf and the emulator', () => {
  it('a private message reaches the core as an IncomingMessage and the reply comes back literally, with no parse mode', async () => {
    const core = start(fakeCore((m) => [{ text: `Bạn gõ: ${m.text} <b>&`, buttons: [[{ text: '✅ Đã hoàn thành', data: 'xong:NV-01' }]] }]));
    const client = server.getClient(TOKEN, { userId: 501, chatId: 501, firstName: 'Lan', userName: 'lan', type: 'private', timeout: 5000 });
    await client.sendMessage(client.makeMessage('/viec *đậm*'));
    const [reply] = await botReplies(client);
    expect(reply.text).toBe('Bạn gõ: /viec *đậm* <b>&');
    expect(reply.parse_mode).toBeUndefined();
    expect(reply.reply_markup?.inline_keyboard?.[0][0]).toEqual({ text: '✅ Đã hoàn thành', callback_data: 'xong:NV-01' });
    expect(core.seen[0]).toMatchObject({ channel: 'telegram', chatId: '501', chatType: 'private', userId: '501', displayName: 'Lan', text: '/viec *đậm*' });
    expect(core.seen[0].updateKey).toMatch(/^\d+$/);
    expect(core.seen[0].botUsername).toBeTruthy();
  });

  it('a button press passes the payload untouched and is answered', async () => {
    const core = start();
    const client = server.getClient(TOKEN, { userId: 502, chatId: -700, type: 'group', chatTitle: 'Sở Nội vụ', timeout: 5000 });
    await client.sendCallback(client.makeCallbackQuery('xong:NV-07', { message: { text: 'Nhắc hạn NV-07', chat: { id: -700, type: 'group' } } }));
    const [reply] = await botReplies(client);
    expect(reply.text).toBe('Bạn gõ: xong:NV-07');
    expect(core.seen[0]).toMatchObject({ callbackData: 'xong:NV-07', text: '', chatType: 'group', chatId: '-700', replyToText: 'Nhắc hạn NV-07' });
  });

  it('a group reply carries the quoted bot text; a reply over 4096 characters is split at line breaks', async () => {
    const long = Array.from({ length: 120 }, (_, i) => `${i + 1}. NV-${i} — một dòng công việc khá dài để vượt giới hạn của Telegram`).join('\n');
    const core = start(fakeCore(() => [{ text: long }]));
    const client = server.getClient(TOKEN, { userId: 503, chatId: -800, type: 'supergroup', timeout: 5000 });
    await client.sendMessage(client.makeMessage('xong', { reply_to_message: { message_id: 1, date: 0, chat: { id: -800, type: 'supergroup', title: 'x' }, text: 'Nhắc hạn NV-09' } } as never));
    const replies = await botReplies(client);
    expect(core.seen[0]).toMatchObject({ chatType: 'group', replyToText: 'Nhắc hạn NV-09', text: 'xong' });
    expect(replies.length).toBeGreaterThan(1);
    for (const r of replies) expect(r.text.length).toBeLessThanOrEqual(4096);
    expect(replies.map((r) => r.text).join('\n')).toBe(long);
  });

  it('a group that becomes a supergroup moves its binding to the new chat id', async () => {
    await db.tx((tx) => upsertBinding(tx, { channel: 'telegram', chatId: '-900', unitId: null, leadership: true, now: 0 }));
    const core = start();
    const client = server.getClient(TOKEN, { userId: 504, chatId: -900, type: 'group', timeout: 5000 });
    await client.sendMessage(client.makeMessage('', { migrate_to_chat_id: -100900 } as never));
    await client.sendMessage(client.makeMessage('/viec'));
    await botReplies(client); // the reply to /viec: the migration message came first and was handled by then
    expect((await allBindings(db)).map((b) => b.chatId)).toEqual(['-100900']);
    expect(core.seen.map((m) => m.text)).toEqual(['/viec']);
  });

  it('end to end with the real core: a linked chair types /viec and gets the demo tasks', async () => {
    const now = Date.now();
    const config = loadConfig({ ...process.env, TELEGRAM_BOT_TOKEN: undefined, ZALO_BOT_TOKEN: undefined });
    await seedDemo(db, now, config.zone);
    const chair = (await officerByCode(db, 'CT-TINH'))!;
    await db.tx((tx) => upsertAccount(tx, { channel: 'telegram', externalId: '505', officerId: chair.id, now }));
    start(createBotCore({ db, config, log: logs.log }) as ReturnType<typeof fakeCore>);
    const client = server.getClient(TOKEN, { userId: 505, chatId: 505, type: 'private', timeout: 5000 });
    await client.sendMessage(client.makeMessage('/viec'));
    const [reply] = await botReplies(client);
    expect(reply.text).toMatch(/NV-\d+/);
    expect(logs.output()).not.toContain(TOKEN);
  });
});

describe('Telegram webhook mode', () => {
  it('setWebhook registers url and secret; updates posted with the secret are handled through the same path', async () => {
    const core = fakeCore();
    channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core, db, log: logs.log });
    const SECRET = 'tg-secret-for-webhook-test';
    const tg = channel;
    const hook = createWebhookServer({
      log: logs.log,
      routes: [{ name: 'telegram', path: '/tg', secretHeader: 'x-telegram-bot-api-secret-token', secret: SECRET, handle: (b, ack) => tg.handleUpdate(b as never, ack) }],
    });
    const port = await hook.listen(0, '127.0.0.1');
    await channel.setWebhook(`http://127.0.0.1:${port}/tg`, SECRET);
    const client = server.getClient(TOKEN, { userId: 506, chatId: 506, type: 'private', timeout: 5000 });
    const update = { update_id: 9001, message: { message_id: 1, date: 0, text: '/tinhhinh', chat: { id: 506, type: 'private' }, from: { id: 506, is_bot: false, first_name: 'Minh' } } };
    const ok = await fetch(`http://127.0.0.1:${port}/tg`, { method: 'POST', headers: { 'x-telegram-bot-api-secret-token': SECRET, 'content-type': 'application/json' }, body: JSON.stringify(update) });
    expect(ok.status).toBe(200);
    await hook.idle();
    expect(core.seen[0]).toMatchObject({ text: '/tinhhinh', updateKey: '9001', chatId: '506' });
    const history = await client.getUpdatesHistory();
    expect(history.some((h) => 'message' in h && (h.message as { text?: string }).text === 'Bạn gõ: /tinhhinh')).toBe(true);
    const bad = await fetch(`http://127.0.0.1:${port}/tg`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...update, update_id: 9002 }) });
    expect(bad.status).toBe(401);
    await hook.close();
    expect(core.seen.length).toBe(1);
    expect(logs.output()).not.toContain(SECRET);
  });
});

describe('Telegram webhook deliveries: when the update counts as safe (ack)', () => {
  const text = (update_id: number, t: string) => ({ update_id, message: { message_id: update_id, date: 0, text: t, chat: { id: 601, type: 'private' }, from: { id: 601, is_bot: false, first_name: 'An' } } });

  it('a command: acked at the commit, before its reply is sent; a repeat: acked too (already handled)', async () => {
    const order: string[] = [];
    const core = fakeCore();
    const committing: typeof core = {
      seen: core.seen,
      handle: (m, now, opts) => core.handle(m, now, { committed: () => (order.push('commit'), opts?.committed?.()) }),
    };
    channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core: committing, db, log: logs.log });
    await channel.init();
    const real = channel.senders.telegram!;
    channel.senders.telegram = { ...real, send: async (m) => (order.push('send'), real.send(m)) };
    await channel.handleUpdate(text(701, '/viec') as never, () => order.push('ack'));
    expect(order).toEqual(['commit', 'ack', 'send']);
    order.length = 0;
    await channel.handleUpdate(text(701, '/viec') as never, () => order.push('ack'));
    expect(order).toEqual(['commit', 'ack']);
  });

  it('nothing committed (busy, a failure): no ack and no reply, so that the 503 makes Telegram send it again', async () => {
    const busy = { seen: [], handle: async () => [{ text: 'Hệ thống đang bận' }] };
    channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core: busy, db, log: logs.log });
    await channel.init();
    let acked = 0;
    await channel.handleUpdate(text(702, '/viec') as never, () => acked++);
    expect(acked).toBe(0);
    expect(server.storage.botMessages).toEqual([]);
  });

  it('what asks nothing of the core (JSON that is no update, a sticker, an edited message) is acked at once; a supergroup move once its binding moved', async () => {
    const core = fakeCore();
    channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core, db, log: logs.log });
    await channel.init();
    let acked = 0;
    for (const body of [null, 42, [], {}, { update_id: 'x' }, { update_id: 703, message: { message_id: 1, date: 0, sticker: {}, chat: { id: 601, type: 'private' }, from: { id: 601, is_bot: false, first_name: 'An' } } }, { update_id: 704, edited_message: text(704, '/viec').message }])
      await channel.handleUpdate(body as never, () => acked++);
    expect(acked).toBe(7);
    expect(core.seen).toEqual([]);
    await db.tx((tx) => upsertBinding(tx, { channel: 'telegram', chatId: '-950', unitId: null, leadership: true, now: 0 }));
    await channel.handleUpdate({ update_id: 705, message: { message_id: 2, date: 0, migrate_to_chat_id: -100950, chat: { id: -950, type: 'group' }, from: { id: 601, is_bot: false, first_name: 'An' } } } as never, () => acked++);
    expect(acked).toBe(8);
    expect((await allBindings(db)).map((b) => b.chatId)).toEqual(['-100950']);
  });
});
