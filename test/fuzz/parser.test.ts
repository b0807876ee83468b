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
      // A photo or file with the text as its caption (/xong, /minhchung, or a reply to a reminder).
      fc.constant({ chatType: 'private' as const, attachment: true }),
      nastyText.map((replyToText) => ({ chatType: 'group' as const, replyToText, attachment: true })),
    );
    fc.assert(
      fc.property(chatText, ctx, (text, c) => {
        expect(parseProblem(text, c)).toBeNull();
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('reads a button payload strictly: a command only for the five real shapes, within 64 bytes', () => {
    fc.assert(
      fc.property(callbackData, (data) => {
        const cmd = parseCallback(data);
        if (cmd === null) return;
        expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
        expect(data).toMatch(/^(xong|duyet|tuchoi|xacnhan|tralai):[A-Za-z0-9]/);
        expect(['done', 'approve', 'reject', 'confirm', 'returnTask']).toContain(cmd.kind);
        // A button's task code is never sent back with a reason: /tralai typed needs one, the button takes the default.
        if (cmd.kind === 'returnTask') expect(cmd.reason).toBeUndefined();
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it('reads the words of confirmation and evidence: /xacnhan, /tralai (a reason required), /minhchung, a photo in reply', () => {
    const p = { chatType: 'private' as const };
    for (const w of ['xacnhan', 'xác nhận', 'confirm']) expect(parseCommand(`/${w} nv-10`, p)).toEqual({ kind: 'confirm', code: 'NV-10' });
    for (const w of ['tralai', 'trả lại', 'return']) expect(parseCommand(`/${w} NV-10 thiếu biên bản`, p)).toEqual({ kind: 'returnTask', code: 'NV-10', reason: 'thiếu biên bản' });
    expect(parseCommand('/tralai NV-10', p)).toMatchObject({ kind: 'usage', message: expect.stringMatching(/^Cần ghi lý do trả lại\./) });
    for (const w of ['minhchung', 'minh chứng', 'evidence']) expect(parseCommand(`/${w} NV-10`, p)).toEqual({ kind: 'evidence', code: 'NV-10' });
    expect(parseCommand('', { chatType: 'group', replyToText: '⏰ Nhắc hạn: NV-10', attachment: true })).toEqual({ kind: 'evidenceByReply', candidates: ['NV-10'] });
    expect(parseCommand('xong', { chatType: 'group', replyToText: '⏰ Nhắc hạn: NV-10', attachment: true })).toEqual({ kind: 'doneByReply', candidates: ['NV-10'] });
    expect(parseCommand('', { chatType: 'group', attachment: true })).toEqual({ kind: 'none' });
    expect(parseCallback('xacnhan:NV-10')).toEqual({ kind: 'confirm', code: 'NV-10' });
    expect(parseCallback('tralai:NV-10')).toEqual({ kind: 'returnTask', code: 'NV-10' });
  });

  it('reads the words of issue 13: /giao phối hợp and không thời hạn, /phancong, /tamdung, /tieptuc, /web, /viec toi, /camket capnhat <năm>', () => {
    const p = { chatType: 'private' as const };
    for (const w of ['phối hợp', 'phoi hop', 'cooperating', 'with']) {
      expect(parseCommand(`/giao XA-AN 31/12/2026 Rà soát ${w}: XA-SON, TINH`, p)).toEqual({ kind: 'assign', unitCode: 'XA-AN', deadline: '31/12/2026', title: 'Rà soát', cooperating: ['XA-SON', 'TINH'] });
    }
    for (const w of ['không thời hạn', 'khong thoi han', 'no deadline']) expect(parseCommand(`/giao XA-AN ${w} Theo dõi`, p)).toEqual({ kind: 'assign', unitCode: 'XA-AN', deadline: null, title: 'Theo dõi' });
    for (const w of ['phancong', 'phân công', 'delegate']) expect(parseCommand(`/${w} nv-10 cb-xa-an`, p)).toEqual({ kind: 'delegate', code: 'NV-10', officerCode: 'CB-XA-AN' });
    for (const w of ['tamdung', 'tạm dừng', 'suspend']) expect(parseCommand(`/${w} NV-10 chờ kinh phí`, p)).toEqual({ kind: 'suspend', code: 'NV-10', reason: 'chờ kinh phí' });
    for (const w of ['tieptuc', 'tiếp tục', 'resume']) expect(parseCommand(`/${w} NV-10`, p)).toEqual({ kind: 'resume', code: 'NV-10' });
    expect(parseCommand('/web', p)).toEqual({ kind: 'web' });
    for (const w of ['toi', 'tôi', 'cuatoi', 'của tôi', 'mine']) expect(parseCommand(`/viec ${w}`, p)).toEqual({ kind: 'tasks', filter: 'mine' });
    expect(parseCommand('/camket capnhat 2025 CCHC-01 98,4%', p)).toEqual({ kind: 'commitmentUpdate', year: 2025, targetCode: 'CCHC-01', value: '98,4%' });
    for (const t of ['/phancong NV-10', '/tamdung NV-10', '/tieptuc', '/giao XA-AN không thời hạn', '/giao XA-AN 31/12/2026 Việc phối hợp:']) {
      expect(parseCommand(t, p)).toMatchObject({ kind: 'usage', message: expect.stringMatching(/Cách gõ: \//) });
    }
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
