// The Vietnamese texts of the chat that are not tied to one use case.

export const UNEXPECTED = 'Xin lỗi, có lỗi khi xử lý. Vui lòng thử lại sau.';
/** The database stayed locked past the busy timeout (e.g. a large import running). */
export const BUSY = 'Hệ thống đang bận cập nhật dữ liệu. Vui lòng gửi lại lệnh sau ít phút.';
export const BAD_BUTTON = 'Nút bấm này không hợp lệ hoặc đã cũ. Hãy gõ lệnh, ví dụ /viec, để xem thông tin mới nhất.';

export function unknownCommand(word: string): string {
  const shown = word ? `"/${word}"` : 'tin nhắn này';
  return `Bot chưa hiểu ${shown}. Gõ /trogiup để xem các lệnh, ví dụ /viec để xem nhiệm vụ.`;
}
