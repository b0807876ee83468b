// The chat command registry: one entry per command, from which the parser's word table, /trogiup,
// the dispatch and the Telegram command menu are all derived.
//
// To add a command:
//   1. Add its Command variant(s) to the union in src/bot/parse.ts (and an Action in src/app/auth.ts if new).
//   2. Write src/bot/commands/<name>.ts exporting `defineCommand({ name, words, usage, menu, help, scope, action, parse, kinds, run })`.
//   3. Add it to COMMANDS below; test/bot/registry.test.ts checks words, help and actions.
import type { Command } from '../parse.ts';
import { assign, stopRepeat } from './assign.ts';
import { bindGroup } from './bind.ts';
import { commitments } from './commitments.ts';
import { confirm, returnReport } from './confirm.ts';
import { delegate } from './delegate.ts';
import { done } from './done.ts';
import { evidence } from './evidence.ts';
import { approve, extend, reject } from './extend.ts';
import { helpCommand } from './help.ts';
import { register } from './register.ts';
import { letters, type CommandSpec, type Kind } from './spec.ts';
import { report, status } from './status.ts';
import { resume, suspend } from './suspend.ts';
import { tasks } from './tasks.ts';
import { web } from './web.ts';

export type { CommandSpec } from './spec.ts';

const help = helpCommand(() => COMMANDS);

export const COMMANDS: readonly CommandSpec[] = [
  help,
  register,
  tasks,
  done,
  evidence,
  extend,
  approve,
  reject,
  confirm,
  returnReport,
  status,
  report,
  commitments,
  assign,
  stopRepeat,
  delegate,
  suspend,
  resume,
  web,
  bindGroup,
];

/** Every spelling of every command word, as looked up (folded, letters only) → its entry. */
export const WORD_TABLE: Readonly<Record<string, CommandSpec>> = (() => {
  const table: Record<string, CommandSpec> = Object.create(null) as Record<string, CommandSpec>;
  for (const spec of COMMANDS) {
    for (const w of [...spec.words.vi, ...spec.words.ascii, ...spec.words.en]) {
      const key = letters(w);
      const taken = table[key];
      if (taken && taken !== spec) throw new Error(`command word "${w}" is both ${taken.name} and ${spec.name}`);
      table[key] = spec;
    }
  }
  return table;
})();

const BY_KIND = new Map<Kind, CommandSpec>();
for (const spec of COMMANDS) for (const k of spec.kinds) BY_KIND.set(k, spec);

/** The entry that runs a parsed command; undefined for the kinds the core answers itself (usage, unknown, none, doneByReply). */
export function specOf(kind: Command['kind']): CommandSpec | undefined {
  return BY_KIND.get(kind);
}

export interface MenuCommand {
  command: string;
  description: string;
}

/** The Telegram command menu of private chats or groups (the ASCII Vietnamese word of each command). */
export function menuFor(chat: 'private' | 'group'): MenuCommand[] {
  return COMMANDS.filter((c) => c.scope === 'both' || c.scope === chat).map((c) => ({ command: c.words.ascii[0], description: c.menu }));
}
