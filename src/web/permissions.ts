// The web pages' permission checks: the chat's rules (src/app/auth.ts refusal), never a second copy.
import { refusal, type UnitTarget } from '../app/auth.ts';
import { NotAllowed } from '../domain/errors.ts';
import type { Viewer } from './types.ts';

/**
 * Why the viewer may not see a unit's page, or null. An officer (and an admin) sees the own
 * unit, a head the own unit and below, a chair the own subtree: the chat's 'tasks' and
 * 'status' rules, either of which lets the viewer in.
 */
export function unitRefusal(v: Viewer, unit: UnitTarget): string | null {
  const asStatus = refusal(v, 'status', unit);
  if (asStatus === null) return null;
  const asTasks = refusal(v, 'tasks', unit);
  if (asTasks === null) return null;
  return `${unit.label ?? 'Đơn vị này'} không thuộc phạm vi anh/chị được xem (${v.unitName}${v.role === 'officer' || v.role === 'admin' ? '' : ' và các đơn vị trực thuộc'}).`;
}

/** Throws NotAllowed (a 403 page with its sentence) unless the viewer may see the unit. */
export function assertUnitVisible(v: Viewer, unit: UnitTarget): void {
  const why = unitRefusal(v, unit);
  if (why !== null) throw new NotAllowed(why);
}

export function isAdmin(v: Viewer): boolean {
  return v.role === 'admin';
}

export const ADMIN_ONLY = 'Trang này chỉ dành cho cán bộ quản trị (Phòng Nội vụ).';

/** Throws NotAllowed unless the viewer is an admin (the admin pages). */
export function assertAdmin(v: Viewer): void {
  if (!isAdmin(v)) throw new NotAllowed(ADMIN_ONLY);
}
