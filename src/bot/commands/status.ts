import { showReport, showStatus } from '../../app/status.ts';
import { CHAIR, defineCommand } from './spec.ts';

export const status = defineCommand({
  name: 'status',
  words: { vi: ['tình hình'], ascii: ['tinhhinh'], en: ['status'] },
  usage: '/tinhhinh [mã đơn vị] [kỳ], ví dụ: /tinhhinh SO-NV quy 3',
  menu: 'Tình hình thực hiện nhiệm vụ',
  help: [
    { roles: ['head'], order: 50, text: '/tinhhinh [kỳ] — tình hình đơn vị (ví dụ: /tinhhinh quy 3)' },
    { roles: CHAIR, order: 80, text: '/tinhhinh [mã đơn vị] [kỳ] — tình hình toàn tỉnh hoặc một đơn vị (ví dụ: /tinhhinh, /tinhhinh XA-AN 9 thang)' },
  ],
  scope: 'both',
  action: 'status',
  parse: (rest) => ({ kind: 'status', args: rest }),
  kinds: ['status'],
  run: (ctx, actor, cmd) => showStatus(ctx, actor, cmd.args),
});

export const report = defineCommand({
  name: 'report',
  words: { vi: ['báo cáo'], ascii: ['baocao'], en: ['report'] },
  usage: '/baocao [kỳ], ví dụ: /baocao 9 thang',
  menu: 'Báo cáo kèm tệp Excel',
  help: [
    { roles: ['head'], order: 60, text: '/baocao [kỳ] — báo cáo kèm tệp Excel' },
    { roles: CHAIR, order: 90, text: '/baocao [kỳ] — báo cáo kèm tệp Excel (ví dụ: /baocao 6 thang)' },
  ],
  scope: 'both',
  action: 'report',
  parse: (rest) => ({ kind: 'report', period: rest }),
  kinds: ['report'],
  run: (ctx, actor, cmd) => showReport(ctx, actor, cmd.period),
});
