import { decideExtension, requestExtension } from '../../app/extend.ts';
import { normCode } from '../../domain/text.ts';
import type { Command } from '../parse.ts';
import { ALL_ROLES, CHAIR, defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE = '/giahan <mã nhiệm vụ> <ngày dd/mm/yyyy hoặc dd/mm> <lý do>, ví dụ: /giahan NV-12 30/09/2026 chờ số liệu của Sở';

export const extend = defineCommand({
  name: 'extend',
  words: { vi: ['gia hạn'], ascii: ['giahan'], en: ['extend'] },
  usage: USAGE,
  menu: 'Xin gia hạn: /giahan <mã> <ngày> <lý do>',
  help: [{ roles: ALL_ROLES, order: 30, text: '/giahan NV-12 30/09/2026 lý do — xin gia hạn' }],
  scope: 'both',
  action: 'extend',
  parse(rest) {
    const [code, r1] = splitFirst(rest);
    const [date, reason] = splitFirst(r1);
    if (!code || !date) return usageOf(USAGE, 'Thiếu mã nhiệm vụ hoặc ngày.');
    if (!reason) return usageOf(USAGE, 'Cần ghi lý do xin gia hạn.');
    return { kind: 'extend', code: normCode(code), date, reason };
  },
  kinds: ['extend'],
  run: (ctx, actor, cmd) => requestExtension(ctx, actor, cmd.code, cmd.date, cmd.reason),
});

/** The number of an extension request and what follows it. */
function requestNumber(usage: string, rest: string): { id: number; reason: string } | Command {
  const [n, reason] = splitFirst(rest);
  if (!/^#?\d{1,9}$/.test(n)) return usageOf(usage, n ? `"${n.slice(0, 20)}" không phải số đề nghị.` : 'Thiếu số đề nghị.');
  return { id: Number(n.replace('#', '')), reason };
}

const APPROVE_USAGE = '/duyet <số đề nghị>, ví dụ: /duyet 3';
export const approve = defineCommand({
  name: 'approve',
  words: { vi: ['duyệt'], ascii: ['duyet'], en: ['approve'] },
  usage: APPROVE_USAGE,
  menu: 'Duyệt đề nghị gia hạn',
  help: [{ roles: CHAIR, order: 120, text: '/duyet 3, /tuchoi 3 lý do — duyệt hoặc từ chối đề nghị gia hạn' }],
  scope: 'private',
  action: 'approve',
  parse(rest) {
    const r = requestNumber(APPROVE_USAGE, rest);
    return 'kind' in r ? r : { kind: 'approve', id: r.id };
  },
  kinds: ['approve'],
  run: (ctx, actor, cmd) => decideExtension(ctx, actor, cmd.id, true),
});

const REJECT_USAGE = '/tuchoi <số đề nghị> [lý do], ví dụ: /tuchoi 3 không đủ căn cứ';
export const reject = defineCommand({
  name: 'reject',
  words: { vi: ['từ chối'], ascii: ['tuchoi'], en: ['reject'] },
  usage: REJECT_USAGE,
  menu: 'Từ chối đề nghị gia hạn',
  help: [],
  scope: 'private',
  action: 'approve',
  parse(rest) {
    const r = requestNumber(REJECT_USAGE, rest);
    return 'kind' in r ? r : { kind: 'reject', id: r.id, reason: r.reason || undefined };
  },
  kinds: ['reject'],
  run: (ctx, actor, cmd) => decideExtension(ctx, actor, cmd.id, false, cmd.reason),
});
