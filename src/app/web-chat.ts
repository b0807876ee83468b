// /web: a one-time sign-in link to the web pages, only in a private chat.
import type { Reply } from '../bot/types.ts';
import { publicUrlOf } from '../config.ts';
import { authorize, type Actor } from './auth.ts';
import type { ChatCtx } from './chat-context.ts';
import { issueLoginLink, LINK_VALID_MS } from './web-login.ts';

export async function webLinkFromChat(ctx: ChatCtx, actorOrNull: Actor | null): Promise<Reply[]> {
  const actor = authorize(actorOrNull, 'web');
  if (ctx.chatType !== 'private') {
    return [{ text: 'Đường dẫn đăng nhập chỉ gửi trong tin nhắn riêng: hãy nhắn riêng cho bot và gõ /web.' }];
  }
  const link = await issueLoginLink(ctx.db, actor.officerId, ctx.now, publicUrlOf(ctx.config));
  return [
    {
      text: `Đã tạo đường dẫn đăng nhập trang web (dùng một lần, trong ${LINK_VALID_MS / 60_000} phút):\n${link}\nKhông chuyển đường dẫn này cho người khác.`,
      noPreview: true,
    },
  ];
}
