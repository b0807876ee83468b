import { evidenceByReply, evidenceCommand } from '../../app/evidence-chat.ts';
import { normCode } from '../../domain/text.ts';
import { ALL_ROLES, defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE = '/minhchung <mã nhiệm vụ>, gửi kèm ảnh hoặc tệp để thêm minh chứng, không kèm tệp để xem lại; ví dụ: /minhchung NV-12';

export const evidence = defineCommand({
  name: 'evidence',
  words: { vi: ['minh chứng'], ascii: ['minhchung'], en: ['evidence'] },
  usage: USAGE,
  menu: 'Thêm hoặc xem minh chứng của nhiệm vụ',
  help: [{ roles: ALL_ROLES, order: 25, text: '/minhchung NV-12 — gửi kèm ảnh hoặc tệp để thêm minh chứng (không kèm tệp: xem lại minh chứng)' }],
  scope: 'both',
  action: 'evidence',
  parse(rest) {
    const [code] = splitFirst(rest);
    if (!code) return usageOf(USAGE, 'Thiếu mã nhiệm vụ.');
    return { kind: 'evidence', code: normCode(code) };
  },
  // evidenceByReply: a photo or file replying to a bot message (parse.ts recognises it before any command word).
  kinds: ['evidence', 'evidenceByReply'],
  run(ctx, actor, cmd) {
    if (cmd.kind === 'evidence') return evidenceCommand(ctx, actor, cmd.code);
    return evidenceByReply(ctx, actor, cmd.candidates);
  },
});
