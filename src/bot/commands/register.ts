import { registerAccount } from '../../app/register.ts';
import { defineCommand, usageOf } from './spec.ts';

const USAGE = '/dangky <mã mời>, ví dụ: /dangky K7QM3XPA';

export const register = defineCommand({
  name: 'register',
  words: { vi: ['đăng ký'], ascii: ['dangky'], en: ['register'] },
  usage: USAGE,
  menu: 'Liên kết tài khoản bằng mã mời',
  help: [],
  scope: 'private',
  action: 'register',
  parse(rest) {
    const code = rest.replace(/[\s-]/g, '').toUpperCase();
    return code ? { kind: 'register', code } : usageOf(USAGE, 'Thiếu mã mời.');
  },
  kinds: ['register'],
  run: (ctx, _actor, cmd) => registerAccount(ctx, cmd.code),
});
