// The dashboard in a real browser (`npm run test:browser`): Debian's Chromium, headless,
// over the real app on loopback (test/web/helpers.ts: the permission matrix's province,
// the app's clock held at NOW). Sign in with a one-time link, read the overview and check
// its numbers against the report JSON (`nhacviec report --format json`'s code), open a unit
// and a task by clicking, import a tasks .csv as an admin (a bad row: the errors and nothing
// written; a good file: confirm, then the rows are there), an invite, and every page on a phone.
// A full-page screenshot of every page lands in test-results/. No sleeps: every step waits
// for the page's own elements.
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importRows } from '../../src/app/import/import.service.ts';
import { reportToJson } from '../../src/app/report/format-json.ts';
import { buildReport } from '../../src/app/report.service.ts';
import { taskByCode } from '../../src/db/tasks.repo.ts';
import { parsePeriod } from '../../src/domain/period.ts';
import { loadConfig } from '../../src/config.ts';
import { ACTOR } from '../security/authz-fixture.ts';
import { NOW, startWeb, type WebTarget } from '../web/helpers.ts';
import { horizontalOverflow, launchChromium, newContext, PHONE, screenshot } from './chromium.ts';

const ZONE = loadConfig({}).zone;
const day = (offset: number) => DateTime.fromMillis(NOW, { zone: ZONE }).plus({ days: offset }).toFormat('dd/MM/yyyy');

let w: WebTarget;
let browser: Browser;
const shots: string[] = [];

async function shot(page: Page, name: string): Promise<void> {
  shots.push(await screenshot(page, name));
}

/** Opens a fresh one-time sign-in link in a new browser context; the overview must greet the officer. */
async function signIn(code: string, fullName: string, viewport?: { width: number; height: number }): Promise<Page> {
  const ctx = await newContext(browser, viewport);
  const page = await ctx.newPage();
  await page.goto(`${w.base}${new URL(await w.link(code)).pathname}`);
  await page.waitForURL(`${w.base}/`);
  await expect(page.locator('main .box strong').first().textContent()).resolves.toBe(fullName);
  return page;
}

/** The count tiles of a page: label → the number (or the rate's text) shown. */
async function tiles(page: Page): Promise<Record<string, string>> {
  const cells = await page.locator('.counts > div').evaluateAll((els) => els.map((e) => [e.lastChild?.textContent?.trim() ?? '', e.querySelector('b')?.textContent?.trim() ?? '']));
  return Object.fromEntries(cells);
}

/** The report JSON for a unit's subtree over the reporting year, as of now (the page's default period). */
async function reportJson(unitCode: string) {
  const p = parsePeriod('', NOW, ZONE, null);
  const data = await buildReport(w.db, { asOf: Math.min(NOW, p.to), from: p.from, to: p.to, unitCode, overdueLimit: 0, period: { label: p.label, cutoffDay: p.cutoffDay } }, ZONE);
  return reportToJson(data, ZONE) as { totals: { total: number; doneOnTime: number; doneLate: number; overdue: number; inProgress: number } };
}

function expectTilesEqual(shown: Record<string, string>, totals: { doneOnTime: number; doneLate: number; overdue: number; inProgress: number }): void {
  expect({ onTime: shown['Đúng hạn'], late: shown['Trễ hạn'], overdue: shown['Quá hạn'], inProgress: shown['Đang thực hiện'] }).toEqual({
    onTime: String(totals.doneOnTime),
    late: String(totals.doneLate),
    overdue: String(totals.overdue),
    inProgress: String(totals.inProgress),
  });
}

const taskCount = async () => Number((await w.db.one<{ n: number | string }>(sql`SELECT count(*) AS n FROM tasks`))?.n);

