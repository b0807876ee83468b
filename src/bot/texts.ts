// The Vietnamese texts of the chat that are not tied to one use case.
import type { Actor } from '../app/auth.ts';

export const UNEXPECTED = 'Xin lỗi, có lỗi khi xử lý. Vui lòng thử lại sau.';
/** The database stayed locked past the busy timeout (e.g. a large import running). */
export const BUSY = 'Hệ thống đang bận cập nhật dữ liệu. Vui lòng gửi lại lệnh sau ít phút.';
export const BAD_BUTTON = 'Nút bấm này không hợp lệ hoặc đã cũ. Hãy gõ lệnh, ví dụ /viec, để xem thông tin mới nhất.';

export function unknownCommand(word: string): string {
  const shown = word ? `"/${word}"` : 'tin nhắn này';
  return `Bot chưa hiểu ${shown}. Gõ /trogiup để xem các lệnh, ví dụ /viec để xem nhiệm vụ.`;
}

const ROLE_VI = { officer: 'cán bộ', head: 'lãnh đạo đơn vị', chair: 'lãnh đạo UBND', admin: 'quản trị' } as const;

const COMMON = [
  '/viec — nhiệm vụ chưa hoàn thành của đơn vị (/viec quahan, /viec tuannay, /viec NV-12 xem chi tiết)',
  '/xong NV-12 [ghi chú] — báo hoàn thành; nếu trễ hạn: /xong NV-12 lý do: chờ số liệu của Sở',
  '/giahan NV-12 30/09/2026 lý do — xin gia hạn',
  '/camket [năm] — cam kết năm và các chỉ tiêu của đơn vị',
];

/** What this person may do, with examples (unlinked users: how to link). */
export function helpText(actor: Actor | null): string {
  if (!actor) {
    return [
      'Nhắc việc — bot theo dõi nhiệm vụ được giao và nhắc hạn.',
      'Anh/chị chưa liên kết tài khoản. Hãy xin mã mời ở Phòng Nội vụ rồi gõ:',
      '/dangky <mã mời>   (ví dụ: /dangky K7QM3XPA)',
      'Lệnh tiếng Anh cũng được: /register, /help.',
    ].join('\n');
  }
  const lines = [`Chào ${actor.fullName} (${ROLE_VI[actor.role]}, ${actor.unitName}). Các lệnh anh/chị dùng được:`, ...COMMON];
  if (actor.role === 'head') {
    lines.push(
      '/tinhhinh [kỳ] — tình hình đơn vị (ví dụ: /tinhhinh quy 3)',
      '/baocao [kỳ] — báo cáo kèm tệp Excel',
    );
  }
  if (actor.role !== 'chair') lines.push('/camket capnhat CCHC-01 98,5% [nguồn] — cập nhật số liệu chỉ tiêu cam kết của đơn vị');
  if (actor.role === 'chair') {
    lines.push(
      '/tinhhinh [mã đơn vị] [kỳ] — tình hình toàn tỉnh hoặc một đơn vị (ví dụ: /tinhhinh, /tinhhinh XA-AN 9 thang)',
      '/baocao [kỳ] — báo cáo kèm tệp Excel (ví dụ: /baocao 6 thang)',
      '/giao XA-AN 30/09/2026 Rà soát hộ nghèo — giao nhiệm vụ',
      '/giao XA-AN hằng tháng ngày 20 Báo cáo CCHC — giao nhiệm vụ định kỳ (hằng quý ngày 15 tháng cuối quý, hằng năm ngày 15/12, thứ sáu hằng tuần…); /dunglap <mã> — dừng lặp',
      '/duyet 3, /tuchoi 3 lý do — duyệt hoặc từ chối đề nghị gia hạn',
      '/camket XA-AN [năm] — cam kết của một đơn vị; /camket tongket [năm] — xếp hạng thực hiện cam kết',
      '/camket capnhat [mã đơn vị] CCHC-01 98,5% [nguồn] — cập nhật số liệu chỉ tiêu cam kết',
    );
  }
  if (actor.role === 'admin' || actor.role === 'chair') lines.push('/nhom <mã đơn vị> hoặc /nhom lanhdao — gắn nhóm chat này (gõ trong nhóm)');
  lines.push('Kỳ: thang 9, quy 3, 6 thang, 9 thang, nam 2025, tuan nay, 01/01/2026-31/03/2026.');
  lines.push('Có thể gõ không dấu hoặc tiếng Anh (/tasks, /done, /status…); trong nhóm nhớ gõ dấu / ở đầu lệnh.');
  return lines.join('\n');
}
