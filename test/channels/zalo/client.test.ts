import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ZaloApiError, ZaloClient, ZaloNetworkError } from '../../../src/channels/zalo/client.ts';
import { startFakeZalo, zaloText, type FakeZalo } from '../helpers/fake-zalo.ts';

let zalo: FakeZalo;
let client: ZaloClient;

beforeEach(async () => {
  zalo = await startFakeZalo();
  client = new ZaloClient({ token: zalo.token, apiRoot: zalo.url, requestTimeoutMs: 3000 });
});
afterEach(() => zalo.close());

describe('Zalo client against a fake platform', () => {
  it('getMe returns the bot, posting JSON to /bot{TOKEN}/getMe', async () => {
    const me = await client.getMe();
    expect(me.account_name).toBe('Nhắc việc');
    expect(zalo.calls[0].method).toBe('getMe');
  });

  it('getUpdates returns one queued update, and null on the 408 "Request timeout" answer', async () => {
    zalo.queue(zaloText('/viec', { messageId: 'a1' }));
    const u = await client.getUpdates({ timeout: 1 });
    expect(u?.message?.message_id).toBe('a1');
    const none = await client.getUpdates({ timeout: 0 });
    expect(none).toBeNull();
  });

  it('sendMessage sends text; over 2000 characters is refused before any request', async () => {
    const r = await client.sendMessage({ chat_id: 'c1', text: 'Xin chào <b>&' });
    expect(r.message_id).toBeTruthy();
    expect(zalo.sent).toEqual([{ chat_id: 'c1', text: 'Xin chào <b>&' }]);
    const before = zalo.calls.length;
    await expect(client.sendMessage({ chat_id: 'c1', text: 'x'.repeat(2001) })).rejects.toThrow(RangeError);
    await expect(client.sendMessage({ chat_id: 'c1', text: '' })).rejects.toThrow(RangeError);
    expect(zalo.calls.length).toBe(before);
  });

  it('sendPhoto sends a picture by its public https URL; any other address is refused before a request, and by the platform', async () => {
    const r = await client.sendPhoto({ chat_id: 'g1', photo: 'https://nhacviec.example.gov.vn/anh/abc.png', caption: 'Biểu đồ tuần' });
    expect(r.message_id).toBeTruthy();
    expect(zalo.photos).toEqual([{ chat_id: 'g1', photo: 'https://nhacviec.example.gov.vn/anh/abc.png', caption: 'Biểu đồ tuần' }]);
    const before = zalo.calls.length;
    await expect(client.sendPhoto({ chat_id: 'g1', photo: 'http://localhost:3000/anh/abc.png' })).rejects.toThrow(RangeError);
    await expect(client.sendPhoto({ chat_id: 'g1', photo: 'iVBORw0KGgo=' })).rejects.toThrow(RangeError);
    expect(zalo.calls.length).toBe(before);
    const e = await client.call<never>('sendPhoto', { chat_id: 'g1', photo: 'http://localhost/a.png' }).catch((x: ZaloApiError) => x);
    expect(e).toMatchObject({ method: 'sendPhoto', errorCode: 400 });
    expect(zalo.photos).toHaveLength(1);
  });

  it('the platform\'s own 2000-character refusal is an ok:false ZaloApiError with method, code and description', async () => {
    const e = await client.call<never>('sendMessage', { chat_id: 'c1', text: 'x'.repeat(2001) }).catch((x: ZaloApiError) => x);
    expect(e).toBeInstanceOf(ZaloApiError);
    expect(e).toMatchObject({ method: 'sendMessage', errorCode: 400 });
    expect(e.description).toMatch(/2000/);
  });

  it('checks ok, not the HTTP status: an ok:false body with HTTP 200 is an error', async () => {
    zalo.override('sendMessage', 200, { ok: false, error_code: 403, description: 'Bot was blocked' });
    const e = await client.sendMessage({ chat_id: 'c1', text: 'hi' }).catch((x) => x);
    expect(e).toBeInstanceOf(ZaloApiError);
    expect(e.errorCode).toBe(403);
  });

  it('webhook methods, photo and chat action go through the same chokepoint', async () => {
    await client.setWebhook({ url: 'https://example.org/zalo', secret_token: 'a-long-secret' });
    await client.getWebhookInfo();
    await client.deleteWebhook();
    await client.sendPhoto({ chat_id: 'c1', photo: 'https://example.org/a.png', caption: 'Biểu đồ' });
    await client.sendChatAction({ chat_id: 'c1', action: 'typing' });
    expect(zalo.calls.map((c) => c.method)).toEqual(['setWebhook', 'getWebhookInfo', 'deleteWebhook', 'sendPhoto', 'sendChatAction']);
    expect(zalo.calls[0].body).toEqual({ url: 'https://example.org/zalo', secret_token: 'a-long-secret' });
  });

  it('a wrong token answers ok:false 401 and the token never appears in the error', async () => {
    const bad = new ZaloClient({ token: 'wrong-token-1234567', apiRoot: zalo.url });
    const e = await bad.getMe().catch((x) => x);
    expect(e).toBeInstanceOf(ZaloApiError);
    expect(e.errorCode).toBe(401);
    expect(`${e.message} ${e.stack}`).not.toContain('wrong-token-1234567');
  });

  it('a refused connection or a non-JSON answer is a ZaloNetworkError without the token or URL', async () => {
    const port = new URL(zalo.url).port;
    await zalo.close();
    const down = new ZaloClient({ token: 'secret-token-xyz-987', apiRoot: `http://127.0.0.1:${port}` });
    const e = await down.getMe().catch((x) => x);
    expect(e).toBeInstanceOf(ZaloNetworkError);
    expect(`${e.message} ${e.stack}`).not.toContain('secret-token-xyz-987');
    zalo = await startFakeZalo();
    const again = new ZaloClient({ token: zalo.token, apiRoot: zalo.url });
    zalo.overrideRaw('getMe', 502, '<html>Bad gateway</html>');
    const html = await again.getMe().catch((x) => x);
    expect(html).toBeInstanceOf(ZaloNetworkError);
    expect(html.message).toContain('502');
    // Valid JSON that is not an envelope is still an answer without ok: an API error, not a crash.
    zalo.override('getMe', 502, 'Bad gateway');
    const notEnvelope = await again.getMe().catch((x) => x);
    expect(notEnvelope).toBeInstanceOf(ZaloApiError);
    expect(notEnvelope.httpStatus).toBe(502);
  });
});
