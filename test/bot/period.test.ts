import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parsePeriod } from '../../src/domain/period.ts';
import { InvalidInput } from '../../src/domain/errors.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const NOW = DateTime.fromISO('2026-11-25T10:00:00', { zone: ZONE }).toMillis(); // a Wednesday
const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat('yyyy-MM-dd HH:mm:ss.SSS');

describe('parsePeriod', () => {
  const cases: [string, string, string, string][] = [
    ['', '2026-01-01 00:00:00.000', '2026-12-31 23:59:59.999', 'năm 2026'],
    ['nam 2023', '2023-01-01 00:00:00.000', '2023-12-31 23:59:59.999', 'năm 2023'],
    ['năm 2023', '2023-01-01 00:00:00.000', '2023-12-31 23:59:59.999', 'năm 2023'],
    ['thang 9', '2026-09-01 00:00:00.000', '2026-09-30 23:59:59.999', 'tháng 9/2026'],
    ['Tháng 2/2024', '2024-02-01 00:00:00.000', '2024-02-29 23:59:59.999', 'tháng 2/2024'],
    ['quy 3', '2026-07-01 00:00:00.000', '2026-09-30 23:59:59.999', 'quý 3/2026'],
    ['Quý IV/2025', '2025-10-01 00:00:00.000', '2025-12-31 23:59:59.999', 'quý 4/2025'],
    ['6 thang', '2026-01-01 00:00:00.000', '2026-06-30 23:59:59.999', '6 tháng đầu năm 2026'],
    ['9 tháng đầu năm 2025', '2025-01-01 00:00:00.000', '2025-09-30 23:59:59.999', '9 tháng đầu năm 2025'],
    ['tuan nay', '2026-11-23 00:00:00.000', '2026-11-29 23:59:59.999', 'tuần này (23/11–29/11/2026)'],
    ['01/01/2026 - 31/03/2026', '2026-01-01 00:00:00.000', '2026-03-31 23:59:59.999', 'từ 01/01/2026 đến 31/03/2026'],
  ];
  it.each(cases)('"%s"', (text, from, to, label) => {
    const p = parsePeriod(text, NOW, ZONE);
    expect([local(p.from), local(p.to), p.label]).toEqual([from, to, label]);
  });

  it('refuses what it cannot read, listing the accepted forms', () => {
    for (const t of ['thang 13', 'quy 5', 'hôm qua', '31/02/2026-01/03/2026', '01/03/2026-01/01/2026', 'nam 1800']) {
      expect(() => parsePeriod(t, NOW, ZONE), t).toThrow(Error);
    }
    expect(() => parsePeriod('hôm qua', NOW, ZONE)).toThrow(InvalidInput);
    expect(() => parsePeriod('hôm qua', NOW, ZONE)).toThrow(/tháng 9, tháng 9\/2025, quý 3/);
  });
});
