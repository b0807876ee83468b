import { describe, expect, it } from 'vitest';
import { parseChatDeadline } from '../../src/domain/chat-date.ts';
import { parseInstant } from '../../src/domain/dates.ts';

const zone = 'Asia/Ho_Chi_Minh';
const end = (d: string) => parseInstant(d, { zone, dateOnly: 'end' }).ms;
/** 23/11/2026 08:00 in Hà Nội. */
const NOW = Date.UTC(2026, 10, 23, 1, 0, 0);

describe('a deadline typed in a chat', () => {
  it('takes the day and month alone as the next such day: this year, today included, else next year', () => {
    expect(parseChatDeadline('30/12', zone, NOW)).toBe(end('30/12/2026'));
    expect(parseChatDeadline('23/11', zone, NOW)).toBe(end('23/11/2026'));
    expect(parseChatDeadline('22/11', zone, NOW)).toBe(end('22/11/2027'));
    expect(parseChatDeadline('5-1', zone, NOW)).toBe(end('05/01/2027'));
    expect(parseChatDeadline('15.12', zone, NOW)).toBe(end('15/12/2026'));
  });

  it('still takes every full form, at the end of the day', () => {
    expect(parseChatDeadline('30/12/2026', zone, NOW)).toBe(end('30/12/2026'));
    expect(parseChatDeadline(' 2027-01-15 ', zone, NOW)).toBe(end('15/01/2027'));
  });

  it('keeps the precise message for an impossible date and lists the chat forms for anything else', () => {
    expect(() => parseChatDeadline('31/02', zone, NOW)).toThrow('tháng 2/2026 chỉ có 28 ngày');
    expect(() => parseChatDeadline('12/13', zone, NOW)).toThrow('không có tháng 13');
    expect(() => parseChatDeadline('mai', zone, NOW)).toThrow('Không hiểu ngày "mai". Hãy nhập dd/mm/yyyy hoặc dd/mm (ví dụ: 30/12/2026 hoặc 30/12).');
    expect(() => parseChatDeadline('x'.repeat(500), zone, NOW)).toThrow(/^Không hiểu ngày "x{30}…"/);
  });
});
