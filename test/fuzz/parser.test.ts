// Fuzz: the command parser and the button-payload parser never throw, and what they say back is Vietnamese.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../../src/bot/callback.ts';
import { parseCommand } from '../../src/bot/parse.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { parseRule } from '../../src/domain/recurrence.ts';
import { callbackData, chatText, nastyText } from './arbitraries.ts';
import { parseProblem } from './checks.ts';

const SEED = 20261129;

describe('fuzz: command parser', () => {
  it('takes any text in a private chat, a group, or as a reply to a bot message', () => {
    const ctx = fc.oneof(
      fc.constant({ chatType: 'private' as const }),
      fc.constant({ chatType: 'group' as const, botUsername: 'nhacviec_bot' }),
      nastyText.map((replyToText) => ({ chatType: 'group' as const, replyToText })),
    );
    fc.assert(
      fc.property(chatText, ctx, (text, c) => {
        expect(parseProblem(text, c)).toBeNull();
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('reads a button payload strictly: a command only for the three real shapes, within 64 bytes', () => {
    fc.assert(
      fc.property(callbackData, (data) => {
        const cmd = parseCallback(data);
        if (cmd === null) return;
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(data).toMatch(/^(xong|duyet|tuchoi):[A-Za-z0-9]/);
        expect(['done', 'approve', 'reject']).toContain(cmd.kind);
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('finds no command in the names of Object methods (found by fuzzing: "constructor" crashed the core)', () => {
    for (const word of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(parseCommand(word, { chatType: 'private' })).toEqual({ kind: 'unknown', word: '' });
      expect(parseCommand(`/${word}`, { chatType: 'group' })).toMatchObject({ kind: 'unknown' });
      expect(['commitments', 'usage']).toContain(parseCommand(`/camket ${word}`, { chatType: 'private' }).kind);
      expect(() => parseRule(`hằng tuần ${word}`)).toThrow(DomainError);
    }
  });
});
