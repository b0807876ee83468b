import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ZaloClient } from '../../src/channels/zalo/client.ts';
import { createZaloSender } from '../../src/channels/zalo/sender.ts';
import { svgToPng, unitsChartSvg } from '../../src/charts/index.ts';
import { localClock } from '../../src/domain/local-clock.ts';
import { createOutboxSender } from '../../src/scheduler/sender.ts';
import { enqueueWeeklySummaryIfDue, httpsBase, latestCronOccurrence } from '../../src/scheduler/summary.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { sharedImageResponse } from '../../src/web/shared-image.ts';
import { startFakeZalo } from '../channels/helpers/fake-zalo.ts';
import { decodePng } from '../helpers/png.ts';
import { fakeClock, quietLog } from './fakes.ts';
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
    expect(chart?.chatId).toBe('g-lead');
    expect(JSON.parse(chart?.payload ?? '{}').photo.filename).toBe('tong-hop-tuan.png');
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

describe('the weekly chart', () => {
  /** Two units with something overdue, one with only open tasks; a Telegram and a Zalo leadership group. */
  async function province() {
    const o = await office();
    const snn = await o.unit('SNN', 'Sở Nông nghiệp và Phát triển nông thôn');
    const xa = await o.unit('XA-1', 'Ủy ban nhân dân xã Đức Thắng');
    const pnv = await o.unit('PNV', 'Phòng Nội vụ');
    await o.task('NV-1', snn, endOf('2024-06-03'));
    await o.task('NV-2', xa, endOf('2024-05-20'));
    await o.task('NV-3', xa, endOf('2024-06-01'));
    await o.task('NV-4', pnv, endOf('2024-06-20'));
    await o.group('telegram', 'tg-lead', null, true);
    await o.group('zalo', 'zl-lead', null, true);
    return o;
  }
  const monday = at('2024-06-10 08:00');
  const payloadOf = (row: { payload: string | null } | undefined) => JSON.parse(row?.payload ?? '{}');

  it('is the units ranked with their names in full, as the chart module draws it', async () => {
    const o = await province();
    await enqueueWeeklySummaryIfDue(o.db, monday, o.config);
    const rows = await outboxRows(o.db);
    const png = Buffer.from(payloadOf(rows.find((x) => x.kind === 'summary-chart' && x.chatId === 'tg-lead')).photo.base64, 'base64');
    // The same bytes as the chart of these units drawn directly: the full names, with their diacritics.
    const expected = svgToPng(
      unitsChartSvg({
        title: 'Nhiệm vụ từ đầu năm 2024 theo đơn vị (đến 10/06/2024)',
        units: [
          // The report's ranking: equal rates, the more overdue first.
          { name: 'Ủy ban nhân dân xã Đức Thắng', onTime: 0, late: 0, overdue: 2 },
          { name: 'Sở Nông nghiệp và Phát triển nông thôn', onTime: 0, late: 0, overdue: 1 },
        ],
      }),
    );
    if (process.env.CHART_OUT) fs.writeFileSync(process.env.CHART_OUT, png);
    expect(png.equals(expected)).toBe(true);
    expect(decodePng(png).width).toBe(1200);
  });

  it('goes to Zalo as sendPhoto of a shared picture under an https PUBLIC_URL, which expires', async () => {
    const o = await province();
    await enqueueWeeklySummaryIfDue(o.db, monday, o.config, { publicUrl: 'https://nhacviec.example.gov.vn/tinh/' });
    const rows = await outboxRows(o.db);
    const tgPng = payloadOf(rows.find((x) => x.kind === 'summary-chart' && x.chatId === 'tg-lead')).photo.base64;
    const zalo = rows.find((x) => x.kind === 'summary-chart' && x.chatId === 'zl-lead');
    const url: string = payloadOf(zalo).photoUrl;
    const m = /^https:\/\/nhacviec\.example\.gov\.vn\/tinh\/anh\/([A-Za-z0-9_-]{43})\.png$/.exec(url);
    expect(m).not.toBeNull();
    const token = m![1];
    const served = await sharedImageResponse(o.db, `${token}.png`, monday + 60_000);
    expect(served).toMatchObject({ status: 200, contentType: 'image/png' });
    expect((served.body as Buffer).toString('base64')).toBe(tgPng);

    // The outbox drains it to the platform as sendPhoto, the caption with it.
    const fake = await startFakeZalo();
    try {
      const client = new ZaloClient({ token: fake.token, apiRoot: fake.url, requestTimeoutMs: 3000 });
      const sender = createOutboxSender({ db: o.db, config: o.config, log: quietLog, senders: [createZaloSender(client)], clock: fakeClock(monday) });
      await sender.drain(60_000);
      await sender.release();
      expect(fake.photos).toEqual([{ chat_id: 'zl-lead', photo: url, caption: zalo?.text }]);
      expect(fake.sent.map((x) => x.chat_id)).toEqual(['zl-lead']);
    } finally {
      await fake.close();
    }

    // Fourteen days on it is gone, and the tick deletes the row.
    const later = monday + 14 * 86_400_000;
    expect((await sharedImageResponse(o.db, token, later - 1)).status).toBe(200);
    expect((await sharedImageResponse(o.db, token, later)).status).toBe(404);
    await tick(o.db, later, o.config);
    expect(await o.db.orm.select().from(o.db.t.sharedImages)).toEqual([]);
  });

  it('stays text alone on Zalo without an https PUBLIC_URL, and stores nothing', async () => {
    for (const publicUrl of [undefined, 'http://localhost:3000', 'not a url']) {
      const o = await province();
      await enqueueWeeklySummaryIfDue(o.db, monday, o.config, publicUrl === undefined ? {} : { publicUrl });
      const rows = await outboxRows(o.db);
      expect(rows.filter((x) => x.chatId === 'zl-lead').map((x) => x.kind)).toEqual(['summary']);
      expect(rows.filter((x) => x.chatId === 'tg-lead').map((x) => x.kind).sort()).toEqual(['summary', 'summary-chart']);
      expect(await o.db.orm.select().from(o.db.t.sharedImages)).toEqual([]);
    }
    expect(httpsBase('https://a.example/')).toBe('https://a.example');
    expect(httpsBase('https://a.example/x//')).toBe('https://a.example/x');
  });
});
