import { resumeTask, suspendTask } from '../../app/suspend.ts';
import { normCode } from '../../domain/text.ts';
import { CHAIR, defineCommand, splitFirst, usageOf } from './spec.ts';

const SUSPEND_USAGE = '/tamdung <mã nhiệm vụ> <lý do>, ví dụ: /tamdung NV-12 Chờ bố trí kinh phí';
const RESUME_USAGE = '/tieptuc <mã nhiệm vụ>, ví dụ: /tieptuc NV-12';

export const suspend = defineCommand({
  name: 'suspend',
  words: { vi: ['tạm dừng'], ascii: ['tamdung'], en: ['suspend'] },
  usage: SUSPEND_USAGE,
  menu: 'Tạm dừng nhiệm vụ (không nhắc hạn)',
  help: [{ roles: CHAIR, order: 120, text: '/tamdung NV-12 Chờ kinh phí — tạm dừng nhiệm vụ (không nhắc, không tính); /tieptuc NV-12 — cho tiếp tục' }],
  scope: 'private',
  action: 'suspend',
  parse(rest) {
    const [code, reason] = splitFirst(rest);
    if (!code || !reason) return usageOf(SUSPEND_USAGE, code ? 'Thiếu lý do tạm dừng.' : 'Thiếu mã nhiệm vụ và lý do.');
    return { kind: 'suspend', code: normCode(code), reason };
  },
  kinds: ['suspend'],
  run: (ctx, actor, cmd) => suspendTask(ctx, actor, cmd.code, cmd.reason),
});

export const resume = defineCommand({
  name: 'resume',
  words: { vi: ['tiếp tục'], ascii: ['tieptuc'], en: ['resume'] },
  usage: RESUME_USAGE,
  menu: 'Cho tiếp tục nhiệm vụ đang tạm dừng',
  help: [],
  scope: 'private',
  action: 'suspend',
  parse(rest) {
    const [code] = splitFirst(rest);
    return code ? { kind: 'resume', code: normCode(code) } : usageOf(RESUME_USAGE, 'Thiếu mã nhiệm vụ.');
  },
  kinds: ['resume'],
  run: (ctx, actor, cmd) => resumeTask(ctx, actor, cmd.code),
});
