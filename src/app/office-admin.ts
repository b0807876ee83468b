// The office's work done from the web pages: who may list officers and make invites,
// deactivate an officer, list and unbind group chats. Every check is the chat's rule
// (auth.ts refusal): invites and bindings are the 'invite' and 'bindGroup' actions (an
// admin anywhere, a chair within the own subtree); deactivating an officer is the admins'.
import {
  allBindingsWithSince,
  allOfficersWithUnits,
  bindingById,
  deleteBinding,
  endSessionsOfOfficer,
  setOfficerActive,
  type AdminBindingRow,
  type AdminOfficerRow,
} from '../db/admin.repo.ts';
import type { Db } from '../db/open.ts';
import { officerByCode, type OfficerRow } from '../db/officers.repo.ts';
import { InvalidInput, NotAllowed, NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import { refusal, type Principal, type UnitTarget } from './auth.ts';
import { createInvite } from './register.ts';

export const ADMINS_ONLY_DEACTIVATE = 'Chỉ cán bộ quản trị (Phòng Nội vụ) mới ngừng hoặc mở lại hoạt động của cán bộ.';

function allow(v: Principal, action: 'invite' | 'bindGroup', target?: UnitTarget): void {
  const why = refusal(v, action, target);
  if (why !== null) throw new NotAllowed(why);
}

const officerTarget = (o: { unitId: number; unitPath: string; code: string; fullName: string }): UnitTarget => ({
  unitId: o.unitId,
  unitPath: o.unitPath,
  label: `Cán bộ ${o.fullName} (${o.code})`,
});

/** May the viewer open the officers' page at all (admins, chairs)? */
export function mayManageOfficers(v: Principal): boolean {
  return refusal(v, 'invite') === null;
}

/** May the viewer open the group bindings' page at all (admins, chairs)? */
export function mayManageBindings(v: Principal): boolean {
  return refusal(v, 'bindGroup') === null;
}

/** The officers the viewer may make invites for: all for an admin, the own subtree for a chair. */
export async function officersInScope(db: Db, v: Principal): Promise<AdminOfficerRow[]> {
  allow(v, 'invite');
  const all = await allOfficersWithUnits(db);
  return all.filter((o) => refusal(v, 'invite', officerTarget(o)) === null);
}

/** One officer, when the viewer may make invites for them. */
export async function officerInScope(db: Db, v: Principal, code: string): Promise<OfficerRow> {
  allow(v, 'invite');
  const c = normCode(code);
  const o = await officerByCode(db, c);
  if (!o) throw new NotFound(`Không có cán bộ mã ${c.slice(0, 30)}. Kiểm tra lại mã cán bộ.`);
  allow(v, 'invite', officerTarget(o));
  return o;
}

/** Makes a one-time invite (the CLI's `nhacviec invite`) for an officer in the viewer's scope. */
export async function inviteOfficer(db: Db, v: Principal, code: string, now: number, validDays: number): Promise<{ officer: OfficerRow; invite: string }> {
  const officer = await officerInScope(db, v, code);
  return { officer, invite: await createInvite(db, officer.code, now, validDays) };
}

/**
 * Deactivates (or reactivates) an officer: admins only. A deactivated officer counts as
 * unlinked in the chat, is signed out of the web pages, and their invites no longer link.
 */
export async function setOfficerActiveAs(db: Db, v: Principal, code: string, active: boolean, now: number): Promise<{ officer: OfficerRow; changed: boolean }> {
  if (v.role !== 'admin') throw new NotAllowed(ADMINS_ONLY_DEACTIVATE);
  const c = normCode(code);
  const officer = await officerByCode(db, c);
  if (!officer) throw new NotFound(`Không có cán bộ mã ${c.slice(0, 30)}. Kiểm tra lại mã cán bộ.`);
  if (!active && officer.id === v.officerId) throw new InvalidInput('Anh/chị không thể tự ngừng hoạt động của chính mình; hãy nhờ một cán bộ quản trị khác.');
  const changed = await db.tx(async (tx) => {
    const done = await setOfficerActive(tx, officer.id, active);
    // Signed out for good: reactivating later does not bring an old session back.
    if (done && !active) await endSessionsOfOfficer(tx, officer.id, now);
    return done;
  });
  return { officer, changed };
}

/**
 * What a binding is about, for the rules: its unit, or for the leadership group the
 * top of the viewer's tree (the group speaks for every unit, so only a chair of the
 * whole tree, or an admin, may remove it).
 */
function bindingTarget(v: Principal, b: AdminBindingRow): UnitTarget {
  if (b.unitId !== null && b.unitPath !== null) return { unitId: b.unitId, unitPath: b.unitPath, label: `Nhóm của ${b.unitName ?? b.unitCode}` };
  const top = /^\/(\d+)\//.exec(v.unitPath);
  return { unitId: top ? Number(top[1]) : 0, unitPath: top ? top[0] : '/', label: 'Nhóm lãnh đạo' };
}

/** The bindings the viewer may see and remove. */
export async function bindingsInScope(db: Db, v: Principal): Promise<AdminBindingRow[]> {
  allow(v, 'bindGroup');
  const all = await allBindingsWithSince(db);
  return all.filter((b) => refusal(v, 'bindGroup', bindingTarget(v, b)) === null);
}

/** Removes a binding the viewer may remove: the group gets no more reminders for the unit. */
export async function unbindAs(db: Db, v: Principal, id: number): Promise<AdminBindingRow> {
  allow(v, 'bindGroup');
  const b = Number.isSafeInteger(id) ? await bindingById(db, id) : undefined;
  if (!b) throw new NotFound('Không có nhóm đã gắn này (có thể đã được gỡ). Tải lại trang danh sách nhóm.');
  allow(v, 'bindGroup', bindingTarget(v, b));
  await db.tx((tx) => deleteBinding(tx, b.id));
  return b;
}
