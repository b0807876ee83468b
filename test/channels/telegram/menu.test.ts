// The command menu set at start-up (init), against a loopback fake of the Bot API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { menuFor } from '../../../src/bot/commands/index.ts';
import { createTelegramChannel } from '../../../src/channels/telegram/bot.ts';
import type { Db } from '../../../src/db/open.ts';
import { testDb } from '../../helpers/db.ts';
import { capturedLogger, fakeCore } from '../helpers/fakes.ts';

const TOKEN = '111222333:AAF-test-token-telegram';

interface Call {
  method: string;
  body: Record<string, unknown>;
}

/** A Bot API that answers getMe, records every call, and refuses setMyCommands when told to. */
async function fakeApi(refuseMenu: boolean) {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      calls.push({ method, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} });
      res.setHeader('content-type', 'application/json');
      if (method === 'getMe') return res.end(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'Nhắc việc', username: 'nhacviec_bot' } }));
      if (method === 'setMyCommands' && refuseMenu) {
        res.statusCode = 400;
        return res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: BOT_COMMAND_INVALID' }));
      }
      res.end(JSON.stringify({ ok: true, result: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, close: () => new Promise((r) => server.close(r)) };
}

let db: Db;
beforeEach(async () => {
  db = await testDb();
});
afterEach(async () => {
  await db.close();
});

describe('telegram command menu', () => {
  it('init sets one list for private chats and one for groups, from the registry', async () => {
    const api = await fakeApi(false);
    try {
      const logs = capturedLogger();
      const channel = createTelegramChannel({ token: TOKEN, apiRoot: api.url, core: fakeCore(), db, log: logs.log });
      expect(await channel.init()).toBe('nhacviec_bot');
      const menus = api.calls.filter((c) => c.method === 'setMyCommands');
      expect(menus.map((c) => c.body.scope)).toEqual([{ type: 'all_private_chats' }, { type: 'all_group_chats' }]);
      expect(menus[0].body.commands).toEqual(menuFor('private'));
      expect(menus[1].body.commands).toEqual(menuFor('group'));
      const privateWords = menuFor('private').map((c) => c.command);
      const groupWords = menuFor('group').map((c) => c.command);
      expect(privateWords).toEqual(expect.arrayContaining(['viec', 'xong', 'giahan', 'dangky', 'giao', 'duyet']));
      expect(groupWords).toEqual(expect.arrayContaining(['viec', 'xong', 'nhom']));
      // Chair-only and private-only commands stay out of the group menu; group binding out of private chats.
      expect(groupWords).not.toContain('giao');
      expect(groupWords).not.toContain('dangky');
      expect(privateWords).not.toContain('nhom');
      for (const c of [...menuFor('private'), ...menuFor('group')]) {
        expect(c.command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(c.description.length).toBeGreaterThanOrEqual(3);
        expect(c.description.length).toBeLessThanOrEqual(256);
      }
    } finally {
      await api.close();
    }
  });

  it('a refused menu is logged and the bot starts anyway', async () => {
    const api = await fakeApi(true);
    try {
      const logs = capturedLogger();
      const channel = createTelegramChannel({ token: TOKEN, apiRoot: api.url, core: fakeCore(), db, log: logs.log });
      expect(await channel.init()).toBe('nhacviec_bot');
      expect(api.calls.filter((c) => c.method === 'setMyCommands')).toHaveLength(2);
      expect(logs.output()).toMatch(/telegram setMyCommands failed/);
      expect(logs.output()).toMatch(/all_group_chats/);
    } finally {
      await api.close();
    }
  });
});
