// The navigation bar: one entry per page, shown only to viewers the page lets in.
// A page module adds its line here (keep `allowed` the same check its route makes).
import { mayManageBindings, mayManageOfficers } from '../app/office-admin.ts';
import { isAdmin } from './permissions.ts';
import type { Viewer } from './types.ts';

export interface NavEntry {
  href: string;
  label: string;
  allowed(v: Viewer): boolean;
}

export const NAV: readonly NavEntry[] = [
  { href: '/', label: 'Tổng quan', allowed: () => true },
  { href: '/camket', label: 'Cam kết', allowed: () => true },
  { href: '/dinhky', label: 'Báo cáo định kỳ', allowed: () => true },
  { href: '/hangdoi', label: 'Hàng đợi tin', allowed: isAdmin },
  { href: '/nhap', label: 'Nhập dữ liệu', allowed: isAdmin },
  { href: '/canbo', label: 'Cán bộ', allowed: mayManageOfficers },
  { href: '/nhom', label: 'Nhóm chat', allowed: mayManageBindings },
];

export function navFor(v: Viewer): NavEntry[] {
  return NAV.filter((e) => e.allowed(v));
}
