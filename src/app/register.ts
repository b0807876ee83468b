// Invites and linking: an admin prints a one-time code, the officer types /dangky <code>.
import { randomInt } from 'node:crypto';
import type { Reply } from '../bot/types.ts';
import type { Db } from '../db/open.ts';
import { inviteByCode, insertInvite, upsertAccount, useInvite } from '../db/accounts.repo.ts';
import { officerByCode, officerById } from '../db/officers.repo.ts';
import { InvalidInput, NotFound } from '../domain/errors.ts';
import { normCode } from '../domain/text.ts';
import type { ChatCtx } from './chat-context.ts';

/** No 0/O, 1/I/L: read aloud or copied from a phone without mistakes. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 8;
const DAY_MS = 86_400_000;

function randomCode(): string {
  let s = '';
  for (let i = 0; i < CODE_LENGTH; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** Creates a one-time invite for an active officer, valid `validDays` days. */
export async function createInvite(db: Db, officerCode: string, now: number, validDays = 7): Promise<string> {
  const o = await officerByCode(db, normCode(officerCode));
  if (!o) throw new NotFound(`Không có cán bộ mã ${normCode(officerCode)}. Kiểm tra lại mã cán bộ.`);
  if (!o.active) throw new InvalidInput(`Cán bộ ${o.code} đã ngừng hoạt động, không cấp mã mời được.`);
  for (;;) {
    const code = randomCode();
    if (await inviteByCode(db, code)) continue;
    await db.tx((tx) => insertInvite(tx, code, o.id, now, now + validDays * DAY_MS));
    return code;
  }
}

/** /dangky <code>: links the sender's chat account to the invited officer. */
export async function registerAccount(ctx: ChatCtx, rawCode: string): Promise<Reply[]> {
  const code = rawCode.replace(/[\s-]/g, '').toUpperCase();
  const invite = await inviteByCode(ctx.db, code);
  const again = 'Hãy xin mã mới ở Phòng Nội vụ rồi gõ /dangky <mã mời>.';
  if (!invite) throw new NotFound(`Mã mời "${code.slice(0, 20)}" không đúng. Kiểm tra lại mã, hoặc xin mã mới ở Phòng Nội vụ.`);
  if (invite.usedAt !== null) throw new InvalidInput(`Mã mời này đã được dùng. ${again}`);
  if (invite.expiresAt < ctx.now) throw new InvalidInput(`Mã mời này đã hết hạn. ${again}`);
  const officer = await officerById(ctx.db, invite.officerId);
  if (!officer || !officer.active) throw new InvalidInput(`Cán bộ của mã mời này đã ngừng hoạt động. ${again}`);
  await ctx.db.tx(async (tx) => {
    const accountId = await upsertAccount(tx, {
      channel: ctx.channel,
      externalId: ctx.userId,
      officerId: officer.id,
      displayName: ctx.displayName,
      privateChatId: ctx.chatType === 'private' ? ctx.chatId : undefined,
      now: ctx.now,
    });
    if (!(await useInvite(tx, code, accountId, ctx.now))) throw new InvalidInput(`Mã mời này đã được dùng. ${again}`);
  });
  const who = officer.title ? `${officer.fullName}, ${officer.title}` : officer.fullName;
  return [{ text: `Đã liên kết tài khoản với ${who} (${officer.unitName}). Gõ /trogiup để xem các lệnh, /viec để xem nhiệm vụ.` }];
}
