// Evidence use cases on the engine under test: who may add and see a task's evidence,
// refusals that store nothing (and download nothing), dedup, and the file before the row.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addEvidence, evidenceForSending, listEvidence, recordEvidence, stageAttachment } from '../../../src/app/evidence.ts';
import type { Actor } from '../../../src/app/auth.ts';
import { NOT_LINKED } from '../../../src/app/auth.ts';
import type { IncomingAttachment } from '../../../src/bot/types.ts';
import { evidenceCounts } from '../../../src/db/evidence.repo.ts';
import { officerByCode } from '../../../src/db/officers.repo.ts';
import type { Db } from '../../../src/db/open.ts';
import { taskByCode } from '../../../src/db/tasks.repo.ts';
import { seedDemo } from '../../../src/demo/seed.ts';
import { DomainError } from '../../../src/domain/errors.ts';
import { DownloadTooLarge } from '../../../src/files/errors.ts';
import { FileStore } from '../../../src/files/store.ts';
import { testDb } from '../../helpers/db.ts';
import { SAMPLES } from '../../files/samples.ts';

const NOW = Date.UTC(2026, 10, 23, 1, 0, 0);
const ZONE = 'Asia/Ho_Chi_Minh';
const MB = 1024 * 1024;

let db: Db;
let dir: string;
let files: FileStore;

beforeEach(async () => {
  db = await testDb();
  await seedDemo(db, NOW, ZONE);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-evidence-'));
  files = new FileStore(path.join(dir, 'files'));
  // NV-09 is led by XA-AN; XA-SON co-ordinates it. A second province with its own chair.
  const { tasks: t, units: u, officers: o, taskCooperators: c } = db.t;
  const [nv09] = await db.orm.select({ id: t.id }).from(t).where(eq(t.code, 'NV-09'));
  const [son] = await db.orm.select({ id: u.id }).from(u).where(eq(u.code, 'XA-SON'));
  await db.orm.insert(c).values({ taskId: nv09.id, unitId: son.id });
  const [other] = await db.orm.insert(u).values({ code: 'TINH-KHAC', name: 'UBND tỉnh Khác', path: '/' }).returning({ id: u.id });
  await db.orm.update(u).set({ path: `/${other.id}/` }).where(eq(u.id, other.id));
  await db.orm.insert(o).values({ code: 'CT-KHAC', fullName: 'Chủ tịch Khác', unitId: other.id, role: 'chair' });
});

