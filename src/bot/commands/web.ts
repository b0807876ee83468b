import { webLinkFromChat } from '../../app/web-chat.ts';
import { ALL_ROLES, defineCommand } from './spec.ts';

export const web = defineCommand({
  name: 'web',
  words: { vi: ['web'], ascii: ['web'], en: ['web'] },
  usage: '/web (trong tin nhắn riêng với bot)',
  menu: 'Đường dẫn đăng nhập trang web (dùng một lần)',
  help: [{ roles: ALL_ROLES, order: 200, text: '/web — đường dẫn đăng nhập trang web, gửi riêng, dùng một lần' }],
  scope: 'private',
  action: 'web',
  parse: () => ({ kind: 'web' }),
  kinds: ['web'],
  run: (ctx, actor) => webLinkFromChat(ctx, actor),
});
