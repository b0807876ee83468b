import { NOT_LINKED } from '../../app/auth.ts';
import { completeTask } from '../../app/complete.ts';
import { existingCodes } from '../../db/tasks.repo.ts';
import { NotAllowed } from '../../domain/errors.ts';
import { normCode } from '../../domain/text.ts';
import { ALL_ROLES, defineCommand, splitFirst, usageOf } from './spec.ts';

const USAGE = '/xong <mã nhiệm vụ> [ghi chú] [lý do: …], ví dụ: /xong NV-12';
/** "lý do:" / "ly do:" / "lý do trễ hạn:" inside /xong. */
const REASON_MARK = /(?:^|\s)l[yýỳỷỹỵ]\s+do(?:\s+tr[eễ]\s+h[aạ]n)?\s*:/i;

export const done = defineCommand({
  name: 'done',
  words: { vi: ['xong', 'hoàn thành'], ascii: ['xong', 'hoanthanh'], en: ['done'] },
  usage: USAGE,
  menu: 'Báo hoàn thành nhiệm vụ: /xong <mã>',
  help: [{ roles: ALL_ROLES, order: 20, text: '/xong NV-12 [ghi chú] — báo hoàn thành; nếu trễ hạn: /xong NV-12 lý do: chờ số liệu của Sở' }],
  scope: 'both',
  action: 'done',
  parse(rest) {
    const [code, after] = splitFirst(rest);
    if (!code) return usageOf(USAGE, 'Thiếu mã nhiệm vụ.');
    const m = REASON_MARK.exec(after);
    const note = (m ? after.slice(0, m.index) : after).trim();
    const reason = m ? after.slice(m.index + m[0].length).trim() : undefined;
    return { kind: 'done', code: normCode(code), note: note || undefined, reason: reason || undefined };
  },
  // doneByReply: a reply "xong" to a bot message (parse.ts recognises it before any command word).
  kinds: ['done', 'doneByReply'],
  async run(ctx, actor, cmd) {
    if (cmd.kind === 'done') return completeTask(ctx, actor, cmd.code, cmd.note, cmd.reason);
    if (!actor) throw new NotAllowed(NOT_LINKED);
    const found = await existingCodes(ctx.db, cmd.candidates);
    if (found.length === 1) return completeTask(ctx, actor, found[0]);
    if (found.length === 0) return [{ text: 'Không thấy mã nhiệm vụ trong tin nhắn được trả lời. Hãy gõ /xong <mã nhiệm vụ>.' }];
    return [{ text: `Tin nhắn đó nói về nhiều nhiệm vụ (${found.slice(0, 5).join(', ')}). Hãy gõ /xong <mã> cho từng nhiệm vụ đã xong.` }];
  },
});
