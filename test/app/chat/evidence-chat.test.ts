// Evidence from the chat on the engine under test: a photo or file with /xong closes (or reports)
// and stores it, /minhchung adds without closing or sends the evidence back, a reply to a reminder
// adds to the task it names, /viec lists it; refusals store (and fetch) nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { buildReport } from '../../../src/app/report.service.ts';
import { reportToXlsx } from '../../../src/app/report/format-xlsx.ts';
import { createBotCore } from '../../../src/bot/core.ts';
import type { IncomingAttachment, IncomingMessage, Reply } from '../../../src/bot/types.ts';
import { loadConfig } from '../../../src/config.ts';
import { upsertAccount } from '../../../src/db/accounts.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import { DownloadTooLarge } from '../../../src/files/errors.ts';
import { FileStore, listStored } from '../../../src/files/store.ts';
import { FILE_TEXTS } from '../../../src/files/texts.ts';
import { createLogger } from '../../../src/log.ts';
import { NOT_ALLOWED, SAMPLES } from '../../files/samples.ts';
import { harness, NOW, queuedNotices, ZONE, type Harness } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** An attachment that counts its downloads. */
function file(content: Buffer, extra: Partial<IncomingAttachment> = {}): IncomingAttachment & { fetched: number } {
  const a = {
    kind: 'document' as const,
    fetched: 0,
    async fetch(max: number) {
      a.fetched++;
      if (content.length > max) throw new DownloadTooLarge(content.length, true);
      return content;
    },
    ...extra,
  };
  return a;
}
const photo = (content: Buffer = SAMPLES.jpg) => file(content, { kind: 'photo' });

interface World {
  h: Harness;
  files: FileStore;
  send(userId: string, text: string, extra?: Partial<IncomingMessage>, now?: number): Promise<Reply[]>;
  officer: string;
  chair: string;
}

async function world(opts: { maxBytes?: number } = {}): Promise<World> {
  const h = await harness();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-evidence-chat-'));
  dirs.push(dir);
  const files = new FileStore(path.join(dir, 'files'), opts);
  const core = createBotCore({ db: h.db, config: loadConfig({}), log: createLogger('silent'), files });
  const send = (userId: string, text: string, extra: Partial<IncomingMessage> = {}, now = NOW) =>
    core.handle({ channel: 'telegram', chatId: `p-${userId}`, chatType: 'private', userId, text, ...extra }, now);
  return { h, files, send, officer: await h.link('CB-XA-AN'), chair: await h.link('CT-TINH') };
}

const evidenceOf = async (h: Harness, code: string) => {
  const { evidence: e, tasks: t } = h.db.t;
  return h.db.orm.select({ kind: e.kind, ext: e.ext, originalName: e.originalName }).from(e).innerJoin(t, eq(t.id, e.taskId)).where(eq(t.code, code)).orderBy(asc(e.id));
};
const completedAt = async (h: Harness, code: string) => (await h.db.one<{ completed_at: number | null }>(sql`SELECT completed_at FROM tasks WHERE code = ${code}`))!.completed_at;

