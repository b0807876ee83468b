// A demo province in today's two-level shape (tỉnh → sở, xã / phường), with officers
// of every role, tasks in every state relative to `now`, a commitment, a pending extension
// and a monthly recurring report.
// It goes through the real import path, so the demo data obeys the same rules as a real office's.
import { DateTime } from 'luxon';
import { importRows, type ImportResult } from '../app/import/import.service.ts';
import type { Holidays } from '../config.ts';
import type { Db } from '../db/open.ts';
import { countUnits } from '../db/import.repo.ts';
import { officerByCode } from '../db/officers.repo.ts';
import { insertExtension } from '../db/extensions.repo.ts';
import { addEvent, setLateReason, taskByCode } from '../db/tasks.repo.ts';
import { seedRecurring } from './recurring.ts';

const UNITS = [
  ['TINH', 'UBND tỉnh Hòa Bình Xanh', '', 'tỉnh'],
  ['SO-NV', 'Sở Nội vụ', 'TINH', 'sở'],
  ['SO-TC', 'Sở Tài chính', 'TINH', 'sở'],
  ['SO-GDDT', 'Sở Giáo dục và Đào tạo', 'TINH', 'sở'],
  ['XA-AN', 'UBND xã An Bình', 'TINH', 'xã'],
  ['XA-SON', 'UBND xã Sơn Thủy', 'TINH', 'xã'],
  ['PH-TT', 'UBND phường Trung Tâm', 'TINH', 'phường'],
];

const OFFICERS = [
  ['CT-TINH', 'Nguyễn Văn An', 'TINH', 'chair', 'Chủ tịch UBND tỉnh'],
  ['PCT-TINH', 'Trần Thị Bình', 'TINH', 'chair', 'Phó Chủ tịch UBND tỉnh'],
  ['QT-NV', 'Lê Thu Hà', 'SO-NV', 'admin', 'Chuyên viên Sở Nội vụ'],
  ['GD-NV', 'Phạm Quốc Cường', 'SO-NV', 'head', 'Giám đốc Sở Nội vụ'],
  ['CB-NV', 'Đỗ Minh Tâm', 'SO-NV', 'officer', 'Chuyên viên'],
  ['GD-TC', 'Hoàng Văn Dũng', 'SO-TC', 'head', 'Giám đốc Sở Tài chính'],
  ['CB-TC', 'Vũ Thị Lan', 'SO-TC', 'officer', 'Chuyên viên'],
  ['GD-GDDT', 'Ngô Thị Mai', 'SO-GDDT', 'head', 'Giám đốc Sở Giáo dục và Đào tạo'],
  ['CT-XA-AN', 'Bùi Văn Hùng', 'XA-AN', 'head', 'Chủ tịch UBND xã An Bình'],
  ['CB-XA-AN', 'Đặng Thị Hoa', 'XA-AN', 'officer', 'Công chức Văn phòng - Thống kê'],
  ['CT-XA-SON', 'Lý Văn Sơn', 'XA-SON', 'head', 'Chủ tịch UBND xã Sơn Thủy'],
  ['CB-XA-SON', 'Mai Thị Thu', 'XA-SON', 'officer', 'Công chức Tư pháp - Hộ tịch'],
  ['CT-PH-TT', 'Trịnh Quang Vinh', 'PH-TT', 'head', 'Chủ tịch UBND phường Trung Tâm'],
  ['CB-PH-TT', 'Phan Thị Ngọc', 'PH-TT', 'officer', 'Công chức Địa chính - Xây dựng'],
];

/** [code, title, unit, assigned (days from now), deadline (days from now), completed (days from now) or null] */
type TaskSpec = [string, string, string, number, number, number | null];

const TASKS: TaskSpec[] = [
  ['NV-01', 'Báo cáo kết quả cải cách hành chính quý', 'SO-NV', -60, -20, -25],
  ['NV-02', 'Rà soát, sắp xếp vị trí việc làm sau sáp nhập', 'SO-NV', -45, -5, null],
  ['NV-03', 'Tổng hợp đề xuất khen thưởng năm', 'SO-NV', -10, 2, null],
  ['NV-04', 'Lập dự toán ngân sách năm sau', 'SO-TC', -50, -10, -3],
  ['NV-05', 'Báo cáo tình hình giải ngân vốn đầu tư công', 'SO-TC', -30, -2, null],
  ['NV-06', 'Thẩm định phương án tự chủ tài chính các đơn vị sự nghiệp', 'SO-TC', -20, 25, null],
  ['NV-07', 'Kế hoạch tuyển sinh lớp 10 năm học mới', 'SO-GDDT', -40, -15, -16],
  ['NV-08', 'Rà soát cơ sở vật chất trường học trước mùa mưa bão', 'SO-GDDT', -15, 6, null],
  ['NV-09', 'Cập nhật danh sách hộ nghèo, hộ cận nghèo', 'XA-AN', -35, -12, null],
  ['NV-10', 'Số hóa hồ sơ hộ tịch giai đoạn 2', 'XA-AN', -25, 1, null],
  ['NV-11', 'Báo cáo công tác phòng chống thiên tai', 'XA-AN', -40, -20, -14],
  ['NV-12', 'Giải quyết dứt điểm đơn thư tồn đọng', 'XA-SON', -30, -8, null],
  ['NV-13', 'Tổ chức hội nghị đối thoại với nhân dân', 'XA-SON', -20, 14, null],
  ['NV-14', 'Kiểm tra trật tự xây dựng trên địa bàn', 'PH-TT', -28, -6, -7],
  ['NV-15', 'Chỉnh trang đô thị, vỉa hè tuyến phố chính', 'PH-TT', -12, 40, null],
  ['NV-16', 'Cấp giấy chứng nhận quyền sử dụng đất lần đầu', 'PH-TT', -50, -30, -29],
];

