// Inline button payloads: xong:<TASK_CODE>, duyet:<id>, tuchoi:<id>, xacnhan:<TASK_CODE>,
// tralai:<TASK_CODE> (a report sent back by a button gets a default reason, see app/confirm.ts).
// Untrusted input: parsed strictly here, and the command is then authorised like a typed one.
import { normCode } from '../domain/text.ts';
import type { Command } from './parse.ts';

const MAX_BYTES = 64;
const TASK_CODE = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,57}$/;

export function parseCallback(data: string): Command | null {
  if (Buffer.byteLength(data) > MAX_BYTES) return null;
  const m = /^(xong|duyet|tuchoi|xacnhan|tralai):(.+)$/.exec(data);
  if (!m) return null;
  const arg = m[2];
  if (m[1] === 'xong' || m[1] === 'xacnhan' || m[1] === 'tralai') {
    if (!TASK_CODE.test(arg)) return null;
    const code = normCode(arg);
    return m[1] === 'xong' ? { kind: 'done', code } : m[1] === 'xacnhan' ? { kind: 'confirm', code } : { kind: 'returnTask', code };
  }
  if (!/^\d{1,9}$/.test(arg)) return null;
  return m[1] === 'duyet' ? { kind: 'approve', id: Number(arg) } : { kind: 'reject', id: Number(arg) };
}
