import { bindGroupFromChat } from '../../app/bindings.ts';
import { fold, normCode } from '../../domain/text.ts';
import { defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE = '/nhom <mã đơn vị> hoặc /nhom lanhdao';

export const bindGroup = defineCommand({
  name: 'bindGroup',
  words: { vi: ['nhóm'], ascii: ['nhom'], en: ['bindgroup'] },
  usage: USAGE,
  menu: 'Gắn nhóm chat này với đơn vị: /nhom <mã đơn vị>',
  help: [{ roles: ['admin', 'chair'], order: 150, text: '/nhom <mã đơn vị> hoặc /nhom lanhdao — gắn nhóm chat này (gõ trong nhóm)' }],
  scope: 'group',
  action: 'bindGroup',
  parse(rest) {
    const [arg] = splitFirst(rest);
    if (!arg) return usageOf(USAGE, 'Thiếu mã đơn vị.');
    const f = fold(rest).replace(/[^a-z]/g, '');
    if (f === 'lanhdao' || f === 'leadership') return { kind: 'bindGroup', target: 'leadership' };
    return { kind: 'bindGroup', target: { unitCode: normCode(arg) } };
  },
  kinds: ['bindGroup'],
  run: (ctx, actor, cmd) => bindGroupFromChat(ctx, actor, cmd.target),
});
