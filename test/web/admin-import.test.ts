// /nhap over HTTP: a dry run lists every bad row and writes nothing; a good file is
// written only after the confirmation, all of it; the confirmation trusts only a token
// of the same session, once, within the hour; CSRF on both POSTs.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { loadExcelJs } from '../../src/excel.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { unitByCode } from '../../src/db/units.repo.ts';
import { startWeb, type Browser, type WebTarget } from './helpers.ts';

let w: WebTarget;
afterEach(async () => {
  await w?.stop();
});

async function count(table: 'units' | 'officers' | 'tasks'): Promise<number> {
  const r = await w.db.one<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`);
  return Number(r?.n ?? 0);
}

/** Uploads a file as the form does (multipart), with the session's CSRF token unless told otherwise. */
async function upload(b: Browser, kind: string, name: string, content: string | Uint8Array<ArrayBuffer>, opts: { csrf?: boolean } = {}): Promise<Response> {
  const form = new FormData();
  if (opts.csrf !== false) form.set('_csrf', await b.csrf());
  form.set('loai', kind);
  form.set('tep', new Blob([content]), name);
  return b.get('/nhap', { method: 'POST', body: form });
}

const tokenOf = (page: string) => /name="phieu" value="([^"]+)"/.exec(page)?.[1];

const UNITS_BAD = ['Mã,Tên đơn vị,Đơn vị cấp trên,Loại', 'XA-MOI,UBND xã Mới,TINH,xã', 'XA-LOI,UBND xã Lỗi,KHONG-CO,xã', ',Thiếu mã,TINH,xã'].join('\n');
const OFFICERS_GOOD = ['code,full_name,unit,role,title', 'CB-MOI-1,Nguyễn Văn Mới,XA-AN,officer,Công chức', 'CB-MOI-2,Trần Thị Hai,XA-SON,head,Chủ tịch UBND xã'].join('\n');

describe('/nhap: dry run, then confirm', () => {
  it('a file with bad rows: every bad row as "dòng N: cột: lý do", no confirm button, nothing written', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = await count('units');
    const res = await upload(admin, 'units', 'don-vi.csv', UNITS_BAD);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('Không nhập gì');
    expect(page).toContain('dòng 3: Đơn vị cấp trên: không có đơn vị mã KHONG-CO');
    expect(page).toContain('dòng 4: Mã: thiếu mã đơn vị');
    expect(page).not.toContain('name="phieu"');
    expect(await count('units')).toBe(before);
    expect(await unitByCode(w.db, 'XA-MOI')).toBeUndefined();
  });

  it('a good file: the dry run shows the count and the rows and writes nothing; the confirmation writes all, once', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = await count('officers');
    const res = await upload(admin, 'officers', 'can-bo.csv', OFFICERS_GOOD);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toContain('Kiểm tra xong, chưa ghi gì: tệp can-bo.csv có 2 cán bộ hợp lệ');
    expect(page).toContain('Nguyễn Văn Mới');
    expect(page).toContain('Trần Thị Hai');
    expect(await count('officers')).toBe(before);
    const token = tokenOf(page)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const done = await admin.post('/nhap/xacnhan', { phieu: token });
    expect(done.status).toBe(303);
    const where = done.headers.get('location')!;
    expect(where).toBe(`/nhap/ketqua/${token}`);
    expect(await count('officers')).toBe(before + 2);
    expect((await officerByCode(w.db, 'CB-MOI-2'))?.role).toBe('head');
    const result = await (await admin.get(where)).text();
    expect(result).toContain('Đã nhập 2 cán bộ từ tệp can-bo.csv: 2 mới, 0 cập nhật.');

    // A second confirmation (a double click, a replay) imports nothing more.
    const again = await admin.post('/nhap/xacnhan', { phieu: token });
    expect(again.status).toBe(400);
    expect(await count('officers')).toBe(before + 2);
  });

  it('an .xlsx file is read the same way (the first sheet)', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const wb = new (await loadExcelJs()).Workbook();
    const ws = wb.addWorksheet('Đơn vị');
    ws.addRow(['Mã', 'Tên đơn vị', 'Đơn vị cấp trên']);
    ws.addRow(['XA-XLSX', 'UBND xã Trang Tính', 'TINH']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const before = await count('units');
    const page = await (await upload(admin, 'units', 'don vi.xlsx', bytes)).text();
    expect(page).toContain('1 đơn vị hợp lệ');
    expect(page).toContain('UBND xã Trang Tính');
    expect(await count('units')).toBe(before);
    const done = await admin.post('/nhap/xacnhan', { phieu: tokenOf(page)! });
    expect(done.status).toBe(303);
    expect((await unitByCode(w.db, 'XA-XLSX'))?.name).toBe('UBND xã Trang Tính');
    expect(await count('units')).toBe(before + 1);
  });

  it('a file without a required column, an empty file, another extension: one sentence, the form again, nothing written', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = await count('officers');
    const missing = await upload(admin, 'officers', 'thieu.csv', 'code,full_name\nCB-X,Tên');
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain('Thiếu cột');
    const empty = await upload(admin, 'officers', 'trong.csv', '');
    expect(empty.status).toBe(400);
    const pdf = await upload(admin, 'officers', 'bang.pdf', 'x');
    expect(pdf.status).toBe(400);
    expect(await pdf.text()).toContain('chỉ nhận tệp .csv hoặc .xlsx');
    expect(await count('officers')).toBe(before);
  });
});

describe('/nhap: the confirmation trusts only its own upload', () => {
  it('without a dry run, with a forged token, or with a path: refused, nothing written', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = await count('officers');
    for (const phieu of ['', 'A'.repeat(32), '../../etc/passwd', 'x'.repeat(500)]) {
      const res = await admin.post('/nhap/xacnhan', { phieu });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('Hãy tải tệp lên và kiểm tra lại');
    }
    expect(await count('officers')).toBe(before);
  });

  it("another session's token (even the same admin's) is refused", async () => {
    w = await startWeb();
    const first = await w.signIn('QT-AN');
    const token = tokenOf(await (await upload(first, 'officers', 'can-bo.csv', OFFICERS_GOOD)).text())!;
    const second = await w.signIn('QT-AN');
    const before = await count('officers');
    expect((await second.post('/nhap/xacnhan', { phieu: token })).status).toBe(400);
    expect(await count('officers')).toBe(before);
    // The owner still may; the other session cannot read the result either.
    expect((await first.post('/nhap/xacnhan', { phieu: token })).status).toBe(303);
    expect((await second.get(`/nhap/ketqua/${token}`)).status).toBe(404);
    expect(await count('officers')).toBe(before + 2);
  });

  it('after an hour the upload is gone', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const token = tokenOf(await (await upload(admin, 'officers', 'can-bo.csv', OFFICERS_GOOD)).text())!;
    const before = await count('officers');
    w.clock.advance(61 * 60_000);
    // Stay signed in (sessions expire after 12 idle hours).
    const res = await admin.post('/nhap/xacnhan', { phieu: token });
    expect(res.status).toBe(400);
    expect(await count('officers')).toBe(before);
  });

  it('without the CSRF token both POSTs answer 403 and nothing is written', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const before = await count('officers');
    const up = await upload(admin, 'officers', 'can-bo.csv', OFFICERS_GOOD, { csrf: false });
    expect(up.status).toBe(403);
    const token = tokenOf(await (await upload(admin, 'officers', 'can-bo.csv', OFFICERS_GOOD)).text())!;
    expect((await admin.post('/nhap/xacnhan', { phieu: token }, { csrf: false })).status).toBe(403);
    expect((await admin.post('/nhap/xacnhan', { phieu: token }, { csrf: 'gia-mao' })).status).toBe(403);
    expect(await count('officers')).toBe(before);
    // The token is still good for a real confirmation.
    expect((await admin.post('/nhap/xacnhan', { phieu: token })).status).toBe(303);
    expect(await count('officers')).toBe(before + 2);
  });

  it('the data changed between the dry run and the confirmation: nothing written, the rows said', async () => {
    w = await startWeb();
    const admin = await w.signIn('QT-AN');
    const csv = ['code,full_name,unit,role', 'CB-DOI,Lê Văn Đổi,XA-TAM,officer'].join('\n');
    // The unit exists at the dry run…
    const units = await upload(admin, 'units', 'u.csv', 'code,name,parent\nXA-TAM,UBND xã Tạm,TINH');
    expect((await admin.post('/nhap/xacnhan', { phieu: tokenOf(await units.text())! })).status).toBe(303);
    const token = tokenOf(await (await upload(admin, 'officers', 'o.csv', csv)).text())!;
    // …and is renamed away before the confirmation.
    await w.db.run(sql`UPDATE units SET code = 'XA-TAM-CU' WHERE code = 'XA-TAM'`);
    const before = await count('officers');
    const res = await admin.post('/nhap/xacnhan', { phieu: token });
    expect(res.status).toBe(303);
    const page = await (await admin.get(res.headers.get('location')!)).text();
    expect(page).toContain('Không nhập gì');
    expect(page).toContain('dòng 2: unit: không có đơn vị mã XA-TAM');
    expect(await count('officers')).toBe(before);
  });
});
