import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Telegram } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import { ChatForbidden, ChatMigrated, PermanentSendError, RateLimited, TransientSendError } from '../../src/channels/types.ts';
import { ZaloClient } from '../../src/channels/zalo/client.ts';
import { createZaloSender } from '../../src/channels/zalo/sender.ts';

const TOKEN = '987654321:AAH-sender-test-token';

/** Answers each request with the next scripted [status, json]; records what was asked. */
let next: [number, unknown][];
let seen: { url: string; type: string; body: string }[];
let server: http.Server;
let root: string;

beforeEach(async () => {
  next = [];
  seen = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', type: String(req.headers['content-type']), body: Buffer.concat(chunks).toString() });
      const [status, json] = next.shift() ?? [200, { ok: true, result: { message_id: 1, date: 0, chat: { id: 1, type: 'private' } } }];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const cases: [string, number, unknown, (e: unknown) => void][] = [
  ['429 with retry_after', 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 17', parameters: { retry_after: 17 } }, (e) => {
    expect(e).toBeInstanceOf(RateLimited);
    expect((e as RateLimited).retryAfterSec).toBe(17);
  }],
  ['403 blocked', 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' }, (e) => expect(e).toBeInstanceOf(ChatForbidden)],
  ['500', 500, { ok: false, error_code: 500, description: 'Internal Server Error' }, (e) => expect(e).toBeInstanceOf(TransientSendError)],
  ['400 bad request', 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' }, (e) => expect(e).toBeInstanceOf(PermanentSendError)],
];

describe('Telegram sender', () => {
  it('sends a one-time link without a link preview, and other texts as before', async () => {
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: root }));
    await sender.send({ chatId: '42', text: 'http://127.0.0.1/dangnhap/x', noPreview: true });
    await sender.send({ chatId: '42', text: 'Nhắc hạn' });
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ chat_id: '42', link_preview_options: { is_disabled: true } });
    expect(JSON.parse(seen[1]!.body)).not.toHaveProperty('link_preview_options');
  });

  it.each(cases)('maps %s', async (_n, status, json, check) => {
    next.push([status, json]);
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: root }));
    const e = await sender.send({ chatId: '42', text: 'Nhắc hạn' }).catch((x: unknown) => x);
    check(e);
    expect(String((e as Error).message)).not.toContain(TOKEN);
  });

  it('maps 400 with migrate_to_chat_id to ChatMigrated carrying the new id', async () => {
    next.push([400, { ok: false, error_code: 400, description: 'Bad Request: group chat was upgraded to a supergroup chat', parameters: { migrate_to_chat_id: -1001234567890 } }]);
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: root }));
    const e = await sender.send({ chatId: '-42', text: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChatMigrated);
    expect((e as ChatMigrated).newChatId).toBe('-1001234567890');
  });

  it('a refused connection is transient and its message does not carry the token', async () => {
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: 'http://127.0.0.1:1' }));
    const e = await sender.send({ chatId: '1', text: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransientSendError);
    expect((e as Error).message).not.toContain(TOKEN);
  });

  it('sends plain text (no parse mode) with inline buttons, and a document as an upload with its caption', async () => {
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: root }));
    await sender.send({ chatId: '5', text: '<b>NV-01</b> *đậm*', buttons: [[{ text: '✅ Đã hoàn thành', data: 'xong:NV-01' }]] });
    const first = JSON.parse(seen[0].body);
    expect(seen[0].url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(first.text).toBe('<b>NV-01</b> *đậm*');
    expect(first.parse_mode).toBeUndefined();
    expect(first.reply_markup).toMatchObject({ inline_keyboard: [[{ text: '✅ Đã hoàn thành', callback_data: 'xong:NV-01' }]] });
    await sender.send({ chatId: '5', text: 'Báo cáo', document: { filename: 'bao-cao.xlsx', content: Buffer.from('PK fake') } });
    expect(seen[1].url).toBe(`/bot${TOKEN}/sendDocument`);
    expect(seen[1].type).toMatch(/multipart\/form-data/);
    expect(seen[1].body).toContain('bao-cao.xlsx');
    expect(seen[1].body).toContain('Báo cáo');
  });
});

