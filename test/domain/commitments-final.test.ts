import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkUpdatableYear, targetPeriod, targetStatus, valueInstant } from '../../src/domain/commitments.ts';
import { InvalidInput } from '../../src/domain/errors.ts';

const zone = 'Asia/Ho_Chi_Minh';
const at = (iso: string) => DateTime.fromISO(iso, { zone }).toMillis();

describe('the final value of a year that has ended', () => {
  const year2025 = targetPeriod(2025, null, null, zone);

  it('dates a value measured after the due date at the end of the due date, one before at its own instant', () => {
    expect(valueInstant(at('2026-01-12T09:00'), year2025)).toBe(at('2025-12-31T23:59:59.999'));
    expect(valueInstant(at('2025-12-31T10:00'), year2025)).toBe(at('2025-12-31T10:00'));
    const june = targetPeriod(2026, null, '2026-06-30', zone);
    expect(valueInstant(at('2026-09-01T08:00'), june)).toBe(at('2026-06-30T23:59:59.999'));
  });

  it('so a January entry of last year\'s result is judged, and a later correction wins', () => {
    const v = (value: number, entered: string) => ({ value, at: valueInstant(at(entered), year2025) });
    const judge = (history: { value: number; at: number }[]) =>
      targetStatus({ comparator: '>=', target: 98, period: year2025, history }, at('2026-01-20T12:00')).status;
    expect(judge([v(98.4, '2026-01-12T09:00')])).toBe('met');
    expect(judge([v(99, '2025-10-01T09:00'), v(97, '2026-01-12T09:00')])).toBe('missed');
    expect(judge([v(97, '2026-01-12T09:00'), v(98.1, '2026-01-15T09:00')])).toBe('met');
  });
});

describe('which year /camket capnhat may update', () => {
  it('the current year, and the year just ended until 31/03', () => {
    expect(() => checkUpdatableYear(2026, at('2026-01-05T08:00'), zone)).not.toThrow();
    expect(() => checkUpdatableYear(2025, at('2026-01-05T08:00'), zone)).not.toThrow();
    expect(() => checkUpdatableYear(2025, at('2026-03-31T23:59'), zone)).not.toThrow();
    expect(() => checkUpdatableYear(2025, at('2026-04-01T00:00'), zone)).toThrow(InvalidInput);
  });

  it('refuses another year with one sentence saying what can be updated', () => {
    expect(() => checkUpdatableYear(2024, at('2026-02-10T08:00'), zone)).toThrow(
      'Chỉ cập nhật được chỉ tiêu năm 2026 và số liệu cuối năm 2025 (đến hết 31/03/2026); năm 2024 không cập nhật được.',
    );
    expect(() => checkUpdatableYear(2025, at('2026-04-01T08:00'), zone)).toThrow('Chỉ cập nhật được chỉ tiêu năm 2026; năm 2025 không cập nhật được.');
    expect(() => checkUpdatableYear(2027, at('2026-11-23T08:00'), zone)).toThrow('Chỉ cập nhật được chỉ tiêu năm 2026; năm 2027 không cập nhật được.');
  });
});
