// The parser's words of issue 13: /giao phối hợp and không thời hạn, /phancong, /tamdung, /tieptuc, /web, /viec toi, /camket capnhat <năm>.
import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from '../../src/bot/parse.ts';

const p = (text: string, chatType: 'private' | 'group' = 'private') => parseCommand(text, { chatType });

describe('parser: issue 13', () => {
  it.each<[string, Command]>([
    ['/giao XA-AN 31/12/2026 Rà soát phối hợp: XA-SON, ph-tt', { kind: 'assign', unitCode: 'XA-AN', deadline: '31/12/2026', title: 'Rà soát', cooperating: ['XA-SON', 'PH-TT'] }],
    ['/giao XA-AN 31/12/2026 Rà soát PHỐI HỢP : XA-SON;PH-TT', { kind: 'assign', unitCode: 'XA-AN', deadline: '31/12/2026', title: 'Rà soát', cooperating: ['XA-SON', 'PH-TT'] }],
    ['/giao XA-AN 31/12 Rà soát phoi hop: XA-SON', { kind: 'assign', unitCode: 'XA-AN', deadline: '31/12', title: 'Rà soát', cooperating: ['XA-SON'] }],
    ['/assign XA-AN 31/12/2026 Review with: XA-SON', { kind: 'assign', unitCode: 'XA-AN', deadline: '31/12/2026', title: 'Review', cooperating: ['XA-SON'] }],
    ['/giao XA-AN 31/12/2026 Review cooperating: XA-SON', { kind: 'assign', unitCode: 'XA-AN', deadline: '31/12/2026', title: 'Review', cooperating: ['XA-SON'] }],
    ['/giao XA-AN không thời hạn Theo dõi an ninh', { kind: 'assign', unitCode: 'XA-AN', deadline: null, title: 'Theo dõi an ninh' }],
    ['/giao XA-AN Khong Thoi Han Theo dõi phoi hop: XA-SON', { kind: 'assign', unitCode: 'XA-AN', deadline: null, title: 'Theo dõi', cooperating: ['XA-SON'] }],
    ['/giao XA-AN no deadline Watch', { kind: 'assign', unitCode: 'XA-AN', deadline: null, title: 'Watch' }],
    ['/giao XA-AN 31/12/2026 Phối hợp với công an xã', { kind: 'assign', unitCode: 'XA-AN', deadline: '31/12/2026', title: 'Phối hợp với công an xã' }],
    ['/phancong nv-12 cb-xa-an', { kind: 'delegate', code: 'NV-12', officerCode: 'CB-XA-AN' }],
    ['/phân công NV-12 CB-XA-AN', { kind: 'delegate', code: 'NV-12', officerCode: 'CB-XA-AN' }],
    ['/delegate NV-12 CB-XA-AN', { kind: 'delegate', code: 'NV-12', officerCode: 'CB-XA-AN' }],
    ['/tamdung NV-12 Chờ kinh phí', { kind: 'suspend', code: 'NV-12', reason: 'Chờ kinh phí' }],
    ['/tạm dừng NV-12 Chờ kinh phí', { kind: 'suspend', code: 'NV-12', reason: 'Chờ kinh phí' }],
    ['/suspend nv-12 waiting', { kind: 'suspend', code: 'NV-12', reason: 'waiting' }],
    ['/tieptuc NV-12', { kind: 'resume', code: 'NV-12' }],
    ['/tiếp tục NV-12', { kind: 'resume', code: 'NV-12' }],
    ['/resume NV-12', { kind: 'resume', code: 'NV-12' }],
    ['/web', { kind: 'web' }],
    ['/viec toi', { kind: 'tasks', filter: 'mine' }],
    ['/việc tôi', { kind: 'tasks', filter: 'mine' }],
    ['/viec cua toi', { kind: 'tasks', filter: 'mine' }],
    ['/tasks mine', { kind: 'tasks', filter: 'mine' }],
    ['/camket capnhat 2025 CCHC-01 98,4%', { kind: 'commitmentUpdate', year: 2025, targetCode: 'CCHC-01', value: '98,4%' }],
    ['/camket capnhat năm 2025 XA-AN CCHC-01 98,4 Sở', { kind: 'commitmentUpdate', year: 2025, unitCode: 'XA-AN', targetCode: 'CCHC-01', value: '98,4', source: 'Sở' }],
    ['/camket update year 2024 CCHC-01 97', { kind: 'commitmentUpdate', year: 2024, targetCode: 'CCHC-01', value: '97' }],
    ['/camket capnhat CCHC-01 98,5%', { kind: 'commitmentUpdate', targetCode: 'CCHC-01', value: '98,5%' }],
  ])('%s', (text, expected) => {
    expect(p(text)).toEqual(expected);
  });

  it('a year outside 2000..2100 is not a year', () => {
    expect(p('/camket capnhat 1999 98')).toMatchObject({ kind: 'commitmentUpdate', targetCode: '1999', value: '98' });
  });

  it.each(['/giao XA-AN 31/12/2026 Việc phối hợp:', '/giao XA-AN không thời hạn', '/phancong NV-12', '/phancong', '/tamdung NV-12', '/tieptuc', '/giao XA-AN hằng tháng ngày 20 Báo cáo phối hợp: XA-SON'])(
    '%s: a usage sentence',
    (text) => {
      const c = p(text);
      expect(c.kind).toBe('usage');
      expect(c.kind === 'usage' && c.message).toMatch(/Cách gõ: \//);
    },
  );
});
