// The Zalo ChannelSender used by the outbox and by replies.
import { FILE_TEXTS } from '../../files/texts.ts';
import type { ChannelSender, OutgoingMessage } from '../types.ts';
import { ZALO_TEXT_MAX, type ZaloClient } from './client.ts';
import { toSendError } from './errors.ts';

export function createZaloSender(client: ZaloClient): ChannelSender {
  return {
    channel: 'zalo',
    maxTextLength: ZALO_TEXT_MAX,
    async send(msg: OutgoingMessage): Promise<void> {
      // Zalo has no buttons: the text of every message already says what to type.
      // A document cannot be sent either: its name goes out instead, so the reader knows to ask elsewhere.
      // A picture goes only by its public address (photoUrl); its bytes alone go out as the text.
      try {
        if (msg.photoUrl) {
          await client.sendPhoto({ chat_id: msg.chatId, photo: msg.photoUrl, ...(msg.text ? { caption: msg.text.slice(0, ZALO_TEXT_MAX) } : {}) });
          return;
        }
        let text = msg.text;
        if (!text && msg.document) text = `📎 Zalo không nhận tệp đính kèm nên chưa gửi được ${msg.document.filename}. Xem tệp trên Telegram hoặc đề nghị bộ phận tổng hợp gửi qua thư điện tử.`;
        // A stored file: Zalo takes a picture only from a public address, so its name goes out as a line of text.
        const fileLine = msg.file ? FILE_TEXTS.zaloFileLine(msg.file.name).slice(0, ZALO_TEXT_MAX) : undefined;
        if (fileLine && text && text.length + 1 + fileLine.length <= ZALO_TEXT_MAX) {
          text = `${text}\n${fileLine}`;
        } else if (fileLine) {
          if (text) await client.sendMessage({ chat_id: msg.chatId, text });
          text = fileLine;
        }
        if (!text) return;
        await client.sendMessage({ chat_id: msg.chatId, text });
      } catch (e) {
        throw toSendError(e);
      }
    },
  };
}
