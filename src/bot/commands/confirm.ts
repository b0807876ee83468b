import { confirmTask, returnTask } from '../../app/confirm.ts';
import { normCode } from '../../domain/text.ts';
import { CHAIR, defineCommand, splitFirst, usageOf } from './spec.ts';

const CONFIRM_USAGE = '/xacnhan <mã nhiệm vụ>, ví dụ: /xacnhan NV-12';
const RETURN_USAGE = '/tralai <mã nhiệm vụ> <lý do>, ví dụ: /tralai NV-12 thiếu biên bản có chữ ký';

export const confirm = defineCommand({
  name: 'confirm',
  words: { vi: ['xác nhận'], ascii: ['xacnhan'], en: ['confirm'] },
  usage: CONFIRM_USAGE,
  menu: 'Xác nhận báo cáo hoàn thành',
  help: [{ roles: CHAIR, order: 125, text: '/xacnhan NV-12, /tralai NV-12 lý do — xác nhận hoặc trả lại báo cáo hoàn thành' }],
  scope: 'both',
  action: 'confirm',
  parse(rest) {
    const [code] = splitFirst(rest);
    if (!code) return usageOf(CONFIRM_USAGE, 'Thiếu mã nhiệm vụ.');
    return { kind: 'confirm', code: normCode(code) };
  },
  kinds: ['confirm'],
  run: (ctx, actor, cmd) => confirmTask(ctx, actor, cmd.code),
});

export const returnReport = defineCommand({
  name: 'return',
  words: { vi: ['trả lại'], ascii: ['tralai'], en: ['return'] },
  usage: RETURN_USAGE,
  menu: 'Trả lại báo cáo hoàn thành kèm lý do',
  help: [],
  scope: 'both',
  action: 'confirm',
  parse(rest) {
    const [code, reason] = splitFirst(rest);
    if (!code) return usageOf(RETURN_USAGE, 'Thiếu mã nhiệm vụ.');
    if (!reason) return usageOf(RETURN_USAGE, 'Cần ghi lý do trả lại.');
    return { kind: 'returnTask', code: normCode(code), reason };
  },
  kinds: ['returnTask'],
  run: (ctx, actor, cmd) => returnTask(ctx, actor, cmd.code, cmd.reason),
});
