// The permission matrix (see authz-matrix.ts): every command × role (and unlinked) ×
// own / child / other / parent unit, forged buttons, another unit's task code, a group
// bound to another unit, deactivated officers. Zero violations: a refusal writes nothing,
// sends nothing elsewhere, and is one short polite Vietnamese sentence.
import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/parse.ts';
import { authzCases, MATRIX, PLAIN, runCase } from './authz-matrix.ts';
import { authzWorld } from './authz-fixture.ts';

const cases = authzCases();

describe('permission matrix', () => {
  for (const c of cases) {
    it(`${c.id} → ${c.expect}`, async () => {
      expect(await runCase(c)).toBeNull();
    });
  }

  it('covers every command the parser knows', async () => {
    const w = await authzWorld();
    const t = w.things['XA-AN'];
    const kinds = new Set(
      [...MATRIX.map((r) => r.send(t)), ...PLAIN.map((r) => r.send(w))].map(
        (s) => parseCommand(s.text, { chatType: s.chatType ?? 'private', replyToText: s.replyToText, attachment: s.photo }).kind,
      ),
    );
    const typed = ['help', 'register', 'tasks', 'taskDetail', 'done', 'doneByReply', 'extend', 'approve', 'reject', 'status', 'report', 'commitments', 'commitmentUpdate', 'commitmentScorecard', 'assign', 'assignRecurring', 'stopRepeat', 'bindGroup', 'confirm', 'returnTask', 'evidence', 'evidenceByReply'];
    expect(typed.filter((k) => !kinds.has(k as never))).toEqual([]);
    expect(MATRIX.filter((r) => r.send(t).callbackData !== undefined).map((r) => r.send(t).callbackData!.split(':')[0]).sort()).toEqual(['duyet', 'tralai', 'tuchoi', 'xacnhan', 'xong']);
  });
});