describe('Telegram sender, a picture by address', () => {
  it('sends a photoUrl as sendPhoto by URL (Telegram fetches it), the text as its caption', async () => {
    const sender = createTelegramSender(new Telegram(TOKEN, { apiRoot: root }));
    await sender.send({ chatId: '5', text: 'Biểu đồ tuần', photoUrl: 'https://nhacviec.example.gov.vn/anh/abc.png' });
    expect(seen).toHaveLength(1);
    expect(seen[0].url).toBe(`/bot${TOKEN}/sendPhoto`);
    expect(JSON.parse(seen[0].body)).toMatchObject({ chat_id: '5', photo: 'https://nhacviec.example.gov.vn/anh/abc.png', caption: 'Biểu đồ tuần' });
  });
});

describe('Zalo sender', () => {
  it.each(cases)('maps %s', async (_n, status, json, check) => {
    next.push([status, json]);
    const e = await createZaloSender(new ZaloClient({ token: TOKEN, apiRoot: root })).send({ chatId: 'z1', text: 'Nhắc hạn' }).catch((x: unknown) => x);
    check(e);
    expect(String((e as Error).message)).not.toContain(TOKEN);
  });

  it('a 200 answer with ok:false is still an error (ok decides, not the status)', async () => {
    next.push([200, { ok: false, error_code: 403, description: 'Forbidden' }]);
    const e = await createZaloSender(new ZaloClient({ token: TOKEN, apiRoot: root })).send({ chatId: 'z1', text: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ChatForbidden);
  });

  it('a network failure is transient; a text over 2000 characters is permanent', async () => {
    const down = createZaloSender(new ZaloClient({ token: TOKEN, apiRoot: 'http://127.0.0.1:1' }));
    const e = await down.send({ chatId: 'z', text: 'x' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransientSendError);
    expect((e as Error).message).not.toContain(TOKEN);
    const long = await createZaloSender(new ZaloClient({ token: TOKEN, apiRoot: root })).send({ chatId: 'z', text: 'x'.repeat(2001) }).catch((x: unknown) => x);
    expect(long).toBeInstanceOf(PermanentSendError);
  });

  it('a PNG without a public URL goes out as its text only; a photoUrl as sendPhoto; a plain http URL is refused for good', async () => {
    const photo = { filename: 'bieu-do.png', content: Buffer.from([0x89, 0x50, 0x4e, 0x47]) };
    const sender = createZaloSender(new ZaloClient({ token: TOKEN, apiRoot: root }));
    await sender.send({ chatId: 'z', text: 'Biểu đồ tuần', photo });
    expect(seen[0].url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(JSON.parse(seen[0].body)).toEqual({ chat_id: 'z', text: 'Biểu đồ tuần' });
    await sender.send({ chatId: 'z', text: 'Biểu đồ tuần', photoUrl: 'https://files.example.org/anh/abc.png' });
    expect(seen[1].url).toBe(`/bot${TOKEN}/sendPhoto`);
    expect(JSON.parse(seen[1].body)).toEqual({ chat_id: 'z', photo: 'https://files.example.org/anh/abc.png', caption: 'Biểu đồ tuần' });
    const e = await sender.send({ chatId: 'z', text: 'x', photoUrl: 'http://localhost:3000/anh/abc.png' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PermanentSendError);
    expect(seen).toHaveLength(2);
  });

  it('a document (Zalo takes none) becomes one sentence naming the file; buttons are left out', async () => {
    const sender = createZaloSender(new ZaloClient({ token: TOKEN, apiRoot: root }));
    await sender.send({ chatId: 'z', text: '', document: { filename: 'bao-cao-quy-3.xlsx', content: Buffer.from('PK') } });
    await sender.send({ chatId: 'z', text: 'Gõ /xong NV-01 khi xong', buttons: [[{ text: '✅', data: 'xong:NV-01' }]] });
    expect(JSON.parse(seen[0].body).text).toMatch(/^📎 Zalo không nhận tệp đính kèm nên chưa gửi được bao-cao-quy-3\.xlsx\./);
    expect(JSON.parse(seen[1].body)).toEqual({ chat_id: 'z', text: 'Gõ /xong NV-01 khi xong' });
  });
});
