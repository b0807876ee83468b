// Officers: code, name, unit (must exist), role in English or Vietnamese.
import type { Db } from '../../db/open.ts';
import { unitIdsByCode, upsertImportedOfficers } from '../../db/import.repo.ts';
import type { Role } from '../../db/schema.ts';
import { entryOf, fold, normCode } from '../../domain/text.ts';
import type { RowReader } from './cells.ts';
import type { Prepared } from './prepared.ts';

const ROLE_WORDS: Record<string, Role> = {
  officer: 'officer',
  'can bo': 'officer',
  'cong chuc': 'officer',
  'chuyen vien': 'officer',
  head: 'head',
  'truong don vi': 'head',
  'truong phong': 'head',
  chair: 'chair',
  'lanh dao': 'chair',
  'chu tich': 'chair',
  admin: 'admin',
  'quan tri': 'admin',
};

export function parseRole(text: string): Role | null {
  return entryOf(ROLE_WORDS, fold(text)) ?? null;
}

export async function prepareOfficers(db: Db, rows: RowReader[]): Promise<Prepared> {
  const unitIds = await unitIdsByCode(db);
  const seen = new Map<string, number>();
  const parsed: { code: string; fullName: string; unitId: number; role: Role; title: string | null; phone: string | null }[] = [];
  for (const r of rows) {
    const code = normCode(r.required('code', 'mã cán bộ'));
    const fullName = r.required('full_name', 'họ và tên');
    const unitCode = normCode(r.required('unit', 'mã đơn vị'));
    const roleText = r.required('role', 'vai trò');
    if (code) {
      const first = seen.get(code);
      if (first !== undefined) r.error('code', `mã ${code} bị trùng với dòng ${first}`);
      else seen.set(code, r.line);
    }
    const unitId = unitCode ? unitIds.get(unitCode) : undefined;
    if (unitCode && unitId === undefined) r.error('unit', `không có đơn vị mã ${unitCode}`);
    const role = roleText ? parseRole(roleText) : null;
    if (roleText && !role) r.error('role', `vai trò "${roleText.slice(0, 30)}" không hợp lệ (cán bộ, trưởng đơn vị, lãnh đạo, quản trị)`);
    if (code && fullName && unitId !== undefined && role) {
      parsed.push({ code, fullName, unitId, role, title: r.text('title') || null, phone: r.text('phone') || null });
    }
  }
  return {
    count: parsed.length,
    apply: (tx, onProgress) => upsertImportedOfficers(tx, parsed, onProgress),
  };
}
