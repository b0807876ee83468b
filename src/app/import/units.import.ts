// Units: validate every row (codes, parents, no cycles), then upsert and keep `path` right.
import type { Db } from '../../db/open.ts';
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

export function prepareUnits(db: Db, rows: RowReader[]): Prepared {
  const sqlite = db.$client;
  const existing = new Map<string, string | null>();
  for (const r of sqlite.prepare('SELECT u.code AS code, p.code AS parent FROM units u LEFT JOIN units p ON p.id = u.parent_id').all() as {
    code: string;
    parent: string | null;
  }[])
    existing.set(r.code, r.parent);

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
    apply(onProgress) {
      const before = (sqlite.prepare('SELECT count(*) AS n FROM units').get() as { n: number }).n;
      const upsert = sqlite.prepare(
        `INSERT INTO units (code, name, kind, path) VALUES (?, ?, ?, '/')
         ON CONFLICT(code) DO UPDATE SET name = excluded.name, kind = excluded.kind`,
      );
      parsed.forEach((u, i) => {
        upsert.run(u.code, u.name, u.kind);
        if (i % 1000 === 0) onProgress?.(i, parsed.length * 2);
      });
      const setParent = sqlite.prepare('UPDATE units SET parent_id = (SELECT id FROM units WHERE code = ?) WHERE code = ?');
      parsed.forEach((u, i) => {
        setParent.run(u.parent, u.code);
        if (i % 1000 === 0) onProgress?.(parsed.length + i, parsed.length * 2);
      });
      rebuildPaths(db);
      const after = (sqlite.prepare('SELECT count(*) AS n FROM units').get() as { n: number }).n;
      return { inserted: after - before, updated: parsed.length - (after - before) };
    },
  };
}

/** Recomputes the materialised path of every unit whose path changed. */
export function rebuildPaths(db: Db): void {
  const sqlite = db.$client;
  const all = sqlite.prepare('SELECT id, parent_id AS parentId, path FROM units').all() as { id: number; parentId: number | null; path: string }[];
  const byId = new Map(all.map((u) => [u.id, u]));
  const computed = new Map<number, string>();
  const pathOf = (id: number, depth = 0): string => {
    const known = computed.get(id);
    if (known) return known;
    const u = byId.get(id)!;
    const p = u.parentId && depth < all.length ? `${pathOf(u.parentId, depth + 1)}${id}/` : `/${id}/`;
    computed.set(id, p);
    return p;
  };
  const update = sqlite.prepare('UPDATE units SET path = ? WHERE id = ?');
  for (const u of all) {
    const p = pathOf(u.id);
    if (p !== u.path) update.run(p, u.id);
  }
}