describe('a photo or file with /xong', () => {
  it('closes the task and stores the evidence', async () => {
    const w = await world();
    const r = await w.send(w.officer, '/xong NV-10', { attachment: photo() });
    expect(r[0].text).toMatch(/^✅ Đã ghi nhận: NV-10 hoàn thành đúng hạn[\s\S]*\n📎 Đã nhận minh chứng cho nhiệm vụ NV-10: ảnh \(.*\)\. Nhiệm vụ có 1 minh chứng\.$/);
    expect(await completedAt(w.h, 'NV-10')).toBe(NOW);
    expect(await evidenceOf(w.h, 'NV-10')).toEqual([{ kind: 'photo', ext: 'jpg', originalName: null }]);
  });

  it('on a task that needs confirmation: reports it, stores the file, and sends it to the chairs by reference', async () => {
    const w = await world();
    await w.h.db.run(sql`UPDATE tasks SET needs_confirmation = ${w.h.db.engine === 'postgres' ? sql`true` : sql`1`} WHERE code = 'NV-10'`);
    const r = await w.send(w.officer, '/xong NV-10', { attachment: file(SAMPLES.pdf, { fileName: 'bien-ban.pdf' }) });
    expect(r[0].text).toMatch(/^Đã ghi nhận báo cáo hoàn thành NV-10, chờ lãnh đạo xác nhận\.\n📎 Đã nhận minh chứng/);
    expect(await completedAt(w.h, 'NV-10')).toBeNull();
    const notices = await queuedNotices(w.h.db);
    expect(notices.map((n) => n.chatId)).toEqual(['p-ct-tinh', 'p-ct-tinh']);
    expect(notices[0].text).toContain('Minh chứng: 1 tệp (gửi kèm).');
    expect(notices[1]).toMatchObject({ text: '📎 NV-10: minh chứng 1/1', payload: { file: { ext: 'pdf', name: 'bien-ban.pdf', kind: 'document' } } });
    expect(w.files.has({ sha256: notices[1].payload!.file!.sha256, ext: 'pdf' })).toBe(true);
  });
});

describe('/minhchung', () => {
  it('with a photo adds it without closing the task; without a file sends the evidence back', async () => {
    const w = await world();
    expect((await w.send(w.officer, '/minhchung NV-10', { attachment: photo() }))[0].text).toMatch(/^📎 Đã nhận minh chứng cho nhiệm vụ NV-10/);
    expect((await w.send(w.officer, '/evidence NV-10', { attachment: file(SAMPLES.docx, { fileName: 'bao-cao.docx' }) }))[0].text).toMatch(/Nhiệm vụ có 2 minh chứng/);
    expect(await completedAt(w.h, 'NV-10')).toBeNull();
    const back = await w.send(w.chair, '/minhchung NV-10');
    expect(back[0].text).toMatch(/^📎 Minh chứng của nhiệm vụ NV-10 — .*: 2 tệp\.$/);
    expect(back.slice(1).map((r) => r.file?.name)).toEqual(['NV-10-minh-chung-1.jpg', 'bao-cao.docx']);
    // The same file twice is kept once.
    expect((await w.send(w.officer, '/minhchung NV-10', { attachment: photo() }))[0].text).toMatch(/đã có trong minh chứng/);
    expect(await evidenceOf(w.h, 'NV-10')).toHaveLength(2);
  });

  it('on Zalo, sending back files that are not pictures says Zalo takes images only', async () => {
    const w = await world();
    await w.send(w.officer, '/minhchung NV-10', { attachment: file(SAMPLES.pdf, { fileName: 'a.pdf' }) });
    const o = (await officerByCode(w.h.db, 'CB-XA-AN'))!;
    await w.h.db.tx((tx) => upsertAccount(tx, { channel: 'zalo', externalId: 'z-an', officerId: o.id, privateChatId: 'zp-an', now: NOW }));
    const r = await w.send('z-an', '/minhchung NV-10', { channel: 'zalo', chatId: 'zp-an' });
    expect(r[0].text).toContain(FILE_TEXTS.zaloImagesOnly);
  });

  it('a task without evidence says how to add it', async () => {
    const w = await world();
    expect((await w.send(w.officer, '/minhchung NV-10'))[0].text).toBe('Nhiệm vụ NV-10 chưa có minh chứng. Gửi ảnh hoặc tệp kèm chú thích /minhchung NV-10 để thêm.');
  });
});

describe('a photo or file in reply to a reminder', () => {
  it('adds evidence to the task the reminder names', async () => {
    const w = await world();
    const r = await w.send(w.officer, '', { chatType: 'group', chatId: 'g-an', replyToText: '⏰ Nhắc hạn: NV-10 — Số hóa hồ sơ hộ tịch, hạn 24/11/2026', attachment: photo() });
    expect(r[0].text).toMatch(/^📎 Đã nhận minh chứng cho nhiệm vụ NV-10/);
    expect(await evidenceOf(w.h, 'NV-10')).toHaveLength(1);
    expect(await completedAt(w.h, 'NV-10')).toBeNull();
  });

  it('a reminder about several tasks: asks for the code, fetches nothing', async () => {
    const w = await world();
    const a = photo();
    const r = await w.send(w.officer, '', { chatType: 'group', chatId: 'g-an', replyToText: 'Nhắc hạn: NV-09, NV-10', attachment: a });
    expect(r[0].text).toMatch(/nhiều nhiệm vụ \(NV-09, NV-10\)/);
    expect(a.fetched).toBe(0);
  });
});

