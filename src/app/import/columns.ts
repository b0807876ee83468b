// The columns of each kind of spreadsheet, each with a Vietnamese and an English header.
import { InvalidInput } from '../../domain/errors.ts';
import { fold } from '../../domain/text.ts';

export const IMPORT_KINDS = ['units', 'officers', 'tasks', 'commitments'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export interface ColumnSpec {
  key: string;
  vi: string;
  en: string;
  required: boolean;
}

const col = (key: string, vi: string, required = true): ColumnSpec => ({ key, vi, en: key, required });

export const COLUMNS: Record<ImportKind, ColumnSpec[]> = {
  units: [col('code', 'Mã'), col('name', 'Tên đơn vị'), col('parent', 'Đơn vị cấp trên', false), col('kind', 'Loại', false)],
  officers: [
    col('code', 'Mã'),
    col('full_name', 'Họ và tên'),
    col('unit', 'Đơn vị'),
    col('role', 'Vai trò'),
    col('title', 'Chức vụ', false),
    col('phone', 'Điện thoại', false),
  ],
  tasks: [
    col('code', 'Mã'),
    col('title', 'Nội dung'),
    col('unit', 'Đơn vị chủ trì'),
    col('assigned_by', 'Cơ quan giao'),
    col('source_doc', 'Văn bản giao'),
    col('assigned_at', 'Ngày giao'),
    col('deadline', 'Hạn hoàn thành'),
    col('completed_at', 'Ngày hoàn thành', false),
    col('note', 'Ghi chú', false),
    col('repeat', 'Lặp lại', false),
    col('needs_confirmation', 'Cần xác nhận', false),
    col('cooperating', 'Đơn vị phối hợp', false),
    col('assignee', 'Người thực hiện', false),
  ],
  commitments: [
    col('unit', 'Đơn vị'),
    col('year', 'Năm'),
    col('signed_at', 'Ngày ký'),
    col('doc_ref', 'Văn bản'),
    col('target_code', 'Mã chỉ tiêu'),
    col('indicator', 'Chỉ tiêu'),
    col('comparator', 'So sánh'),
    col('target', 'Mục tiêu'),
    col('measure', 'Đơn vị tính'),
    col('current', 'Hiện đạt', false),
    col('measured_at', 'Ngày số liệu', false),
    col('computed', 'Tự tính', false),
    col('due_date', 'Hạn', false),
    col('signers', 'Người ký', false),
  ],
};

export const KIND_LABEL: Record<ImportKind, string> = {
  units: 'đơn vị',
  officers: 'cán bộ',
  tasks: 'nhiệm vụ',
  commitments: 'chỉ tiêu cam kết',
};

export interface HeaderMap {
  /** Column index per key, or -1 when an optional column is absent. */
  index: Record<string, number>;
  /** The header as written in the file, for error messages. */
  label: Record<string, string>;
}

/** Matches the file's headers to the kind's columns, case- and diacritics-insensitively. */
export function mapHeaders(kind: ImportKind, headers: string[]): HeaderMap {
  const folded = headers.map((h) => fold(String(h ?? '')).replace(/[\s_]+/g, ' '));
  const index: Record<string, number> = {};
  const label: Record<string, string> = {};
  const missing: string[] = [];
  for (const c of COLUMNS[kind]) {
    const names = [fold(c.vi), fold(c.en).replace(/_/g, ' ')];
    const i = folded.findIndex((h) => names.includes(h));
    index[c.key] = i;
    label[c.key] = i >= 0 ? String(headers[i]).trim() : c.vi;
    if (i < 0 && c.required) missing.push(`"${c.vi}" (${c.en})`);
  }
  if (missing.length > 0) {
    throw new InvalidInput(
      `Thiếu cột ${missing.join(', ')} trong dòng tiêu đề. Các cột cần có: ${COLUMNS[kind]
        .filter((c) => c.required)
        .map((c) => c.vi)
        .join(', ')}.`,
    );
  }
  return { index, label };
}