function check(result: ImportResult, what: string): void {
  if (!result.ok) throw new Error(`demo ${what}: ${result.errors.map((e) => `${e.row} ${e.column} ${e.reason}`).join('; ')}`);
}

/** `calendar`: the configured days off, for the recurring report's deadlines (weekends only when absent). */
export async function seedDemo(db: Db, now: number, zone: string, calendar: Holidays = { holidays: [], makeUpDays: [] }): Promise<void> {
  const today = DateTime.fromMillis(now, { zone });
  const day = (offset: number) => today.plus({ days: offset }).toFormat('dd/MM/yyyy');
  const at = (offset: number) => today.plus({ days: offset }).set({ hour: 16, minute: 30 }).toFormat('dd/MM/yyyy HH:mm');
  const year = today.year;
  const opts = { zone, now, calendar };
  await db.tx(async (tx) => {
    check(await importRows(tx, 'units', UNITS.map(([code, name, parent, kind]) => ({ code, name, parent, kind })), opts), 'units');
    check(
      await importRows(tx, 'officers', OFFICERS.map(([code, full_name, unit, role, title]) => ({ code, full_name, unit, role, title })), opts),
      'officers',
    );
    check(
      await importRows(
        tx,
        'tasks',
        TASKS.map(([code, title, unit, assigned, deadline, completed], i) => ({
          code,
          title,
          unit,
          assigned_by: i % 3 === 0 ? 'UBND tỉnh' : 'Chủ tịch UBND tỉnh',
          source_doc: i % 2 === 0 ? `Kế hoạch số 02/KH-UBND ngày 12/01/${year}` : `Thông báo số ${15 + i}/TB-UBND ngày ${day(assigned)}`,
          assigned_at: day(assigned),
          deadline: day(deadline),
          completed_at: completed === null ? '' : at(completed),
          note: '',
        })),
        opts,
      ),
      'tasks',
    );
    check(
      await importRows(
        tx,
        'commitments',
        [
          ['CCHC-01', 'Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng hạn', '>=', 98, '%', 96.5],
          ['CCHC-02', 'Tỷ lệ hồ sơ nộp trực tuyến toàn trình', '>=', 60, '%', 64],
          ['CCHC-03', 'Số nhiệm vụ quá hạn chưa hoàn thành', '<=', 0, 'nhiệm vụ', 2],
          ['PAR-01', 'Chỉ số cải cách hành chính (PAR INDEX) của tỉnh', '>=', 85, '%', 83.2],
        ].map(([target_code, indicator, comparator, target, measure, current]) => ({
          unit: target_code === 'PAR-01' ? 'TINH' : 'XA-AN',
          year: String(year),
          signed_at: `15/01/${year}`,
          doc_ref: `Bản cam kết số 05/CK-UBND ngày 15/01/${year}`,
          target_code,
          indicator,
          comparator,
          target,
          measure,
          current,
        })),
        opts,
      ),
      'commitments',
    );
    const lateA = await taskByCode(tx, 'NV-04');
    if (lateA) await setLateReason(tx, lateA.id, 'Chờ số liệu tổng hợp từ các xã, phường.', now);
    const requested = await taskByCode(tx, 'NV-12');
    const requester = await officerByCode(tx, 'CB-XA-SON');
    if (!requester) throw new Error('demo: officer CB-XA-SON must be seeded before the extension request');
    if (requested) {
      const newDeadline = today.plus({ days: 10 }).endOf('day').toMillis();
      await insertExtension(tx, { taskId: requested.id, requestedBy: requester.id, now, newDeadline, reason: 'Chờ kết quả xác minh của Thanh tra tỉnh' });
      await addEvent(tx, { taskId: requested.id, at: now, officerId: requester.id, kind: 'extension_requested', detail: `đến ${day(10)}` });
    }
    await seedRecurring(tx, now, { zone, calendar });
  });
}

/** True when the database has no units yet (a fresh demo database). */
export async function isEmpty(db: Db): Promise<boolean> {
  return (await countUnits(db)) === 0;
}
