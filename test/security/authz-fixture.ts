// The province the permission matrix runs against: the demo province made one
// level deeper, so that every role has an own unit, a child unit, another unit
// and a parent unit, each with an open task, a task with a pending extension
// request, a task whose completion report awaits confirmation and a recurring rule.
//
//   TINH ─┬─ XA-AN ── PB-AN        officer, head and admin sit in XA-AN
//         ├─ XA-SON
//         └─ H-DONG ── XA-DONG     the chair sits in H-DONG (a district-level chair)
import { eq } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { importRows } from '../../src/app/import/import.service.ts';
import { createRule } from '../../src/app/recurring/create.ts';
import { createInvite } from '../../src/app/register.ts';
import { loadConfig } from '../../src/config.ts';
import { recordReport } from '../../src/db/confirmation.repo.ts';
import { insertExtension } from '../../src/db/extensions.repo.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { taskByCode } from '../../src/db/tasks.repo.ts';
import { harness, NOW, ZONE, type Harness } from '../app/chat/helpers.ts';

export type Role = 'officer' | 'head' | 'chair' | 'admin';
export type Who = Role | 'unlinked';
export type Scope = 'own' | 'child' | 'other' | 'parent';
export const WHO: Who[] = ['unlinked', 'officer', 'head', 'chair', 'admin'];
export const SCOPES: Scope[] = ['own', 'child', 'other', 'parent'];

/** The officer acting in each role. */
export const ACTOR: Record<Role, string> = { officer: 'CB-XA-AN', head: 'CT-XA-AN', admin: 'QT-AN', chair: 'CT-HDONG' };

/** The unit each scope means, seen from each role. */
export const SCOPE_UNIT: Record<Role | 'unlinked', Record<Scope, string>> = {
  officer: { own: 'XA-AN', child: 'PB-AN', other: 'XA-SON', parent: 'TINH' },
  head: { own: 'XA-AN', child: 'PB-AN', other: 'XA-SON', parent: 'TINH' },
  admin: { own: 'XA-AN', child: 'PB-AN', other: 'XA-SON', parent: 'TINH' },
  unlinked: { own: 'XA-AN', child: 'PB-AN', other: 'XA-SON', parent: 'TINH' },
  chair: { own: 'H-DONG', child: 'XA-DONG', other: 'XA-SON', parent: 'TINH' },
};

const ALL_UNITS = ['XA-AN', 'PB-AN', 'XA-SON', 'TINH', 'H-DONG', 'XA-DONG'];
/** XA-AN and TINH have the demo's commitments; the other units get one target each. */
const TARGET_OF: Record<string, string> = { 'XA-AN': 'CCHC-01', TINH: 'PAR-01' };

/** What the fixture holds for a unit: an open task, a task whose extension request waits, a rule. */
export interface UnitThings {
  unit: string;
  openTask: string;
  extTask: string;
  extensionId: number;
  rule: string;
  /** A target code in the unit's commitment of the year. */
  target: string;
  /** An invite for an active officer of the unit. */
  invite: string;
  /** A task that needs confirmation, reported done and not yet confirmed. */
  reportedTask: string;
  /** An active officer of the unit (for /phancong). */
  officer: string;
  /** A suspended task of the unit (for /tieptuc). */
  suspendedTask: string;
}

export interface AuthzWorld {
  h: Harness;
  things: Record<string, UnitThings>;
  /** Telegram user ids by role (linked accounts with a private chat p-<id>). */
  user: Record<Who, string>;
}

