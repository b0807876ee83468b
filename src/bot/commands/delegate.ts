import { delegateTask } from '../../app/delegate.ts';
import type { Role } from '../../db/schema.ts';
import { normCode } from '../../domain/text.ts';
import { defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE = '/phancong <mã nhiệm vụ> <mã cán bộ>, ví dụ: /phancong NV-2026-0001 CB-XA-AN';
const HEAD_AND_CHAIR: readonly Role[] = ['head', 'chair'];

export const delegate = defineCommand({
  name: 'delegate',
  words: { vi: ['phân công'], ascii: ['phancong'], en: ['delegate'] },
  usage: USAGE,
  menu: 'Phân công cán bộ thực hiện nhiệm vụ',
  help: [{ roles: HEAD_AND_CHAIR, order: 95, text: '/phancong NV-12 CB-XA-AN — phân công cán bộ của đơn vị chủ trì thực hiện nhiệm vụ' }],
  scope: 'both',
  action: 'delegate',
  parse(rest) {
    const [code, r1] = splitFirst(rest);
    const [officer] = splitFirst(r1);
    if (!code || !officer) return usageOf(USAGE, code ? 'Thiếu mã cán bộ.' : 'Thiếu mã nhiệm vụ và mã cán bộ.');
    return { kind: 'delegate', code: normCode(code), officerCode: normCode(officer) };
  },
  kinds: ['delegate'],
  run: (ctx, actor, cmd) => delegateTask(ctx, actor, cmd.code, cmd.officerCode),
});
