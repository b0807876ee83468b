import type { Actor } from '../../app/auth.ts';
import type { Role } from '../../db/schema.ts';
import { defineCommand, type CommandSpec } from './spec.ts';

const ROLE_VI = { officer: 'cán bộ', head: 'lãnh đạo đơn vị', chair: 'lãnh đạo UBND', admin: 'quản trị' } as const;

/** The /trogiup lines of one role from the registry's entries, in order. */
export function helpLines(commands: readonly CommandSpec[], role: Role): string[] {
  return commands
    .flatMap((c) => c.help.filter((h) => h.roles.includes(role)))
    .sort((a, b) => a.order - b.order)
    .map((h) => h.text);
}

/** What this person may do, with examples (unlinked users: how to link). */
export function helpText(commands: readonly CommandSpec[], actor: Actor | null): string {
  if (!actor) {
    return [
      'Nhắc việc — bot theo dõi nhiệm vụ được giao và nhắc hạn.',
      'Anh/chị chưa liên kết tài khoản. Hãy xin mã mời ở Phòng Nội vụ rồi gõ:',
      '/dangky <mã mời>   (ví dụ: /dangky K7QM3XPA)',
      'Lệnh tiếng Anh cũng được: /register, /help.',
    ].join('\n');
  }
  return [
    `Chào ${actor.fullName} (${ROLE_VI[actor.role]}, ${actor.unitName}). Các lệnh anh/chị dùng được:`,
    ...helpLines(commands, actor.role),
    'Kỳ: thang 9, quy 3, 6 thang, 9 thang, nam 2025, tuan nay, 01/01/2026-31/03/2026.',
    'Có thể gõ không dấu hoặc tiếng Anh (/tasks, /done, /status…); trong nhóm nhớ gõ dấu / ở đầu lệnh.',
  ].join('\n');
}

/** /trogiup: built over the registry it is part of (handed in by index.ts, which imports this file). */
export function helpCommand(registry: () => readonly CommandSpec[]) {
  return defineCommand({
    name: 'help',
    words: { vi: ['trợ giúp', 'hướng dẫn'], ascii: ['trogiup', 'huongdan'], en: ['help', 'start'] },
    usage: '/trogiup',
    menu: 'Các lệnh dùng được',
    help: [],
    scope: 'both',
    action: 'help',
    parse: () => ({ kind: 'help' }),
    kinds: ['help'],
    run: async (_ctx, actor) => [{ text: helpText(registry(), actor) }],
  });
}
