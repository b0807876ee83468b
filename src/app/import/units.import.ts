// Units: validate every row (codes, parents, no cycles), then upsert and keep `path` right.
import type { Db } from '../../db/open.ts';
import { unitParentCodes, upsertImportedUnits } from '../../db/import.repo.ts';
import { normCode } from '../../domain/text.ts';
import type { RowReader } from './cells.ts';
import type { Prepared } from './prepared.ts';

interface UnitRow {
  reader: RowReader;
  code: string;
  name: string;
  parent: string | null;
  kind: string | null;
}

export async function prepareUnits(db: Db, rows: RowReader[]): Promise<Prepared> {
  const existing = await unitParentCodes(db);

  const parsed: UnitRow[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const code = normCode(r.required('code', 'mã đơn vị'));
    const name = r.required('name', 'tên đơn vị');
    const parent = normCode(r.text('parent')) || null;
    if (code) {
      const first = seen.get(code);
      if (first !== undefined) r.error('code', `mã ${code} bị trùng với dòng ${first}`);
      else seen.set(code, r.line);
    }
    if (code && parent === code) r.error('parent', `đơn vị ${code} không thể là cấp trên của chính nó`);
    parsed.push({ reader: r, code, name, parent, kind: r.text('kind') || null });
  }

  const parentOf = new Map(existing);
  for (const u of parsed) if (u.code) parentOf.set(u.code, u.parent);
  for (const u of parsed) {
    if (!u.code || !u.parent || u.parent === u.code) continue;
    if (!parentOf.has(u.parent)) {
      u.reader.error('parent', `không có đơn vị mã ${u.parent}`);
      continue;
    }
    // Walk up: reaching the unit itself again means a cycle.
    let cur: string | null | undefined = u.parent;
    for (let steps = 0; cur && steps <= parentOf.size; steps++) {
      if (cur === u.code) {
        u.reader.error('parent', `đơn vị ${u.code} sẽ thành cấp trên của chính nó (vòng lặp cấp trên)`);
        break;
      }
      cur = parentOf.get(cur);
    }
  }

  return {
    count: parsed.length,
    apply: (tx, onProgress) => upsertImportedUnits(tx, parsed, onProgress),
  };
}
