// The navigation bar: one entry per page, shown only to viewers the page lets in.
// A page module adds its line here (keep `allowed` the same check its route makes).
import { isAdmin } from './permissions.ts';
import type { Viewer } from './types.ts';

export interface NavEntry {
  href: string;
  label: string;
  allowed(v: Viewer): boolean;
}

export const NAV: readonly NavEntry[] = [
  { href: '/', label: 'Tổng quan', allowed: () => true },
  { href: '/hangdoi', label: 'Hàng đợi tin', allowed: isAdmin },
];

export function navFor(v: Viewer): NavEntry[] {
  return NAV.filter((e) => e.allowed(v));
}