function check(r: Awaited<ReturnType<typeof importRows>>): void {
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.row} ${e.column} ${e.reason}`).join('; '));
}

export async function authzWorld(): Promise<AuthzWorld> {
  const h = await harness();
  const { db } = h;
  const opts = { zone: ZONE, now: NOW };
  const day = (offset: number) => DateTime.fromMillis(NOW, { zone: ZONE }).plus({ days: offset }).toFormat('dd/MM/yyyy');
  check(
    await importRows(
      db,
      'units',
      [
        { code: 'PB-AN', name: 'Bộ phận Một cửa xã An Bình', parent: 'XA-AN', kind: 'bộ phận' },
        { code: 'H-DONG', name: 'UBND huyện Đông', parent: 'TINH', kind: 'huyện' },
        { code: 'XA-DONG', name: 'UBND xã Đông Hải', parent: 'H-DONG', kind: 'xã' },
      ],
      opts,
    ),
  );
  check(
    await importRows(
      db,
      'officers',
      [
        { code: 'QT-AN', full_name: 'Trương Thị Quản', unit: 'XA-AN', role: 'admin', title: 'Công chức Văn phòng' },
        { code: 'CT-HDONG', full_name: 'Đinh Văn Huyện', unit: 'H-DONG', role: 'chair', title: 'Chủ tịch UBND huyện Đông' },
        { code: 'CB-PB-AN', full_name: 'Lưu Thị Một', unit: 'PB-AN', role: 'officer', title: 'Công chức' },
        { code: 'CB-H-DONG', full_name: 'Kiều Văn Hai', unit: 'H-DONG', role: 'officer', title: 'Chuyên viên' },
        { code: 'CB-XA-DONG', full_name: 'Tạ Thị Ba', unit: 'XA-DONG', role: 'officer', title: 'Công chức' },
        { code: 'CB-TINH', full_name: 'Âu Văn Bốn', unit: 'TINH', role: 'officer', title: 'Chuyên viên Văn phòng' },
      ],
      opts,
    ),
  );
  check(
    await importRows(
      db,
      'tasks',
      ALL_UNITS.flatMap((u) =>
        [1, 2, 3, 4].map((n) => ({
          code: `T-${u}-${n}`,
          title: `Nhiệm vụ thử ${n} của ${u}`,
          unit: u,
          assigned_by: 'UBND tỉnh',
          source_doc: 'Kế hoạch số 9/KH-UBND',
          assigned_at: day(-10),
          deadline: day(5),
          completed_at: '',
        })),
      ),
      opts,
    ),
  );
  const year = DateTime.fromMillis(NOW, { zone: ZONE }).year;
  check(
    await importRows(
      db,
      'commitments',
      ALL_UNITS.filter((u) => u !== 'XA-AN' && u !== 'TINH').map((u) => ({
        unit: u,
        year: String(year),
        signed_at: `15/01/${year}`,
        doc_ref: `Bản cam kết số 7/CK-${u}`,
        target_code: `CT-${u}`,
        indicator: 'Tỷ lệ hồ sơ giải quyết đúng hạn',
        comparator: '>=',
        target: 95,
        measure: '%',
      })),
      opts,
    ),
  );
  const requester = (await officerByCode(db, 'CB-XA-AN'))!.id;
  const officerOf: Record<string, string> = {
    'XA-AN': 'CB-XA-AN',
    'PB-AN': 'CB-PB-AN',
    'XA-SON': 'CB-XA-SON',
    TINH: 'CB-TINH',
    'H-DONG': 'CB-H-DONG',
    'XA-DONG': 'CB-XA-DONG',
  };
  const config = loadConfig({});
  const things: Record<string, UnitThings> = {};
  for (const u of ALL_UNITS) {
    const extTask = (await taskByCode(db, `T-${u}-2`))!;
    const extensionId = await db.tx((tx) => insertExtension(tx, { taskId: extTask.id, requestedBy: requester, now: NOW, newDeadline: (extTask.effectiveDeadline ?? NOW) + 10 * 86_400_000, reason: 'Chờ số liệu' }));
    const rule = `R-${u}`;
    await createRule(db, { code: rule, unitCode: u, ruleText: 'hằng tháng ngày 20', title: `Báo cáo tháng của ${u}`, assignedBy: 'UBND tỉnh' }, NOW, config);
    const reportedTask = `T-${u}-3`;
    const reporter = (await officerByCode(db, officerOf[u]))!.id;
    await db.tx(async (tx) => {
      const { tasks } = tx.t;
      await tx.orm.update(tasks).set({ needsConfirmation: true }).where(eq(tasks.code, reportedTask));
      if (!(await recordReport(tx, { taskId: (await taskByCode(tx, reportedTask))!.id, officerId: reporter, now: NOW - 86_400_000, note: 'Đã nộp báo cáo' }))) throw new Error('fixture report');
    });
    const suspendedTask = `T-${u}-4`;
    await db.orm.update(db.t.tasks).set({ suspendedAt: NOW - 86_400_000, suspendReason: 'Chờ kinh phí' }).where(eq(db.t.tasks.code, suspendedTask));
    things[u] = {
      unit: u,
      openTask: `T-${u}-1`,
      extTask: extTask.code,
      extensionId,
      rule,
      target: TARGET_OF[u] ?? `CT-${u}`,
      invite: await createInvite(db, officerOf[u], NOW),
      reportedTask,
      officer: officerOf[u],
      suspendedTask,
    };
  }
  const user = { unlinked: 'stranger' } as Record<Who, string>;
  for (const role of Object.keys(ACTOR) as Role[]) user[role] = await h.link(ACTOR[role]);
  return { h, things, user };
}
