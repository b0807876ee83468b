// The shape of one chat command in the registry (index.ts) and the small helpers its parser uses.
import type { Action, Actor } from '../../app/auth.ts';
import type { ChatCtx } from '../../app/chat-context.ts';
import type { Role } from '../../db/schema.ts';
import { fold } from '../../domain/text.ts';
import type { Command } from '../parse.ts';
import type { CommandReply } from '../types.ts';

/** A line of /trogiup: shown to the roles listed, sorted by `order` across the whole registry. */
export interface HelpLine {
  roles: readonly Role[];
  order: number;
  text: string;
}

export type Kind = Command['kind'];
export type CommandOf<K extends Kind> = Extract<Command, { kind: K }>;

export interface CommandSpec<K extends Kind = Kind> {
  /** Also the name in the Telegram menu: the ASCII Vietnamese word is used there. */
  name: string;
  /** Command words: Vietnamese with diacritics, the same without (also the menu word, first), English. */
  words: { vi: readonly string[]; ascii: readonly string[]; en: readonly string[] };
  /** Vietnamese, shown after "Cách gõ: ". */
  usage: string;
  /** One line for the Telegram menu (Vietnamese, ≤ 256 characters). */
  menu: string;
  help: readonly HelpLine[];
  /** Where the command makes sense (the Telegram menu lists it there). */
  scope: 'private' | 'group' | 'both';
  /** The permission checked by the handler (src/app/auth.ts); sub-commands may check a finer one. */
  action: Action;
  /** Finer permissions its sub-commands check (e.g. /camket capnhat: recordTarget). */
  subActions?: readonly Action[];
  /** Pure: the words after the command word → the command, or a usage message. */
  parse(rest: string): Command;
  /** The kinds of Command this entry runs (the parser may produce several, e.g. /giao → assignRecurring). */
  kinds: readonly K[];
  run(ctx: ChatCtx, actor: Actor | null, cmd: CommandOf<K>): Promise<CommandReply[]>;
}

/**
 * Declares an entry: its run() is type-checked against its kinds here; the registry holds it erased,
 * and the core only hands it the kinds it declared (index.ts specOf).
 */
export function defineCommand<K extends Kind>(spec: CommandSpec<K>): CommandSpec {
  return spec as unknown as CommandSpec;
}

export function splitFirst(s: string): [string, string] {
  const m = /^(\S+)\s*([\s\S]*)$/.exec(s.trim());
  return m ? [m[1], m[2].trim()] : ['', ''];
}

/** The usage answer: why, then how to type it. */
export function usageOf(usage: string, why?: string): Command {
  return { kind: 'usage', message: `${why ? `${why} ` : ''}Cách gõ: ${usage}` };
}

/** A word as looked up in the tables: folded, letters only. */
export const letters = (s: string) => fold(s).replace(/[^a-z]/g, '');

export const ALL_ROLES: readonly Role[] = ['officer', 'head', 'chair', 'admin'];
export const CHAIR: readonly Role[] = ['chair'];
