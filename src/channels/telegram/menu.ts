// The Telegram command menu ("/" button), from the command registry: one list for private chats,
// one for groups. Set at start-up; a failure is logged, the bot works without a menu.
import type { Telegram } from 'telegraf';
import { menuFor } from '../../bot/commands/index.ts';
import { redact, type Logger } from '../../log.ts';

export async function setCommandMenu(telegram: Telegram, log: Logger): Promise<void> {
  const lists = [
    { scope: { type: 'all_private_chats' as const }, commands: menuFor('private') },
    { scope: { type: 'all_group_chats' as const }, commands: menuFor('group') },
  ];
  for (const { scope, commands } of lists) {
    try {
      await telegram.setMyCommands(commands, { scope });
    } catch (e) {
      log.warn({ scope: scope.type, err: redact((e as Error)?.message ?? String(e)) }, 'telegram setMyCommands failed');
    }
  }
}
