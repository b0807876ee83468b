// The sentences about a task's evidence (minh chứng).
import { formatDateTime } from '../domain/dates.ts';
import { clip } from '../domain/text.ts';
import { viFileSize } from '../files/texts.ts';
import type { EvidenceRow } from '../db/evidence.repo.ts';

/** "ảnh" for a photo without a name, else the file's name. */
export function evidenceLabel(e: Pick<EvidenceRow, 'kind' | 'originalName'>): string {
  return e.originalName ? clip(e.originalName, 60) : e.kind === 'photo' ? 'ảnh' : 'tệp';
}

/** One line: "ảnh (1,2 MB), Trần Thị Lan, 12/03/2026 14:05". */
export function evidenceLine(e: EvidenceRow, zone: string): string {
  const who = e.officerName ? `, ${e.officerName}` : '';
  return `${evidenceLabel(e)} (${viFileSize(e.size)})${who}, ${formatDateTime(e.at, zone)}`;
}

export const EVIDENCE_TEXTS = {
  added: (code: string, e: Pick<EvidenceRow, 'kind' | 'originalName' | 'size'>, total: number) =>
    `📎 Đã nhận minh chứng cho nhiệm vụ ${code}: ${evidenceLabel(e)} (${viFileSize(e.size)}). Nhiệm vụ có ${total} minh chứng.`,
  alreadyThere: (code: string, total: number) => `Tệp này đã có trong minh chứng của nhiệm vụ ${code} (${total} minh chứng), không lưu thêm.`,
  none: (code: string) => `Nhiệm vụ ${code} chưa có minh chứng. Gửi ảnh hoặc tệp kèm chú thích /minhchung ${code} để thêm.`,
  header: (code: string, title: string, total: number, shown: number) =>
    `📎 Minh chứng của nhiệm vụ ${code} — ${clip(title, 80)}: ${total} tệp${shown < total ? `, gửi ${shown} tệp mới nhất` : ''}.`,
  missing: (n: number) => `(${n} tệp không còn trong kho lưu trữ, không gửi được; hãy báo cán bộ quản trị.)`,
  /** The list in a task's detail (/viec <mã>). */
  list: (rows: EvidenceRow[], zone: string, max = 10) => {
    if (rows.length === 0) return 'Minh chứng: chưa có.';
    const lines = rows.slice(-max).map((e) => `• ${evidenceLine(e, zone)}`);
    const more = rows.length > max ? [`… và ${rows.length - max} tệp trước đó.`] : [];
    return [`Minh chứng (${rows.length}):`, ...more, ...lines].join('\n');
  },
} as const;
