import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localClock } from '../../src/domain/local-clock.ts';
import { barChartPng } from '../../src/scheduler/chart/bars.ts';
import { crc32, PNG_SIGNATURE } from '../../src/scheduler/chart/png.ts';
import { enqueueWeeklySummaryIfDue, latestCronOccurrence } from '../../src/scheduler/summary.ts';
import { at, endOf, office, outboxRows, ZONE } from './fixture.ts';

describe('weekly summary', () => {
  it('finds the latest Monday 08:00 at or before now', () => {
    const c = localClock(ZONE);
    expect(latestCronOccurrence('0 8 * * 1', at('2024-06-12 15:00'), c)).toBe(at('2024-06-10 08:00'));
    expect(latestCronOccurrence('0 8 * * 1', at('2024-06-10 08:00'), c)).toBe(at('2024-06-10 08:00'));
    expect(latestCronOccurrence('0 8 * * 1', at('2024-06-10 07:59'), c)).toBe(at('2024-06-03 08:00'));
  });

  it('goes once a week to the leadership (with a chart on Telegram) and to each unit group', async () => {
    const o = await office();
    const pnv = await o.unit('PNV', 'Phòng Nội vụ');
    const xa = await o.unit('XA-1', 'UBND xã An Bình');
    await o.officer('CB-1', 'Nguyễn Văn An', pnv, 'head', 'Trưởng phòng');
    await o.task('NV-1', pnv, endOf('2024-06-03'));
    await o.task('NV-2', pnv, endOf('2024-06-12'));
    await o.task('NV-3', xa, endOf('2024-06-20'));
    await o.group('telegram', 'g-lead', null, true);
    await o.group('zalo', 'g-pnv', pnv);
    await o.group('zalo', 'g-xa', xa);
    const monday = at('2024-06-10 08:00');
    expect((await enqueueWeeklySummaryIfDue(o.db, monday - 60_000, o.config)).messages).toBeGreaterThan(0); // the previous week's, on first start
    await o.db.orm.delete(o.db.t.outbox);
    const r = await enqueueWeeklySummaryIfDue(o.db, monday, o.config);
    expect(r.messages).toBe(4);
    // The same week again, and a later tick that week: nothing new.
    expect((await enqueueWeeklySummaryIfDue(o.db, monday, o.config)).messages).toBe(0);
    expect((await enqueueWeeklySummaryIfDue(o.db, at('2024-06-14 10:00'), o.config)).messages).toBe(0);
    const rows = await outboxRows(o.db);
    const lead = rows.find((x) => x.chatId === 'g-lead' && x.kind === 'summary');
    expect(lead?.text).toContain('Từ đầu năm 2024: 3 nhiệm vụ');
    expect(lead?.text).toContain('NV-1 — Phòng Nội vụ, quá 7 ngày, phụ trách Nguyễn Văn An (Trưởng phòng)');
    expect(lead?.text).toContain('Đến hạn trong tuần (1)');
    const chart = rows.find((x) => x.kind === 'summary-chart');
    const png = Buffer.from(JSON.parse(chart?.payload ?? '{}').photo.base64, 'base64');
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(rows.find((x) => x.chatId === 'g-xa')?.text).toContain('UBND xã An Bình: tuần này không có nhiệm vụ quá hạn hay đến hạn');
    expect(rows.find((x) => x.chatId === 'g-pnv')?.text).toMatch(/Quá hạn \(1\)[\s\S]*NV-1/);
    // After three weeks of downtime: one summary, not three.
    expect((await enqueueWeeklySummaryIfDue(o.db, at('2024-07-03 09:00'), o.config)).messages).toBe(4);
  });

  it('says so in one line when there is nothing to act on', async () => {
    const o = await office();
    await o.group('telegram', 'g-lead', null, true);
    await enqueueWeeklySummaryIfDue(o.db, at('2024-06-10 08:00'), o.config);
    const [row] = await outboxRows(o.db);
    expect(row.text.split('\n')).toHaveLength(1);
    expect(row.text).toContain('không có nhiệm vụ quá hạn');
  });
});

describe('PNG bar chart', () => {
  it('is a valid PNG with the right size and checksums', () => {
    const png = barChartPng('NAM 2024', [
      { label: 'PNV', onTime: 12, late: 3, overdue: 2 },
      { label: 'XA-1', onTime: 5, late: 0, overdue: 6 },
    ]);
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect(png.readUInt32BE(16)).toBe(720);
    expect(png.readUInt32BE(20)).toBe(40 + 2 * 26 + 40);
    const ihdrCrc = png.readUInt32BE(29);
    expect(crc32(png.subarray(12, 29))).toBe(ihdrCrc);
    expect(png.toString('ascii', png.length - 8, png.length - 4)).toBe('IEND');
    if (process.env.CHART_OUT) fs.writeFileSync(process.env.CHART_OUT, png);
  });
});
