// The sentences about files (evidence) that people read.
import { viNumber } from '../domain/text.ts';

/** 25_400_000 → "24,2 MB"; whole megabytes without a decimal. */
export function viMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return `${viNumber(mb, 1)} MB`;
}

/** A file's size to show: "850 byte", "12,4 KB", "3,2 MB". */
export function viFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte`;
  if (bytes < 1024 * 1024) return `${viNumber(bytes / 1024, 1)} KB`;
  return viMegabytes(bytes);
}

export const FILE_TEXTS = {
  tooLarge: (size: number, max: number) => `Tệp quá lớn (${viMegabytes(size)}): giới hạn là ${viMegabytes(max)}.`,
  tooLargeUnknown: (max: number) => `Tệp quá lớn: giới hạn là ${viMegabytes(max)}.`,
  typeNotAllowed: 'Loại tệp này không được nhận: chỉ nhận ảnh, PDF, Word, Excel.',
  typeMismatch: (ext: string) => `Nội dung tệp không phải tệp .${ext} như tên tệp ghi: chỉ nhận ảnh, PDF, Word, Excel đúng định dạng.`,
  empty: 'Tệp gửi lên trống, không có nội dung. Hãy gửi lại tệp.',
  downloadFailed: 'Không tải được tệp từ máy chủ tin nhắn. Hãy gửi lại tệp sau ít phút.',
  /** Zalo's bot API delivers images only. */
  zaloImagesOnly: 'Zalo chỉ gửi được ảnh; tệp khác xin gửi qua Telegram.',
  /** A stored file that Zalo cannot carry (the bot can only send a picture by public address there). */
  zaloFileLine: (name: string) => `📎 ${name} (Zalo không nhận tệp do bot gửi; xem tệp qua Telegram.)`,
} as const;
