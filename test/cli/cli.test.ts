import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-cli-'));
const env = { ...process.env, NHACVIEC_DB: path.join(dir, 'db', 'nv.db'), LOG_LEVEL: 'silent' };
const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

describe('the nhacviec command', () => {
  it('imports, reports as JSON on stdout alone, and refuses bad input with exit code 1', { timeout: 180_000 }, () => {
    const units = write('u.csv', 'code,name,parent\nTINH,UBND tỉnh,\nXA1,UBND xã A,TINH\n');
    expect(run('import', 'units', units)).toMatchObject({ code: 0, out: 'Đã nhập 2 đơn vị: 2 mới, 0 cập nhật.\n' });
    const tasks = write('t.csv', 'Mã,Nội dung,Đơn vị chủ trì,Cơ quan giao,Văn bản giao,Ngày giao,Hạn hoàn thành,Ngày hoàn thành\nNV-1,A,XA1,UBND tỉnh,KH 1,01/01/2026,15/01/2026,16/01/2026\n');
    expect(run('import', 'tasks', tasks).code).toBe(0);

    const json = run('report', '--format', 'json', '--as-of', '31/12/2026');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(parsed.totals).toEqual({ total: 1, doneOnTime: 0, doneLate: 1, overdue: 0, inProgress: 0, dueSoon: 0, awaitingConfirmation: 0, noDeadline: 0, suspended: 0 });
    expect(parsed.asOf).toBe('2026-12-31T23:59:59.999+07:00');
    expect(json.out.trim().split('\n')).toHaveLength(1);

    const xlsx = run('report', '--format', 'xlsx', '--out', 'bao-cao.xlsx', '--unit', 'tinh');
    expect(xlsx).toMatchObject({ code: 0, out: '', err: 'Đã ghi báo cáo vào bao-cao.xlsx.\n' });
    expect(fs.readFileSync(path.join(dir, 'bao-cao.xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect(run('report', '--unit', 'KHONGCO')).toMatchObject({ code: 1, err: 'Không có đơn vị mã KHONGCO. Kiểm tra lại mã đơn vị.\n' });
    expect(run('report', '--from', '02/01/2026', '--to', '01/01/2026').code).toBe(1);

    const bad = write('bad.csv', 'Mã,Nội dung,Đơn vị chủ trì,Cơ quan giao,Văn bản giao,Ngày giao,Hạn hoàn thành\nNV-2,B,XA1,,,01/01/2026,31/02/2026\n');
    const r = run('import', 'tasks', bad);
    expect(r.code).toBe(1);
    expect(r.err).toContain('dòng 2: Hạn hoàn thành: Ngày "31/02/2026" không hợp lệ');
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);

    expect(run('report', '--as-of', '31/02/2026')).toMatchObject({ code: 1 });
    expect(run('report', '--bogus').err).toContain("không có tùy chọn '--bogus'");
    expect(run('import', 'tasks', path.join(dir, 'nope.csv')).err).toContain('Không tìm thấy tệp');
  });

  it('explains itself in Vietnamese', { timeout: 30_000 }, () => {
    const h = run('--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('Cách dùng: nhacviec');
    expect(run('report', '--help').out).toContain('--assigned-by');
  });
});