beforeAll(async () => {
  w = await startWeb();
  // Every bucket in the chair's subtree (H-DONG ─ XA-DONG), so the counts are worth comparing.
  const r = await importRows(
    w.db,
    'tasks',
    [
      { code: 'B-DUNG', title: 'Báo cáo sơ kết 6 tháng', unit: 'XA-DONG', assigned_by: 'UBND huyện Đông', source_doc: 'Công văn số 12/UBND', assigned_at: day(-30), deadline: day(-3), completed_at: day(-5) },
      { code: 'B-TRE', title: 'Rà soát hộ nghèo', unit: 'XA-DONG', assigned_by: 'UBND huyện Đông', source_doc: 'Kế hoạch số 7/KH-UBND', assigned_at: day(-30), deadline: day(-6), completed_at: day(-2) },
      { code: 'B-QUA', title: 'Kiểm tra công tác văn thư', unit: 'H-DONG', assigned_by: 'UBND tỉnh', source_doc: 'Quyết định số 3/QĐ-UBND', assigned_at: day(-30), deadline: day(-2), completed_at: '' },
    ],
    { zone: ZONE, now: NOW },
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await w?.stop();
  if (shots.length) process.stdout.write(`screenshots:\n${shots.map((s) => `  ${s}`).join('\n')}\n`);
});

describe('the dashboard in Chromium', () => {
  it('a chair signs in with a link, reads the overview (the report JSON\'s numbers), opens a unit and a task by clicking', async () => {
    const link = await w.link(ACTOR.chair);
    const page = await signIn(ACTOR.chair, 'Đinh Văn Huyện');
    await page.locator('h1', { hasText: 'Tổng quan' }).waitFor();
    const home = await reportJson('H-DONG');
    expect(home.totals.doneOnTime * home.totals.doneLate * home.totals.overdue * home.totals.inProgress).toBeGreaterThan(0);
    expectTilesEqual(await tiles(page), home.totals);
    // The summary table's total is the report's total too.
    const summary = page.locator('table').first().locator('tbody tr').first().locator('td');
    await expect(summary.nth(1).textContent()).resolves.toBe(String(home.totals.total));
    await shot(page, '01-tong-quan');
    // Every table downloads as .xlsx: the summary's, here.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải bảng (.xlsx)' }).first().click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const saved = await download.path();
    expect(fs.readFileSync(saved).subarray(0, 2).toString('latin1')).toBe('PK');

    await page.getByRole('link', { name: 'UBND xã Đông Hải', exact: true }).first().click();
    await page.waitForURL(`${w.base}/donvi/XA-DONG`);
    await page.locator('h1', { hasText: 'UBND xã Đông Hải (XA-DONG)' }).waitFor();
    expectTilesEqual(await tiles(page), (await reportJson('XA-DONG')).totals);
    await shot(page, '02-don-vi-XA-DONG');

    await page.getByRole('link', { name: 'B-TRE', exact: true }).click();
    await page.waitForURL(`${w.base}/nhiemvu/B-TRE`);
    await page.getByText('Rà soát hộ nghèo').first().waitFor();
    await page.getByText('Kế hoạch số 7/KH-UBND').first().waitFor();
    await shot(page, '03-nhiem-vu-B-TRE');

    // Another unit's address: 403 and one sentence.
    const refused = await page.goto(`${w.base}/donvi/XA-AN`);
    expect(refused?.status()).toBe(403);
    await page.locator('p.msg', { hasText: 'không thuộc phạm vi anh/chị được xem' }).waitFor();
    await shot(page, '04-khong-co-quyen');

    // The commitments scorecard and the recurring reports.
    expect((await page.goto(`${w.base}/camket`))?.status()).toBe(200);
    await page.locator('h1', { hasText: 'cam kết' }).waitFor();
    await shot(page, '05-cam-ket');
    expect((await page.goto(`${w.base}/dinhky`))?.status()).toBe(200);
    await page.locator('h1', { hasText: 'báo cáo định kỳ' }).waitFor();
    await shot(page, '06-dinh-ky');

    // A link works once: the one made at the start (signIn used another) signs in, and then is refused.
    const ctx = await newContext(browser);
    const again = await ctx.newPage();
    await again.goto(`${w.base}${new URL(link).pathname}`);
    await again.waitForURL(`${w.base}/`);
    const second = await again.goto(`${w.base}${new URL(link).pathname}`);
    expect(second?.status()).toBe(403);
    await again.locator('p.msg', { hasText: 'đã được dùng' }).waitFor();
    await shot(again, '07-duong-dan-da-dung');
    await ctx.close();

    // Signing out ends the session: the overview then asks to sign in.
    await page.goto(`${w.base}/`);
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.locator('h1', { hasText: 'Đã đăng xuất' }).waitFor();
    expect((await page.goto(`${w.base}/`))?.status()).toBe(401);
    await shot(page, '08-da-dang-xuat');
    await page.context().close();
  });

  it('an admin uploads a tasks .csv with bad rows: the `dòng N: cột: lý do` errors and nothing written; then a good file, confirmed, is written; an invite shows its code and QR code', async () => {
    const page = await signIn(ACTOR.admin, 'Trương Thị Quản');
    await page.getByRole('link', { name: 'Nhập dữ liệu' }).first().click();
    await page.waitForURL(`${w.base}/nhap`);
    await shot(page, '09-nhap');

    const head = 'code,title,unit,assigned_by,source_doc,assigned_at,deadline';
    const bad = [head, `W-1,Lập danh sách cử tri,XA-AN,UBND tỉnh,Kế hoạch số 5/KH-UBND,${day(-1)},${day(10)}`, `W-2,Tổng hợp ý kiến,KHONG-CO,UBND tỉnh,Kế hoạch số 5/KH-UBND,${day(-1)},31/02/2026`].join('\n');
    const before = await taskCount();
    await page.locator('select[name="loai"]').selectOption('tasks');
    await page.locator('input[name="tep"]').setInputFiles({ name: 'nhiem-vu-loi.csv', mimeType: 'text/csv', buffer: Buffer.from(bad, 'utf8') });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    await page.locator('p.msg', { hasText: 'Không nhập gì' }).waitFor();
    const errors = await page.locator('.box ul.links li').allTextContents();
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const e of errors) expect(e).toMatch(/^dòng 3: [^:]+: .+/);
    expect(errors.some((e) => e.includes('KHONG-CO'))).toBe(true);
    expect(await taskCount()).toBe(before);
    expect(await taskByCode(w.db, 'W-1')).toBeUndefined();
    await shot(page, '10-nhap-dong-loi');

    const good = [head, `W-1,Lập danh sách cử tri,XA-AN,UBND tỉnh,Kế hoạch số 5/KH-UBND,${day(-1)},${day(10)}`, `W-2,Tổng hợp ý kiến cử tri,XA-SON,UBND tỉnh,Kế hoạch số 5/KH-UBND,${day(-1)},${day(12)}`].join('\n');
    await page.locator('select[name="loai"]').selectOption('tasks');
    await page.locator('input[name="tep"]').setInputFiles({ name: 'nhiem-vu.csv', mimeType: 'text/csv', buffer: Buffer.from(good, 'utf8') });
    await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
    const confirm = page.getByRole('button', { name: /^Xác nhận nhập 2 / });
    await confirm.waitFor();
    await page.getByRole('cell', { name: 'Tổng hợp ý kiến cử tri' }).waitFor();
    // The dry run wrote nothing.
    expect(await taskCount()).toBe(before);
    await shot(page, '11-nhap-kiem-tra');

    await confirm.click();
    await page.waitForURL(/\/nhap\/ketqua\//);
    await page.locator('p.msg', { hasText: 'Đã nhập 2' }).waitFor();
    expect(await taskCount()).toBe(before + 2);
    expect((await taskByCode(w.db, 'W-1'))?.title).toBe('Lập danh sách cử tri');
    expect((await taskByCode(w.db, 'W-2'))?.title).toBe('Tổng hợp ý kiến cử tri');
    await shot(page, '12-nhap-ket-qua');

    // Officers: open one from the list, make an invite, see its code and QR code.
    expect((await page.goto(`${w.base}/canbo`))?.status()).toBe(200);
    await shot(page, '13-can-bo');
    await page.locator('a[href="/canbo/CB-XA-SON"]').first().click();
    await page.waitForURL(`${w.base}/canbo/CB-XA-SON`);
    const invitesBefore = Number((await w.db.one<{ n: number | string }>(sql`SELECT count(*) AS n FROM invites`))?.n);
    await page.getByRole('button', { name: 'Cấp mã mời mới' }).click();
    await page.waitForURL(`${w.base}/canbo/CB-XA-SON#moi`);
    expect(Number((await w.db.one<{ n: number | string }>(sql`SELECT count(*) AS n FROM invites`))?.n)).toBe(invitesBefore + 1);
    const codes = await page.locator('.invite b.code').allTextContents();
    expect(codes.length).toBeGreaterThanOrEqual(1);
    for (const code of codes) expect(await w.db.one(sql`SELECT code FROM invites WHERE code = ${code}`)).toBeDefined();
    await page.locator('.invite .qr svg').first().waitFor();
    await shot(page, '14-can-bo-ma-moi');

    // The office's other pages.
    for (const [path, name, heading] of [
      ['/nhom', '15-nhom', 'Nhóm chat'],
      ['/hangdoi', '16-hang-doi', 'hàng đợi'],
    ] as const) {
      expect([path, (await page.goto(`${w.base}${path}`))?.status()]).toEqual([path, 200]);
      await page.locator('h1', { hasText: new RegExp(heading, 'i') }).waitFor();
      await shot(page, name);
    }
    await page.context().close();
  });

  it('on a phone (390×844) every page fits the width: no sideways scrolling', async () => {
    const chair = await signIn(ACTOR.chair, 'Đinh Văn Huyện', PHONE);
    await chair.locator('.counts').waitFor();
    expect(['/', await horizontalOverflow(chair)]).toEqual(['/', 0]);
    await shot(chair, '17-dien-thoai-tong-quan');
    const admin = await signIn(ACTOR.admin, 'Trương Thị Quản', PHONE);
    const pages: [Page, string, string][] = [
      [chair, '/donvi/H-DONG', 'don-vi'],
      [chair, '/nhiemvu/B-QUA', 'nhiem-vu'],
      [chair, '/camket', 'cam-ket'],
      [chair, '/camket/H-DONG', 'cam-ket-don-vi'],
      [chair, '/dinhky', 'dinh-ky'],
      [admin, '/nhap', 'nhap'],
      [admin, '/canbo', 'can-bo'],
      [admin, '/canbo/CB-XA-SON', 'can-bo-mot'],
      [admin, '/nhom', 'nhom'],
      [admin, '/hangdoi', 'hang-doi'],
    ];
    for (const [i, [page, path, name]] of pages.entries()) {
      expect([path, (await page.goto(`${w.base}${path}`))?.status()]).toEqual([path, 200]);
      await page.locator('h1').waitFor();
      expect([path, await horizontalOverflow(page)]).toEqual([path, 0]);
      await shot(page, `${18 + i}-dien-thoai-${name}`);
    }
    await chair.context().close();
    await admin.context().close();
  });
});
