// Inline button payloads: xong:<TASK_CODE>, duyet:<id>, tuchoi:<id>. Untrusted input:
// parsed strictly here, and the command is then authorised like a typed one.
import { normCode } from '../domain/text.ts';
import type { Command } from './parse.ts';

const MAX_BYTES = 64;

export function parseCallback(data: string): Command | null {
  if (Buffer.byteLength(data) > MAX_BYTES) return null;
  const m = /^(xong|duyet|tuchoi):(.+)$/.exec(data);
  if (!m) return null;
  const arg = m[2];
  if (m[1] === 'xong') return /^[A-Za-z0-9][A-Za-z0-9._/-]{0,57}$/.test(arg) ? { kind: 'done', code: normCode(arg) } : null;
  if (!/^\d{1,9}$/.test(arg)) return null;
  return m[1] === 'duyet' ? { kind: 'approve', id: Number(arg) } : { kind: 'reject', id: Number(arg) };
}
