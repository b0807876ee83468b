import { ruleDetail } from '../../app/recurring/chat.ts';
import { listTasks, taskDetail } from '../../app/tasks.ts';
import { fold, normCode } from '../../domain/text.ts';
import { ALL_ROLES, defineCommand, splitFirst } from './spec.ts';

export const tasks = defineCommand({
  name: 'tasks',
  words: { vi: ['việc', 'nhiệm vụ'], ascii: ['viec', 'nhiemvu'], en: ['tasks'] },
  usage: '/viec, /viec quahan, /viec tuannay, /viec toi hoặc /viec <mã nhiệm vụ>',
  menu: 'Nhiệm vụ chưa hoàn thành của đơn vị',
  help: [{ roles: ALL_ROLES, order: 10, text: '/viec — nhiệm vụ chưa hoàn thành của đơn vị (/viec quahan, /viec tuannay, /viec NV-12 xem chi tiết); /viec toi — nhiệm vụ anh/chị được phân công' }],
  scope: 'both',
  action: 'tasks',
  parse(rest) {
    const f = fold(rest).replace(/\s+/g, '');
    if (f === '') return { kind: 'tasks', filter: 'all' };
    if (f === 'quahan' || f === 'overdue') return { kind: 'tasks', filter: 'overdue' };
    if (f === 'tuannay' || f === 'week' || f === 'thisweek') return { kind: 'tasks', filter: 'week' };
    if (f === 'toi' || f === 'cuatoi' || f === 'mine') return { kind: 'tasks', filter: 'mine' };
    const [code] = splitFirst(rest);
    return { kind: 'taskDetail', code: normCode(code) };
  },
  kinds: ['tasks', 'taskDetail'],
  async run(ctx, actor, cmd) {
    if (cmd.kind === 'tasks') return listTasks(ctx, actor, cmd.filter);
    return (await ruleDetail(ctx, actor, cmd.code)) ?? taskDetail(ctx, actor, cmd.code);
  },
});
