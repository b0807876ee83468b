// The Telegram ChannelSender used by the outbox and by replies: plain text
// (no parse mode, so what users typed is shown literally), inline buttons,
// documents and photos as uploads, and files of the store read from disk.
import fs from 'node:fs';
import type { Telegram } from 'telegraf';
import type { Button, StoredFileRef } from '../../bot/types.ts';
import type { FileStore } from '../../files/store.ts';
import { isStoredExt } from '../../files/sniff.ts';
import { PermanentSendError, type ChannelSender, type OutgoingMessage } from '../types.ts';
import { toSendError } from './errors.ts';

export const TELEGRAM_TEXT_MAX = 4096;
const CAPTION_MAX = 1024;
/** sendPhoto takes pictures up to 10 MB in these formats; anything else goes as a document. */
const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
const PHOTO_EXTS = new Set(['jpg', 'png', 'webp']);

function keyboard(buttons: Button[][] | undefined) {
  if (!buttons?.length) return {};
  return { reply_markup: { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data }))) } };
}

export interface TelegramSenderOptions {
  /** The evidence store, to send files by reference (without it such a message fails for good). */
  files?: FileStore;
}

/** Where a stored file lies and whether it goes as a picture; a missing file fails for good (no retry brings it back). */
function storedUpload(files: FileStore | undefined, f: StoredFileRef): { path: string; asPhoto: boolean } {
  if (!files) throw new PermanentSendError('no file store configured for stored files');
  if (!isStoredExt(f.ext)) throw new PermanentSendError('not a stored file reference');
  const ref = { sha256: f.sha256, ext: f.ext };
  let p: string;
  let size: number;
  try {
    p = files.pathOf(ref);
    size = fs.statSync(p).size;
  } catch {
    throw new PermanentSendError(`stored file ${f.sha256.slice(0, 12)}… is missing from the file store`);
  }
  return { path: p, asPhoto: f.kind === 'photo' && PHOTO_EXTS.has(f.ext) && size <= PHOTO_MAX_BYTES };
}

export function createTelegramSender(telegram: Telegram, opts: TelegramSenderOptions = {}): ChannelSender {
  return {
    channel: 'telegram',
    maxTextLength: TELEGRAM_TEXT_MAX,
    async send(msg: OutgoingMessage): Promise<void> {
      const extra = keyboard(msg.buttons);
      const stored = msg.file ? storedUpload(opts.files, msg.file) : undefined;
      const file = msg.document ?? msg.photo ?? msg.photoUrl ?? msg.file;
      // A caption longer than Telegram allows goes as its own message first.
      const caption = file && msg.text && msg.text.length <= CAPTION_MAX ? msg.text : undefined;
      const withCaption = { ...(caption ? { caption } : {}), ...extra };
      try {
        const preview = msg.noPreview ? { link_preview_options: { is_disabled: true } } : {};
        if (msg.text && (!file || caption === undefined)) await telegram.sendMessage(msg.chatId, msg.text, file ? preview : { ...extra, ...preview });
        if (msg.document) await telegram.sendDocument(msg.chatId, { source: msg.document.content, filename: msg.document.filename }, withCaption);
        else if (msg.photo) await telegram.sendPhoto(msg.chatId, { source: msg.photo.content, filename: msg.photo.filename }, withCaption);
        else if (msg.photoUrl) await telegram.sendPhoto(msg.chatId, msg.photoUrl, withCaption);
        else if (msg.file && stored) {
          const upload = { source: fs.createReadStream(stored.path), filename: msg.file.name };
          if (stored.asPhoto) await telegram.sendPhoto(msg.chatId, upload, withCaption);
          else await telegram.sendDocument(msg.chatId, upload, withCaption);
        }
      } catch (e) {
        throw toSendError(e);
      }
    },
  };
}
