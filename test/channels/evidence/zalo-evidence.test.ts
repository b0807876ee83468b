// Zalo images in (a URL to fetch, through the adapter and the Zalo fake), stored files out as a line of text.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageAttachment } from '../../../src/app/evidence.ts';
import { createZaloAdapter } from '../../../src/channels/zalo/adapter.ts';
import { ZaloClient } from '../../../src/channels/zalo/client.ts';
import { createZaloSender } from '../../../src/channels/zalo/sender.ts';
import { FILE_TEXTS } from '../../../src/files/texts.ts';
import { FileStore } from '../../../src/files/store.ts';
import { SAMPLES } from '../../files/samples.ts';
import { capturedLogger, fakeCore } from '../helpers/fakes.ts';
import { startFakeZalo, type FakeZalo } from '../helpers/fake-zalo.ts';

let zalo: FakeZalo;
let client: ZaloClient;
let cdn: http.Server;
let cdnUrl: string;
let dir: string;
let files: FileStore;
const served: string[] = [];

beforeEach(async () => {
  zalo = await startFakeZalo();
  client = new ZaloClient({ token: zalo.token, apiRoot: zalo.url, requestTimeoutMs: 3000 });
  // Zalo's image server: the address in the update.
  cdn = http.createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/anh/bien-ban.jpg') return res.end(SAMPLES.jpg);
    if (req.url === '/anh/lon.jpg') return res.end(Buffer.concat([SAMPLES.jpg, Buffer.alloc(2 * 1024 * 1024)]));
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => cdn.listen(0, '127.0.0.1', r));
  cdnUrl = `http://127.0.0.1:${(cdn.address() as AddressInfo).port}`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-zalo-evidence-'));
  files = new FileStore(path.join(dir, 'files'), { maxBytes: 1024 * 1024 });
});
afterEach(async () => {
  await zalo.close();
  cdn.closeAllConnections();
  await new Promise((r) => cdn.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

function image(photo: string, extra: Record<string, unknown> = {}) {
  return {
    event_name: 'message.image.received',
    message: { message_id: `img-${served.length}-${photo}`, date: 1, from: { id: 'u5', display_name: 'Thu' }, chat: { id: 'g7', chat_type: 'GROUP' }, photo, ...extra },
  };
}

describe('Zalo image intake', () => {
  it('an image with a caption, polled from the fake: the caption (mention removed) is the text, the reply kept, the image fetched on demand', async () => {
    const core = fakeCore(() => []);
    const adapter = createZaloAdapter({ client, core, senders: { zalo: createZaloSender(client) }, log: capturedLogger().log });
    adapter.setBotName('Nhắc việc');
    zalo.queue(image(`${cdnUrl}/anh/bien-ban.jpg`, { caption: '@Nhắc việc /minhchung NV-12', quote: { text: 'Nhắc hạn NV-12' } }));
    const stop = new AbortController();
    const loop = adapter.poll(stop.signal, { timeoutSec: 1 });
    for (let i = 0; i < 200 && core.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    stop.abort();
    await loop;
    const msg = core.seen[0];
    expect(msg).toMatchObject({ channel: 'zalo', chatId: 'g7', chatType: 'group', userId: 'u5', text: '/minhchung NV-12', replyToText: 'Nhắc hạn NV-12', attachment: { kind: 'photo' } });
    expect(served).toEqual([]);
    const staged = await stageAttachment(files, msg.attachment!);
    expect(staged).toMatchObject({ ext: 'jpg', kind: 'photo', size: SAMPLES.jpg.length });
    expect(served).toEqual(['/anh/bien-ban.jpg']);
  });

  it('an image over the limit is refused on its announced length: one sentence, nothing stored', async () => {
    const core = fakeCore(() => []);
    const adapter = createZaloAdapter({ client, core, senders: { zalo: createZaloSender(client) }, log: capturedLogger().log });
    await adapter.handleUpdate(image(`${cdnUrl}/anh/lon.jpg`, { caption: '/xong NV-12' }));
    expect((await stageAttachment(files, core.seen[0].attachment!).catch((e) => e)).message).toBe('Tệp quá lớn (2 MB): giới hạn là 1 MB.');
    expect(files.list()).toEqual([]);
  });

  it('an image event without an http(s) address is ignored', async () => {
    const core = fakeCore(() => []);
    const adapter = createZaloAdapter({ client, core, senders: { zalo: createZaloSender(client) }, log: capturedLogger().log });
    await adapter.handleUpdate(image('file:///etc/passwd'));
    expect(core.seen).toEqual([]);
  });
});

describe('Zalo and stored files', () => {
  it('a stored file goes out as a line with its name (Zalo takes pictures by public address only), after the text', async () => {
    const sender = createZaloSender(client);
    await sender.send({ chatId: 'g7', text: 'Minh chứng NV-12', file: { sha256: 'a'.repeat(64), ext: 'jpg', name: 'bien-ban.jpg', kind: 'photo' } });
    await sender.send({ chatId: 'g7', text: '', file: { sha256: 'b'.repeat(64), ext: 'pdf', name: 'Báo cáo.pdf', kind: 'document' } });
    await sender.send({ chatId: 'g7', text: 'x'.repeat(1990), file: { sha256: 'c'.repeat(64), ext: 'pdf', name: 'dai.pdf', kind: 'document' } });
    expect(zalo.sent.map((s) => s.text)).toEqual([
      `Minh chứng NV-12\n${FILE_TEXTS.zaloFileLine('bien-ban.jpg')}`,
      '📎 Báo cáo.pdf (Zalo không nhận tệp do bot gửi; xem tệp qua Telegram.)',
      'x'.repeat(1990),
      FILE_TEXTS.zaloFileLine('dai.pdf'),
    ]);
    expect(zalo.calls.filter((c) => c.method === 'sendPhoto')).toEqual([]);
    expect(FILE_TEXTS.zaloImagesOnly).toBe('Zalo chỉ gửi được ảnh; tệp khác xin gửi qua Telegram.');
  });
});
