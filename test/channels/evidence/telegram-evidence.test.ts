// Telegram photos and documents in, stored files out, against a loopback Bot API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import type { Update } from 'telegraf/types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stageAttachment } from '../../../src/app/evidence.ts';
import type { IncomingMessage } from '../../../src/bot/types.ts';
import { createTelegramChannel } from '../../../src/channels/telegram/bot.ts';
import { createTelegramSender } from '../../../src/channels/telegram/sender.ts';
import { PermanentSendError } from '../../../src/channels/types.ts';
import type { Db } from '../../../src/db/open.ts';
import { FileRefused } from '../../../src/files/errors.ts';
import { FileStore } from '../../../src/files/store.ts';
import { testDb } from '../../helpers/db.ts';
import { SAMPLES } from '../../files/samples.ts';
import { capturedLogger, fakeCore } from '../helpers/fakes.ts';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.ts';

const MB = 1024 * 1024;
let api: FakeBotApi;
let db: Db;
let dir: string;
let files: FileStore;

beforeEach(async () => {
  api = await startFakeBotApi();
  db = await testDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-tg-evidence-'));
  files = new FileStore(path.join(dir, 'files'));
});
afterEach(async () => {
  await api.close();
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let updateId = 100;
function update(message: Record<string, unknown>, chat = { id: -500, type: 'group' }): Update {
  return { update_id: ++updateId, message: { message_id: updateId, date: 1, chat, from: { id: 77, is_bot: false, first_name: 'Hoa' }, ...message } } as unknown as Update;
}

async function receive(u: Update): Promise<IncomingMessage | undefined> {
  const core = fakeCore(() => []);
  const channel = createTelegramChannel({ token: api.token, apiRoot: api.apiRoot, core, db, log: capturedLogger().log, files });
  await channel.init();
  await channel.handleUpdate(u);
  return core.seen[0];
}

describe('Telegram intake', () => {
  it('a photo with a caption: the caption is the text, the largest size is fetched through getFile, a reply keeps the quoted text', async () => {
    api.files.set('small', { path: 'photos/file_1.jpg', content: Buffer.from('thumbnail') });
    api.files.set('large', { path: 'photos/file_2.jpg', content: SAMPLES.jpg });
    const msg = await receive(
      update({
        caption: '/xong NV-09',
        photo: [
          { file_id: 'small', file_unique_id: 's', width: 90, height: 60, file_size: 9 },
          { file_id: 'large', file_unique_id: 'l', width: 1280, height: 960, file_size: SAMPLES.jpg.length },
        ],
        reply_to_message: { message_id: 5, date: 0, chat: { id: -500, type: 'group' }, text: '⏰ Nhắc hạn NV-09: còn 1 ngày' },
      }),
    );
    expect(msg).toMatchObject({ channel: 'telegram', chatId: '-500', chatType: 'group', userId: '77', text: '/xong NV-09', replyToText: '⏰ Nhắc hạn NV-09: còn 1 ngày' });
    expect(msg!.attachment).toMatchObject({ kind: 'photo', size: SAMPLES.jpg.length });
    // Nothing is downloaded until a command takes the file.
    expect(api.calls.filter((c) => c.method === 'getFile')).toEqual([]);
    const staged = await stageAttachment(files, msg!.attachment!);
    expect(staged).toMatchObject({ kind: 'photo', ext: 'jpg', size: SAMPLES.jpg.length, originalName: null });
    expect(await files.read(staged)).toEqual(SAMPLES.jpg);
    expect(api.downloads).toEqual(['photos/file_2.jpg']);
  });

  it('a photo without caption replying to the bot still reaches the core, with empty text and the quoted text', async () => {
    api.files.set('p', { path: 'photos/p.jpg', content: SAMPLES.jpg });
    const msg = await receive(update({ photo: [{ file_id: 'p', file_unique_id: 'p', width: 10, height: 10 }], reply_to_message: { message_id: 9, date: 0, chat: { id: -500, type: 'group' }, text: 'Nhắc hạn NV-10' } }));
    expect(msg).toMatchObject({ text: '', replyToText: 'Nhắc hạn NV-10', attachment: { kind: 'photo' } });
  });

  it('a document keeps its name and type; one announced over the limit is refused without getFile', async () => {
    api.files.set('doc', { path: 'documents/file_3.docx', content: SAMPLES.docx });
    const msg = await receive(update({ caption: '/minhchung NV-09', document: { file_id: 'doc', file_unique_id: 'd', file_name: 'Báo cáo kết quả.docx', mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', file_size: SAMPLES.docx.length } }, { id: 77, type: 'private' }));
    expect(msg).toMatchObject({ chatType: 'private', text: '/minhchung NV-09', attachment: { kind: 'document', fileName: 'Báo cáo kết quả.docx', size: SAMPLES.docx.length } });
    expect(await stageAttachment(files, msg!.attachment!)).toMatchObject({ ext: 'docx', kind: 'document', originalName: 'Báo cáo kết quả.docx' });

    const big = await receive(update({ caption: '/minhchung NV-09', document: { file_id: 'huge', file_unique_id: 'h', file_name: 'scan.pdf', file_size: 25 * MB } }));
    const before = api.calls.filter((c) => c.method === 'getFile').length;
    const e = await stageAttachment(files, big!.attachment!).catch((x) => x);
    expect(e).toBeInstanceOf(FileRefused);
    expect(e.message).toBe('Tệp quá lớn (25 MB): giới hạn là 20 MB.');
    expect(api.calls.filter((c) => c.method === 'getFile').length).toBe(before);
  });

  it('getFile refusing a file as too big, and a download that fails, are one sentence each', async () => {
    api.files.set('big', { path: 'documents/big.pdf', content: SAMPLES.pdf, tooBig: true });
    const msg = await receive(update({ caption: '/minhchung NV-09', document: { file_id: 'big', file_unique_id: 'b', file_name: 'big.pdf' } }));
    expect((await stageAttachment(files, msg!.attachment!).catch((x) => x)).message).toBe('Tệp quá lớn: giới hạn là 20 MB.');
    const gone = await receive(update({ caption: '/minhchung NV-09', document: { file_id: 'nope', file_unique_id: 'n', file_name: 'x.pdf' } }));
    expect((await stageAttachment(files, gone!.attachment!).catch((x) => x)).message).toBe('Không tải được tệp từ máy chủ tin nhắn. Hãy gửi lại tệp sau ít phút.');
    expect(files.list()).toEqual([]);
  });

  it('in a group, a photo with neither caption nor reply is not for the bot; in a private chat it reaches the core', async () => {
    const photo = [{ file_id: 'p', file_unique_id: 'p', width: 10, height: 10 }];
    expect(await receive(update({ photo }))).toBeUndefined();
    expect(await receive(update({ photo }, { id: 77, type: 'private' }))).toMatchObject({ text: '', attachment: { kind: 'photo' } });
  });

  it('a sticker or voice message is not an attachment: nothing reaches the core', async () => {
    expect(await receive(update({ sticker: { file_id: 's', file_unique_id: 's', width: 1, height: 1, is_animated: false, is_video: false, type: 'regular' } }))).toBeUndefined();
    expect(await receive(update({ voice: { file_id: 'v', file_unique_id: 'v', duration: 1 } }))).toBeUndefined();
  });
});

describe('Telegram sends stored files from the store', () => {
  it('a photo by sendPhoto, a document by sendDocument with its name and caption, read from disk', async () => {
    const sender = createTelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot }), { files });
    const jpg = await files.put(SAMPLES.jpg, 'jpg');
    const pdf = await files.put(SAMPLES.pdf, 'pdf');
    await sender.send({ chatId: '-500', text: '', file: { sha256: jpg.sha256, ext: 'jpg', name: 'anh.jpg', kind: 'photo' } });
    await sender.send({ chatId: '-500', text: 'Minh chứng NV-09', file: { sha256: pdf.sha256, ext: 'pdf', name: 'Biên bản.pdf', kind: 'document' } });
    const [photo, doc] = api.calls.filter((c) => c.method.startsWith('send'));
    expect(photo.method).toBe('sendPhoto');
    expect(photo.contentType).toMatch(/^multipart\/form-data/);
    expect(photo.body.includes(SAMPLES.jpg)).toBe(true);
    expect(doc.method).toBe('sendDocument');
    expect(doc.body.includes(SAMPLES.pdf)).toBe(true);
    expect(doc.body.toString()).toContain('Minh chứng NV-09');
    expect(doc.body.toString()).toContain('Biên bản.pdf');
  });

  it('a HEIC picture goes as a document; a file missing from the store fails for good; no store configured fails for good', async () => {
    const sender = createTelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot }), { files });
    const heic = await files.put(SAMPLES.heic, 'heic');
    await sender.send({ chatId: '1', text: '', file: { sha256: heic.sha256, ext: 'heic', name: 'IMG.HEIC', kind: 'photo' } });
    expect(api.calls.at(-1)?.method).toBe('sendDocument');
    const missing = { sha256: 'f'.repeat(64), ext: 'pdf', name: 'mat.pdf', kind: 'document' as const };
    await expect(sender.send({ chatId: '1', text: '', file: missing })).rejects.toBeInstanceOf(PermanentSendError);
    const bare = createTelegramSender(new Telegram(api.token, { apiRoot: api.apiRoot }));
    await expect(bare.send({ chatId: '1', text: '', file: { ...missing, sha256: heic.sha256, ext: 'heic' } })).rejects.toBeInstanceOf(PermanentSendError);
  });
});

describe('replies with stored files', () => {
  it('a reply with a file becomes its text, then the file', async () => {
    const { replyToMessages } = await import('../../../src/channels/deliver.ts');
    const file = { sha256: 'a'.repeat(64), ext: 'pdf', name: 'x.pdf', kind: 'document' as const };
    expect(replyToMessages({ text: 'Minh chứng NV-09', file }, '5', 4096)).toEqual([{ chatId: '5', text: 'Minh chứng NV-09' }, { chatId: '5', text: '', file }]);
    expect(replyToMessages({ text: '', file }, '5', 4096)).toEqual([{ chatId: '5', text: '', file }]);
  });
});
