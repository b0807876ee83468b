// The command registry: every entry complete, no word for two commands, /trogiup per role = what the role may do.
import { describe, expect, it } from 'vitest';
import { refusal, type Actor } from '../../src/app/auth.ts';
import { helpLines, helpText } from '../../src/bot/commands/help.ts';
import { COMMANDS, WORD_TABLE } from '../../src/bot/commands/index.ts';
import { parseCommand } from '../../src/bot/parse.ts';
import { ROLES, type Role } from '../../src/db/schema.ts';
import { fold } from '../../src/domain/text.ts';

const letters = (s: string) => fold(s).replace(/[^a-z]/g, '');

function actorOf(role: Role): Actor {
  return {
    officerId: 1,
    code: 'CB-1',
    fullName: 'Nguyễn Văn A',
    role,
    title: null,
    unitId: 1,
    unitCode: 'XA-AN',
    unitName: 'UBND xã An',
    unitPath: '/1/',
    accountId: 1,
    privateChatId: null,
  };
}

/** Whether a help text names the command word (not as the start of a longer word). */
const mentions = (text: string, word: string) => new RegExp(`/${word}(?![a-z])`).test(text);

describe('command registry', () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))('%s is complete', (_name, c) => {
    expect(c.words.vi.length).toBeGreaterThan(0);
    expect(c.words.en.length).toBeGreaterThan(0);
    // Each Vietnamese word has its form without diacritics, in the same place.
    expect(c.words.ascii.map(letters)).toEqual(c.words.vi.map(letters));
    for (const w of [...c.words.ascii, ...c.words.en]) expect(w).toMatch(/^[a-z]+$/);
    expect(c.words.ascii[0].length).toBeLessThanOrEqual(32);
    expect(c.usage).toMatch(new RegExp(`^/${c.words.ascii[0]}(?![a-z])`));
    expect(c.menu.length).toBeGreaterThanOrEqual(3);
    expect(c.kinds.length).toBeGreaterThan(0);
    // An action auth.ts knows: refusal() answers a string or null for it, never undefined (no case).
    for (const a of [c.action, ...(c.subActions ?? [])]) for (const role of ROLES) expect(refusal(actorOf(role), a)).not.toBeUndefined();
    // Every spelling parses to this command, in a private chat and (with a slash) in a group.
    for (const w of [...c.words.vi, ...c.words.ascii, ...c.words.en]) {
      expect(WORD_TABLE[letters(w)]).toBe(c);
      expect(['unknown', 'none']).not.toContain(parseCommand(`/${w}`, { chatType: 'group' }).kind);
    }
  });

  it('no word maps to two commands, and no kind is run by two entries', () => {
    const owner = new Map<string, string>();
    for (const c of COMMANDS) {
      for (const w of [...c.words.vi, ...c.words.ascii, ...c.words.en]) {
        const key = letters(w);
        expect(owner.get(key) ?? c.name, `word ${w}`).toBe(c.name);
        owner.set(key, c.name);
      }
    }
    const kinds = COMMANDS.flatMap((c) => c.kinds);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
  });

  it.each(ROLES.map((r) => [r]))('/trogiup of a %s lists exactly the commands the role may use', (role) => {
    const actor = actorOf(role);
    const text = helpText(COMMANDS, actor);
    // /trogiup and /dangky are everyone's (the latter is in the help of the unlinked).
    const gated = COMMANDS.filter((c) => c.action !== 'help' && c.action !== 'register');
    const shown = gated.filter((c) => mentions(text, c.words.ascii[0])).map((c) => c.name);
    const allowed = gated.filter((c) => refusal(actor, c.action) === null).map((c) => c.name);
    expect(shown).toEqual(allowed);
    for (const line of helpLines(COMMANDS, role)) expect(text).toContain(line);
  });

  it('the help of the unlinked names /dangky', () => {
    expect(mentions(helpText(COMMANDS, null), 'dangky')).toBe(true);
  });
});