afterEach(async () => {
  await db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function actor(code: string): Promise<Actor> {
  const o = (await officerByCode(db, code))!;
  return { officerId: o.id, code: o.code, fullName: o.fullName, role: o.role, title: o.title, unitId: o.unitId, unitCode: o.unitCode, unitName: o.unitName, unitPath: o.unitPath, accountId: 0, privateChatId: null };
}

/** An attachment that counts its downloads. */
function attachment(content: Buffer, extra: Partial<IncomingAttachment> = {}): IncomingAttachment & { fetched: number } {
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

const rows = async () => db.orm.select().from(db.t.evidence);
const message = (p: Promise<unknown>) => p.then(() => 'no error', (e: unknown) => (e instanceof DomainError ? e.message : `unexpected: ${String(e)}`));

describe('who may add evidence to NV-09 (lead XA-AN, co-ordinating XA-SON)', () => {
  it.each([
    ['CB-XA-AN', 'an officer of the lead unit'],
    ['CT-XA-AN', 'the head of the lead unit'],
    ['CB-XA-SON', 'an officer of a co-ordinating unit'],
    ['CT-TINH', 'the province chair over it'],
    ['PCT-TINH', 'a vice chair over it'],
  ])('%s (%s) may', async (code) => {
    const r = await addEvidence(db, files, await actor(code), 'nv-09', attachment(SAMPLES.pdf, { fileName: 'bao-cao.pdf' }), NOW, 'telegram');
    expect(r).toMatchObject({ added: true, total: 1, task: { code: 'NV-09' } });
    expect(r.text).toBe(`📎 Đã nhận minh chứng cho nhiệm vụ NV-09: bao-cao.pdf (${SAMPLES.pdf.length} byte). Nhiệm vụ có 1 minh chứng.`);
    expect(await rows()).toHaveLength(1);
  });

  it.each([
    ['CB-PH-TT', 'Nhiệm vụ NV-09 không thuộc đơn vị của anh/chị (UBND phường Trung Tâm), nên không thể thực hiện. Gõ /viec để xem nhiệm vụ của đơn vị mình.'],
    ['GD-NV', 'Nhiệm vụ NV-09 không thuộc đơn vị của anh/chị (Sở Nội vụ), nên không thể thực hiện. Gõ /viec để xem nhiệm vụ của đơn vị mình.'],
    ['QT-NV', 'Nhiệm vụ NV-09 không thuộc đơn vị của anh/chị (Sở Nội vụ), nên không thể thực hiện. Gõ /viec để xem nhiệm vụ của đơn vị mình.'],
    ['CT-KHAC', 'Nhiệm vụ NV-09 không thuộc đơn vị của anh/chị (UBND tỉnh Khác) hay các đơn vị trực thuộc, nên không thể thực hiện.'],
  ])('%s may not: one sentence, nothing downloaded or stored', async (code, sentence) => {
    const a = attachment(SAMPLES.jpg, { kind: 'photo' });
    expect(await message(addEvidence(db, files, await actor(code), 'NV-09', a, NOW, 'telegram'))).toBe(sentence);
    expect(a.fetched).toBe(0);
    expect(await rows()).toEqual([]);
    expect(files.list()).toEqual([]);
  });

  it('an unlinked person and a code that does not exist get their sentences, nothing downloaded', async () => {
    const a = attachment(SAMPLES.jpg, { kind: 'photo' });
    expect(await message(addEvidence(db, files, null, 'NV-09', a, NOW, 'zalo'))).toBe(NOT_LINKED);
    expect(await message(addEvidence(db, files, await actor('CB-XA-AN'), 'NV-99', a, NOW, 'zalo'))).toBe(
      'Không có nhiệm vụ mã NV-99. Gõ /viec để xem mã các nhiệm vụ của đơn vị.',
    );
    expect(a.fetched).toBe(0);
    expect(await rows()).toEqual([]);
  });
});

describe('files refused', () => {
  it('too large by the size the platform announced: refused before downloading', async () => {
    const a = attachment(SAMPLES.pdf, { size: 25 * MB, fileName: 'ho-so.pdf' });
    expect(await message(addEvidence(db, files, await actor('CB-XA-AN'), 'NV-09', a, NOW, 'telegram'))).toBe('Tệp quá lớn (25 MB): giới hạn là 20 MB.');
    expect(a.fetched).toBe(0);
  });

  it('too large found while downloading, with a configured limit', async () => {
    const small = new FileStore(path.join(dir, 'files'), { maxBytes: 1 * MB });
    const big = Buffer.concat([SAMPLES.pdf, Buffer.alloc(1.5 * MB)]);
    expect(await message(addEvidence(db, small, await actor('CB-XA-AN'), 'NV-09', attachment(big), NOW, 'telegram'))).toBe(
      `Tệp quá lớn (1,5 MB): giới hạn là 1 MB.`,
    );
    const cut: IncomingAttachment = { kind: 'photo', fetch: async () => Promise.reject(new DownloadTooLarge(1 * MB + 1, false)) };
    expect(await message(stageAttachment(small, cut))).toBe('Tệp quá lớn: giới hạn là 1 MB.');
    expect(small.list()).toEqual([]);
  });

  it('a type not allowed, by name (not downloaded) or by content; a name that lies about the content', async () => {
    const cb = await actor('CB-XA-AN');
    const exe = attachment(Buffer.from('MZ....'), { fileName: 'cai-dat.exe' });
    expect(await message(addEvidence(db, files, cb, 'NV-09', exe, NOW, 'telegram'))).toBe('Loại tệp này không được nhận: chỉ nhận ảnh, PDF, Word, Excel.');
    expect(exe.fetched).toBe(0);
    const text = attachment(Buffer.from('chỉ là chữ'), { fileName: 'bien-ban.pdf' });
    expect(await message(addEvidence(db, files, cb, 'NV-09', text, NOW, 'telegram'))).toBe('Loại tệp này không được nhận: chỉ nhận ảnh, PDF, Word, Excel.');
    const noName = attachment(Buffer.from('GIF89a....'), { kind: 'photo' });
    expect(await message(addEvidence(db, files, cb, 'NV-09', noName, NOW, 'telegram'))).toBe('Loại tệp này không được nhận: chỉ nhận ảnh, PDF, Word, Excel.');
    const lying = attachment(SAMPLES.pdf, { fileName: 'anh.jpg' });
    expect(await message(addEvidence(db, files, cb, 'NV-09', lying, NOW, 'telegram'))).toBe(
      'Nội dung tệp không phải tệp .jpg như tên tệp ghi: chỉ nhận ảnh, PDF, Word, Excel đúng định dạng.',
    );
    expect(await message(addEvidence(db, files, cb, 'NV-09', attachment(Buffer.alloc(0)), NOW, 'telegram'))).toBe('Tệp gửi lên trống, không có nội dung. Hãy gửi lại tệp.');
    expect(await rows()).toEqual([]);
    expect(files.list()).toEqual([]);
  });

  it('every allowed type is taken, stored under its content type', async () => {
    const cb = await actor('CB-XA-AN');
    const names: Record<string, string> = { jpg: 'a.JPEG', png: 'a.png', webp: 'a.webp', heic: 'IMG_0001.HEIC', pdf: 'a.pdf', doc: 'a.doc', xls: 'a.xls', docx: 'a.docx', xlsx: 'a.xlsx' };
    for (const [ext, name] of Object.entries(names)) {
      const r = await addEvidence(db, files, cb, 'NV-09', attachment(SAMPLES[ext as keyof typeof SAMPLES], { fileName: name }), NOW, 'telegram');
      expect(r.evidence).toMatchObject({ ext, originalName: name, kind: 'document' });
    }
    expect(files.list()).toHaveLength(9);
  });
});

describe('stored once, listed, sent back', () => {
  it('the same photo twice on one task is kept once; on another task it shares the file', async () => {
    const cb = await actor('CB-XA-AN');
    const first = await addEvidence(db, files, cb, 'NV-09', attachment(SAMPLES.jpg, { kind: 'photo' }), NOW, 'telegram');
    expect(first.evidence).toMatchObject({ kind: 'photo', ext: 'jpg', mime: 'image/jpeg', originalName: null, officerId: cb.officerId, channel: 'telegram', at: NOW });
    const again = await addEvidence(db, files, cb, 'NV-09', attachment(SAMPLES.jpg, { kind: 'photo' }), NOW + 1000, 'zalo');
    expect(again).toMatchObject({ added: false, total: 1, text: 'Tệp này đã có trong minh chứng của nhiệm vụ NV-09 (1 minh chứng), không lưu thêm.' });
    await addEvidence(db, files, cb, 'NV-10', attachment(SAMPLES.jpg, { kind: 'photo' }), NOW, 'telegram');
    expect(await rows()).toHaveLength(2);
    expect(files.list()).toHaveLength(1);
    const nv09 = (await taskByCode(db, 'NV-09'))!;
    const nv10 = (await taskByCode(db, 'NV-10'))!;
    expect(Object.fromEntries(await evidenceCounts(db, [nv09.id, nv10.id, 999]))).toEqual({ [nv09.id]: 1, [nv10.id]: 1 });
    const listed = await listEvidence(db, nv09.id);
    expect(listed).toEqual([expect.objectContaining({ officerName: 'Đặng Thị Hoa', kind: 'photo', sha256: first.evidence.sha256 })]);
  });

  it('evidenceForSending: a header and each stored file by reference, to the unit, co-ordinators and chairs only', async () => {
    const cb = await actor('CB-XA-AN');
    expect((await evidenceForSending(db, files, cb, 'NV-09', { zone: ZONE })).replies).toEqual([
      { text: 'Nhiệm vụ NV-09 chưa có minh chứng. Gửi ảnh hoặc tệp kèm chú thích /minhchung NV-09 để thêm.' },
    ]);
    const photo = await addEvidence(db, files, cb, 'NV-09', attachment(SAMPLES.jpg, { kind: 'photo' }), NOW, 'telegram');
    const doc = await addEvidence(db, files, cb, 'NV-09', attachment(SAMPLES.docx, { fileName: 'Báo cáo.docx' }), NOW + 60_000, 'telegram');
    for (const code of ['CT-TINH', 'CB-XA-SON', 'CB-XA-AN']) {
      const r = await evidenceForSending(db, files, await actor(code), 'NV-09', { zone: ZONE });
      expect(r.replies).toEqual([
        { text: '📎 Minh chứng của nhiệm vụ NV-09 — Cập nhật danh sách hộ nghèo, hộ cận nghèo: 2 tệp.' },
        { text: '', file: { sha256: photo.evidence.sha256, ext: 'jpg', name: 'NV-09-minh-chung-1.jpg', kind: 'photo' } },
        { text: '', file: { sha256: doc.evidence.sha256, ext: 'docx', name: 'Báo cáo.docx', kind: 'document' } },
      ]);
    }
    expect(await message(evidenceForSending(db, files, await actor('CB-PH-TT'), 'NV-09', { zone: ZONE }))).toMatch(/^Nhiệm vụ NV-09 không thuộc đơn vị của anh\/chị/);
    // Only the newest `max`, and a file gone from the store is said, not sent.
    fs.rmSync(files.pathOf({ sha256: doc.evidence.sha256, ext: 'docx' }));
    const r = await evidenceForSending(db, files, cb, 'NV-09', { zone: ZONE, max: 1 });
    expect(r.replies).toEqual([
      { text: '📎 Minh chứng của nhiệm vụ NV-09 — Cập nhật danh sách hộ nghèo, hộ cận nghèo: 2 tệp, gửi 1 tệp mới nhất.\n(1 tệp không còn trong kho lưu trữ, không gửi được; hãy báo cán bộ quản trị.)' },
    ]);
  });
});

describe('the file before the row, the row in one transaction', () => {
  it('a row is never written for a file that is not in the store', async () => {
    const cb = await actor('CB-XA-AN');
    const staged = await stageAttachment(files, attachment(SAMPLES.png, { kind: 'photo' }));
    expect(files.has(staged, staged.size)).toBe(true);
    fs.rmSync(files.pathOf(staged));
    const task = (await taskByCode(db, 'NV-09'))!;
    await expect(recordEvidence(db, files, cb, task, staged, NOW, 'telegram')).rejects.toThrow(/not in the store/);
    expect(await rows()).toEqual([]);
  });

  it("inside a caller's transaction that rolls back, no row remains (the file may, unreferenced)", async () => {
    const cb = await actor('CB-XA-AN');
    const task = (await taskByCode(db, 'NV-09'))!;
    const staged = await stageAttachment(files, attachment(SAMPLES.pdf));
    await expect(
      db.tx(async (tx) => {
        await recordEvidence(tx, files, cb, task, staged, NOW, 'telegram');
        throw new Error('the command failed after');
      }),
    ).rejects.toThrow('the command failed after');
    expect(await rows()).toEqual([]);
    expect(files.has(staged)).toBe(true);
  });
});

describe('the evidence list in a task detail', () => {
  it('names, sizes, senders and local times, newest last', async () => {
    const { EVIDENCE_TEXTS } = await import('../../../src/app/evidence-texts.ts');
    const cb = await actor('CB-XA-AN');
    await addEvidence(db, files, cb, 'NV-09', attachment(Buffer.concat([SAMPLES.pdf, Buffer.alloc(3 * 1024)]), { fileName: 'Biên bản.pdf' }), NOW, 'telegram');
    await addEvidence(db, files, await actor('CB-XA-SON'), 'NV-09', attachment(SAMPLES.jpg, { kind: 'photo' }), NOW + 3_600_000, 'zalo');
    const task = (await taskByCode(db, 'NV-09'))!;
    expect(EVIDENCE_TEXTS.list(await listEvidence(db, task.id), ZONE)).toBe(
      [
        'Minh chứng (2):',
        `• Biên bản.pdf (${((SAMPLES.pdf.length + 3072) / 1024).toFixed(1).replace('.', ',')} KB), Đặng Thị Hoa, 23/11/2026 08:00`,
        `• ảnh (${SAMPLES.jpg.length} byte), Mai Thị Thu, 23/11/2026 09:00`,
      ].join('\n'),
    );
    expect(EVIDENCE_TEXTS.list([], ZONE)).toBe('Minh chứng: chưa có.');
  });
});
