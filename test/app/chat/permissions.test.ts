// The permission matrix: every command × role (and unlinked) × own / other unit.
// Allowed means the reply is not a refusal; a refusal changes nothing in the database.
import { describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { harness, type Harness } from './helpers.ts';

type Who = 'unlinked' | 'officer' | 'head' | 'chair' | 'admin';
const OFFICER: Record<Exclude<Who, 'unlinked'>, string> = { officer: 'CB-XA-AN', head: 'CT-XA-AN', chair: 'CT-TINH', admin: 'QT-NV' };
const REFUSAL = /^Anh\/chị chưa liên kết|không thuộc đơn vị của anh\/chị|^Chỉ (Chủ tịch|lãnh đạo|cán bộ quản trị)|chỉ xem được tình hình|chỉ cập nhật được chỉ tiêu của đơn vị mình|không phải của/;

/** [command, who may do it]; "own" means the XA-AN unit (the officer and head's own unit). */
const MATRIX: [string, Who[]][] = [
  ['/trogiup', ['unlinked', 'officer', 'head', 'chair', 'admin']],
  ['/viec', ['officer', 'head', 'chair', 'admin']],
  ['/viec NV-09', ['officer', 'head', 'chair']],
  ['/viec NV-12', ['chair']],
  ['/xong NV-10', ['officer', 'head', 'chair']],
  ['/xong NV-12', ['chair']],
  ['/giahan NV-10 31/12/2026 cần thêm thời gian', ['officer', 'head', 'chair']],
  ['/giahan NV-13 31/12/2026 cần thêm thời gian', ['chair']],
  ['/duyet 1', ['chair']],
  ['/tuchoi 1 không', ['chair']],
  ['/tinhhinh', ['head', 'chair']],
  ['/tinhhinh XA-AN', ['head', 'chair']],
  ['/tinhhinh XA-SON', ['chair']],
  ['/baocao', ['head', 'chair']],
  ['/camket', ['officer', 'head', 'chair', 'admin']],
  ['/camket XA-AN', ['officer', 'head', 'chair']],
  ['/camket XA-SON', ['chair']],
  // The admin sits in SO-NV, which has no commitment: not refused, but told so (nothing written).
  ['/camket capnhat CCHC-01 99', ['officer', 'head', 'chair', 'admin']],
  ['/camket capnhat PAR-01 86', ['chair', 'admin']],
  ['/camket capnhat TINH PAR-01 86', ['chair']],
  ['/camket tongket', ['chair']],
  ['/giao XA-AN 31/12/2026 Việc mới', ['chair']],
  ['/nhom XA-AN', ['chair', 'admin']],
];

const WHO: Who[] = ['unlinked', 'officer', 'head', 'chair', 'admin'];

async function snapshot(h: Harness): Promise<string> {
  const q = async (query: SQL) => JSON.stringify(await h.db.all(query));
  return [
    await q(sql`SELECT code, completed_at, effective_deadline, late_reason FROM tasks ORDER BY id`),
    await q(sql`SELECT id, status FROM extensions ORDER BY id`),
    await q(sql`SELECT * FROM group_bindings ORDER BY id`),
    await q(sql`SELECT count(*) AS n FROM task_events`),
    await q(sql`SELECT * FROM target_values ORDER BY id`),
  ].join('|');
}

describe('permission matrix', () => {
  for (const [command, allowed] of MATRIX) {
    for (const who of WHO) {
      const ok = allowed.includes(who);
      it(`${command} as ${who} → ${ok ? 'allowed' : 'refused'}`, async () => {
        const h = await harness();
        const user = who === 'unlinked' ? 'stranger' : await h.link(OFFICER[who]);
        const before = await snapshot(h);
        const text = await h.say(user, command, { chatType: 'group', chatId: 'g-test' });
        if (ok) expect(text).not.toMatch(REFUSAL);
        else {
          expect(text).toMatch(REFUSAL);
          expect(text.split(/[.!?]\s/).length).toBeLessThanOrEqual(3);
          expect(await snapshot(h)).toBe(before);
        }
      });
    }
  }
});
