// A poller with a reply budget (repliesPerSec): updates that waited are answered at that
// pace, not all in one second; all of them, once each, in order. Injected clock and sleep.
import telegramTestApi from 'telegram-test-api';
import type { TelegramServer as Emulator } from 'telegram-test-api/lib/telegramServer.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramChannel } from '../../../src/channels/telegram/bot.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';
import { freePort } from '../../helpers/net.ts';
import { capturedLogger, fakeCore } from '../helpers/fakes.ts';

const TelegramServer = telegramTestApi as unknown as typeof Emulator;
const TOKEN = '111222444:AAF-test-token-pace';

let server: Emulator;
let db: Db;
beforeEach(async () => {
  server = new TelegramServer({ port: await freePort(), host: '127.0.0.1', storeTimeout: 60 });
  await server.start();
  db = await testDb();
});
afterEach(async () => {
  await server.stop();
  await db.close();
});

describe('Telegram polling with a reply budget', () => {
  it('answers a backlog of 7 updates at 3 a second: every one once, in order, never 4 within a second', async () => {
    let t = 1_000_000;
    const started: { text: string; at: number }[] = [];
    const core = fakeCore((m) => {
      started.push({ text: m.text, at: t });
      return [{ text: `ok ${m.text}` }];
    });
    const logs = capturedLogger();
    const channel = createTelegramChannel({ token: TOKEN, apiRoot: server.config.apiURL, core, db, log: logs.log, now: () => t, repliesPerSec: 3 });
    const client = server.getClient(TOKEN, { userId: 601, chatId: 601, firstName: 'Hà', type: 'private', timeout: 5000 });
    for (let i = 1; i <= 7; i++) await client.sendMessage(client.makeMessage(`/viec ${i}`));
    const ctrl = new AbortController();
    const polling = channel.poll(ctrl.signal, {
      timeoutSec: 0,
      sleep: async (ms) => {
        t += ms;
        // The emulator answers getUpdates at once: give the event loop a turn while idle.
        await new Promise((r) => setTimeout(r, 1));
      },
    });
    for (let i = 0; i < 500 && started.length < 7; i++) await new Promise((r) => setTimeout(r, 10));
    ctrl.abort();
    await polling;
    expect(started.map((s) => s.text)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `/viec ${i}`));
    for (let i = 3; i < started.length; i++) expect(started[i].at - started[i - 3].at).toBeGreaterThanOrEqual(1000);
    // Paced, not stalled: the backlog took two waits of a second.
    expect(started[6].at - started[0].at).toBe(2000);
  });
});