describe('bad input: one sentence, nothing stored', () => {
  it.each([
    ['too large (announced)', '/minhchung NV-10', () => file(SAMPLES.pdf, { size: 30 * 1024 * 1024, fileName: 'x.pdf' }), /^Tệp quá lớn \(30 MB\): giới hạn là 20 MB\.$/, false],
    ['a type not allowed', '/minhchung NV-10', () => file(NOT_ALLOWED.exe, { fileName: 'setup.exe' }), /^Loại tệp này không được nhận/, false],
    ['content not allowed', '/xong NV-10', () => file(NOT_ALLOWED.text), /^Loại tệp này không được nhận/, true],
    ['an unknown code', '/minhchung NV-99', () => photo(), /^Không có nhiệm vụ mã NV-99\./, false],
    ["another unit's task", '/minhchung NV-12', () => photo(), /không thuộc đơn vị của anh\/chị/, false],
    ["another unit's task with /xong", '/xong NV-12', () => photo(), /không thuộc đơn vị của anh\/chị/, false],
  ] as const)('%s', async (_what, text, make, answer, fetched) => {
    const w = await world();
    const a = make();
    const r = await w.send(w.officer, text, { attachment: a });
    expect(r).toHaveLength(1);
    expect(r[0].text).toMatch(answer);
    expect(a.fetched > 0).toBe(fetched);
    expect(await w.h.db.orm.select().from(w.h.db.t.evidence)).toEqual([]);
    expect(listStored(w.files.root)).toEqual([]);
    expect(await completedAt(w.h, 'NV-10')).toBeNull();
  });

  it('too large once downloaded', async () => {
    const w = await world({ maxBytes: 100 });
    const r = await w.send(w.officer, '/minhchung NV-10', { attachment: photo() });
    expect(r[0].text).toMatch(/^Tệp quá lớn/);
    expect(listStored(w.files.root)).toEqual([]);
  });

  it('a photo without a caption in a private chat says what to type', async () => {
    const w = await world();
    expect((await w.send(w.officer, '', { attachment: photo() }))[0].text).toMatch(/^Để lưu ảnh hoặc tệp làm minh chứng, hãy gửi lại kèm chú thích \/minhchung/);
  });
});

describe('listing and counting', () => {
  it('/viec <mã> lists the evidence; the .xlsx report has a Số minh chứng column', async () => {
    const w = await world();
    await w.send(w.officer, '/minhchung NV-10', { attachment: file(SAMPLES.pdf, { fileName: 'bien-ban.pdf' }) });
    expect((await w.send(w.officer, '/viec NV-10'))[0].text).toMatch(/Minh chứng \(1\):\n• bien-ban\.pdf \(.*\), Đặng Thị Hoa, 23\/11\/2026 08:00/);
    const year = Date.UTC(2026, 0, 1) - 7 * 3_600_000;
    const data = await buildReport(w.h.db, { asOf: NOW, from: year, to: NOW, unitCode: 'XA-AN', overdueLimit: 10, nearDeadlineDays: 3 }, ZONE);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await reportToXlsx(w.h.db, data, ZONE)) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('Nhiệm vụ')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = header.indexOf('Số minh chứng') + 1;
    expect(col).toBeGreaterThan(0);
    const counts: Record<string, unknown> = {};
    sheet.eachRow((row, n) => {
      if (n > 1) counts[String(row.getCell(1).value)] = row.getCell(col).value;
    });
    expect(counts['NV-10']).toBe(1);
    expect(counts['NV-09']).toBe(0);
  });
});
