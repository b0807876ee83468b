import { describe, expect, it } from 'vitest';
import { codeCandidates, parseCommand, type Command } from '../../src/bot/parse.ts';

const priv = { chatType: 'private' as const };
const group = { chatType: 'group' as const, botUsername: 'nhacviec_bot' };

describe('parseCommand', () => {
  const same: [string, Command][] = [
    ['/trogiup', { kind: 'help' }],
    ['/help', { kind: 'help' }],
    ['/TroGiup', { kind: 'help' }],
    ['/trợgiúp', { kind: 'help' }],
    ['/dangky k7qm-3xpa', { kind: 'register', code: 'K7QM3XPA' }],
    ['/đăng-ký K7QM3XPA', { kind: 'register', code: 'K7QM3XPA' }],
    ['/register K7QM3XPA', { kind: 'register', code: 'K7QM3XPA' }],
    ['/viec', { kind: 'tasks', filter: 'all' }],
    ['/việc', { kind: 'tasks', filter: 'all' }],
    ['/tasks', { kind: 'tasks', filter: 'all' }],
    ['/viec quahan', { kind: 'tasks', filter: 'overdue' }],
    ['/việc quá hạn', { kind: 'tasks', filter: 'overdue' }],
    ['/viec tuần này', { kind: 'tasks', filter: 'week' }],
    ['/viec nv-12', { kind: 'taskDetail', code: 'NV-12' }],
    ['/xong nv-12', { kind: 'done', code: 'NV-12' }],
    ['/done NV-12 đã gửi', { kind: 'done', code: 'NV-12', note: 'đã gửi' }],
    ['/xong NV-12 lý do: chờ số liệu của Sở', { kind: 'done', code: 'NV-12', reason: 'chờ số liệu của Sở' }],
    ['/xong NV-12 đã nộp Ly do: mưa bão', { kind: 'done', code: 'NV-12', note: 'đã nộp', reason: 'mưa bão' }],
    ['/xong NV-12 lý do trễ hạn: thiếu người', { kind: 'done', code: 'NV-12', reason: 'thiếu người' }],
    ['/giahan NV-12 30/09/2026 chờ số liệu', { kind: 'extend', code: 'NV-12', date: '30/09/2026', reason: 'chờ số liệu' }],
    ['/gia_han NV-12 30/09/2026 chờ', { kind: 'extend', code: 'NV-12', date: '30/09/2026', reason: 'chờ' }],
    ['/extend NV-12 2026-09-30 waiting', { kind: 'extend', code: 'NV-12', date: '2026-09-30', reason: 'waiting' }],
    ['/duyet 3', { kind: 'approve', id: 3 }],
    ['/duyệt #3', { kind: 'approve', id: 3 }],
    ['/approve 3', { kind: 'approve', id: 3 }],
    ['/tuchoi 3 không đủ căn cứ', { kind: 'reject', id: 3, reason: 'không đủ căn cứ' }],
    ['/từ chối 3', { kind: 'reject', id: 3 }],
    ['/reject 3', { kind: 'reject', id: 3 }],
    ['/tinhhinh', { kind: 'status', args: '' }],
    ['/tình hình', { kind: 'status', args: '' }],
    ['/đăng ký K7QM3XPA', { kind: 'register', code: 'K7QM3XPA' }],
    ['/tìnhhình XA-AN quý 3', { kind: 'status', args: 'XA-AN quý 3' }],
    ['/status 9 thang', { kind: 'status', args: '9 thang' }],
    ['/baocao 6 tháng', { kind: 'report', period: '6 tháng' }],
    ['/report', { kind: 'report', period: '' }],
    ['/camket', { kind: 'commitments' }],
    ['/camket 2025', { kind: 'commitments', year: 2025 }],
    ['/commitments năm 2025', { kind: 'commitments', year: 2025 }],
    ['/camket xa-an', { kind: 'commitments', unitCode: 'XA-AN' }],
    ['/camket XA-AN năm 2025', { kind: 'commitments', unitCode: 'XA-AN', year: 2025 }],
    ['/camket capnhat cchc-01 98,5%', { kind: 'commitmentUpdate', targetCode: 'CCHC-01', value: '98,5%' }],
    ['/camket cập nhật CCHC-01 98.5 Cổng dịch vụ công', { kind: 'commitmentUpdate', targetCode: 'CCHC-01', value: '98.5', source: 'Cổng dịch vụ công' }],
    ['/camket cap nhat CCHC-01 98,5 % nguồn: Báo cáo số 12/BC', { kind: 'commitmentUpdate', targetCode: 'CCHC-01', value: '98,5%', source: 'Báo cáo số 12/BC' }],
    ['/commitments update KL-01 -1', { kind: 'commitmentUpdate', targetCode: 'KL-01', value: '-1' }],
    ['/camket capnhap CCHC-01 abc', { kind: 'commitmentUpdate', targetCode: 'CCHC-01', value: 'abc' }],
    ['/camket capnhat xa-an CCHC-01 97 Sở Nội vụ', { kind: 'commitmentUpdate', unitCode: 'XA-AN', targetCode: 'CCHC-01', value: '97', source: 'Sở Nội vụ' }],
    ['/camket tongket', { kind: 'commitmentScorecard' }],
    ['/camket tổng kết năm 2025', { kind: 'commitmentScorecard', year: 2025 }],
    ['/commitments scorecard 2025', { kind: 'commitmentScorecard', year: 2025 }],
    ['/giao xa-an 30/09/2026 Rà soát hộ nghèo', { kind: 'assign', unitCode: 'XA-AN', deadline: '30/09/2026', title: 'Rà soát hộ nghèo' }],
    ['/assign XA-AN 30/09/2026 Task', { kind: 'assign', unitCode: 'XA-AN', deadline: '30/09/2026', title: 'Task' }],
    ['/nhom xa-an', { kind: 'bindGroup', target: { unitCode: 'XA-AN' } }],
    ['/nhóm lãnh đạo', { kind: 'bindGroup', target: 'leadership' }],
    ['/bindgroup leadership', { kind: 'bindGroup', target: 'leadership' }],
  ];
  it.each(same)('%s', (text, expected) => {
    expect(parseCommand(text, priv)).toEqual(expected);
  });

  it('accepts commands without a slash in private chats only', () => {
    expect(parseCommand('viec quahan', priv)).toEqual({ kind: 'tasks', filter: 'overdue' });
    expect(parseCommand('Xong NV-12', priv)).toEqual({ kind: 'done', code: 'NV-12' });
    expect(parseCommand('viec quahan', group)).toEqual({ kind: 'none' });
    expect(parseCommand('xong NV-12', group)).toEqual({ kind: 'none' });
  });

  it('accepts /cmd@botname for this bot and ignores other bots', () => {
    expect(parseCommand('/viec@nhacviec_bot', group)).toEqual({ kind: 'tasks', filter: 'all' });
    expect(parseCommand('/viec@NhacViec_Bot quahan', group)).toEqual({ kind: 'tasks', filter: 'overdue' });
    expect(parseCommand('/viec@other_bot', group)).toEqual({ kind: 'none' });
  });

  it('treats a "xong" reply to a bot message as done, even in a group without slash', () => {
    const replyToText = 'Nhắc hạn: NV-12 Giải quyết đơn thư, hạn 15/11/2026.';
    for (const t of ['xong', 'Xong!', 'đã hoàn thành', 'Da hoan thanh', 'done', '/xong']) {
      const c = parseCommand(t, { ...group, replyToText });
      expect(c.kind).toBe('doneByReply');
      if (c.kind === 'doneByReply') expect(c.candidates).toContain('NV-12');
    }
    expect(parseCommand('cảm ơn', { ...group, replyToText })).toEqual({ kind: 'none' });
  });

  it('gives usage hints for missing arguments', () => {
    for (const t of ['/xong', '/giahan NV-12', '/giahan NV-12 30/09/2026', '/duyet', '/duyet abc', '/giao XA-AN', '/nhom', '/dangky', '/camket 20x6', '/camket XA-AN abc', '/camket capnhat', '/camket capnhat CCHC-01', '/camket tongket abc']) {
      const c = parseCommand(t, priv);
      expect(c.kind, t).toBe('usage');
      if (c.kind === 'usage') expect(c.message).toMatch(/Cách gõ: \//);
    }
  });

  it('returns unknown with the word for an unknown command, and none for chatter in groups', () => {
    expect(parseCommand('/abc', priv)).toEqual({ kind: 'unknown', word: 'abc' });
    expect(parseCommand('xin chào', priv)).toEqual({ kind: 'unknown', word: '' });
    expect(parseCommand('xin chào', group)).toEqual({ kind: 'none' });
    expect(parseCommand('', priv)).toEqual({ kind: 'unknown', word: '' });
  });

  it('keeps arguments literally: emoji, HTML, Markdown, zero-width joiner', () => {
    const title = 'Rà soát <b>&amp; *đậm* _nghiêng_ 👨‍👩‍👧 🚀';
    expect(parseCommand(`/giao XA-AN 30/09/2026 ${title}`, priv)).toEqual({ kind: 'assign', unitCode: 'XA-AN', deadline: '30/09/2026', title });
    expect(parseCommand('\u200B/viec', group)).toEqual({ kind: 'tasks', filter: 'all' });
  });

  it('handles a 5,000-character message', () => {
    const long = `/xong NV-12 ${'a'.repeat(5000)}`;
    const c = parseCommand(long, priv);
    expect(c.kind).toBe('done');
    expect(parseCommand('x'.repeat(5000), priv).kind).toBe('unknown');
  });
});

describe('codeCandidates', () => {
  it('finds code-shaped words and normalises them', () => {
    expect(codeCandidates('Nhiệm vụ nv-2026-0001: hạn 30/09/2026.')).toEqual(expect.arrayContaining(['NV-2026-0001', '30/09/2026']));
    expect(codeCandidates('không có mã')).toEqual([]);
  });
});
