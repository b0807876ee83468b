// The period words of /tinhhinh and /baocao follow the config's reportCutoffDay, and every report prints its period.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { reportToJson } from '../../../src/app/report/format-json.ts';
import { formatReportText } from '../../../src/app/report/format-text.ts';
import { reportToXlsx } from '../../../src/app/report/format-xlsx.ts';
import { buildReport } from '../../../src/app/report.service.ts';
import { createBotCore } from '../../../src/bot/core.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { parsePeriod } from '../../../src/domain/period.ts';
import { createLogger } from '../../../src/log.ts';
import { testDb } from '../../helpers/db.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
/** 23/11/2026 08:00 local. */
const NOW = Date.UTC(2026, 10, 23, 1, 0, 0);

async function chat(cutoff: number | null) {
  const db = await testDb();
  await seedDemo(db, NOW, ZONE);
  const core = createBotCore({ db, config: { ...loadConfig({}), reportCutoffDay: cutoff }, log: createLogger('silent') });
  const o = (await officerByCode(db, 'CT-TINH'))!;
  await db.tx((tx) => upsertAccount(tx, { channel: 'telegram', externalId: 'ct', officerId: o.id, privateChatId: 'p-ct', now: NOW }));
  const send = (text: string, now = NOW) => core.handle({ channel: 'telegram', chatId: 'p-ct', chatType: 'private', userId: 'ct', text }, now);
  return { db, send };
}

describe('report periods in the chat', () => {
  it('/tinhhinh and /baocao move the period by the configured cutoff day and print its dates', async () => {
    const { send } = await chat(15);
    const month = (await send('/tinhhinh thang 9'))[0]!.text;
    expect(month).toContain('Kỳ báo cáo: tháng 9/2026 (từ 15/08/2026 đến 14/09/2026); số liệu tính đến hết ngày 14/09/2026.');
    const year = (await send('/baocao'))[0]!;
    expect(year.text).toContain('Kỳ báo cáo: năm 2026 (từ 15/12/2025 đến 14/12/2026); số liệu tính đến');
    // From 15/12 on, a period without a year is of the next reporting year.
    const december = (await send('/tinhhinh', Date.UTC(2026, 11, 20, 1, 0, 0)))[0]!.text;
    expect(december).toContain('Kỳ báo cáo: năm 2027 (từ 15/12/2026 đến 14/12/2027)');
    const range = (await send('/tinhhinh 01/09/2026-30/09/2026'))[0]!.text;
    expect(range).toContain('Kỳ báo cáo: từ 01/09/2026 đến 30/09/2026; số liệu');
  });

  it('without a cutoff keeps the calendar periods and still prints the dates', async () => {
    const { send } = await chat(null);
    const q = (await send('/tinhhinh quy 3'))[0]!.text;
    expect(q).toContain('Kỳ báo cáo: quý 3/2026 (từ 01/07/2026 đến 30/09/2026); số liệu tính đến hết ngày 30/09/2026.');
  });

  it('splits the demo tasks between two moved months without losing or counting one twice', async () => {
    const { db } = await chat(null);
    const sept = parsePeriod('thang 9/2026', NOW, ZONE, 15);
    const oct = parsePeriod('thang 10/2026', NOW, ZONE, 15);
    const count = async (p: typeof sept) =>
      (await buildReport(db, { asOf: NOW, from: p.from, to: p.to, period: { label: p.label, cutoffDay: p.cutoffDay } }, ZONE)).totals.total;
    const all = (await buildReport(db, { asOf: NOW, from: sept.from, to: oct.to }, ZONE)).totals.total;
    expect(all).toBeGreaterThan(0);
    expect((await count(sept)) + (await count(oct))).toBe(all);
  });

  it('prints the period on the xlsx summary sheet and in the JSON', async () => {
    const { db } = await chat(null);
    const p = parsePeriod('quy 1/2026', NOW, ZONE, 15);
    const data = await buildReport(db, { asOf: NOW, from: p.from, to: p.to, period: { label: p.label, cutoffDay: p.cutoffDay } }, ZONE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportToXlsx(db, data, ZONE)) as unknown as ArrayBuffer);
    const firstCells: unknown[] = [];
    wb.getWorksheet('Tổng hợp')!.eachRow((row) => firstCells.push(row.getCell(1).value));
    expect(firstCells).toContain('Kỳ báo cáo: quý 1/2026 (từ 15/12/2025 đến 14/03/2026)');
    expect(reportToJson(data, ZONE)).toMatchObject({ period: { label: 'quý 1/2026', from: '15/12/2025', to: '14/03/2026', cutoffDay: 15 } });
    expect(formatReportText(data, ZONE)).toContain('Kỳ báo cáo: quý 1/2026 (từ 15/12/2025 đến 14/03/2026)');
  });
});
