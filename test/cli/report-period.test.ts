import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_DIR, ConfigError, loadConfig } from '../../src/config.ts';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-cli-period-'));
const env = { ...process.env, NHACVIEC_DB: path.join(dir, 'nv.db'), LOG_LEVEL: 'silent' };
const run = (extra: Record<string, string>, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...env, ...extra }, encoding: 'utf8', cwd: dir });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

describe('nhacviec report --period --cutoff', () => {
  it('moves the named period by the cutoff day and prints it in text and JSON', { timeout: 180_000 }, () => {
    expect(run({}, 'import', 'units', write('u.csv', 'code,name,parent\nTINH,UBND tỉnh,\nXA1,UBND xã A,TINH\n')).code).toBe(0);
    const tasks = write(
      't.csv',
      'Mã,Nội dung,Đơn vị chủ trì,Cơ quan giao,Văn bản giao,Ngày giao,Hạn hoàn thành\n' +
        'NV-1,A,XA1,UBND tỉnh,KH 1,14/08/2026,30/12/2026\n' +
        'NV-2,B,XA1,UBND tỉnh,KH 1,15/08/2026,30/12/2026\n' +
        'NV-3,C,XA1,UBND tỉnh,KH 1,14/09/2026,30/12/2026\n' +
        'NV-4,D,XA1,UBND tỉnh,KH 1,15/09/2026,30/12/2026\n',
    );
    expect(run({}, 'import', 'tasks', tasks).code).toBe(0);

    // 15/08..14/09: NV-2 and NV-3; the calendar month 09/2026: NV-3 and NV-4.
    const moved = JSON.parse(run({}, 'report', '--period', 'thang 9/2026', '--cutoff', '15', '--format', 'json', '--as-of', '30/11/2026').out);
    expect(moved.totals.total).toBe(2);
    expect(moved.period).toEqual({ label: 'tháng 9/2026', from: '15/08/2026', to: '14/09/2026', cutoffDay: 15 });
    expect(moved.from).toBe('2026-08-15T00:00:00.000+07:00');
    const calendar = JSON.parse(run({}, 'report', '--period', 'thang 9/2026', '--format', 'json', '--as-of', '30/11/2026').out);
    expect(calendar.period).toEqual({ label: 'tháng 9/2026', from: '01/09/2026', to: '30/09/2026', cutoffDay: null });
    expect(calendar.totals.total).toBe(2);

    // The config's reportCutoffDay applies without --cutoff; --cutoff 1 goes back to the calendar.
    const conf = path.join(dir, 'conf');
    fs.mkdirSync(conf);
    const json = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, 'default.json'), 'utf8'));
    fs.writeFileSync(path.join(conf, 'default.json'), JSON.stringify({ ...json, reportCutoffDay: 15 }));
    const text = run({ NHACVIEC_CONFIG: conf }, 'report', '--period', 'quy 3/2026', '--as-of', '30/11/2026');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Kỳ báo cáo: quý 3/2026 (từ 15/06/2026 đến 14/09/2026); số liệu tính đến hết ngày 30/11/2026.');
    const back = JSON.parse(run({ NHACVIEC_CONFIG: conf }, 'report', '--period', 'quy 3/2026', '--cutoff', '1', '--format', 'json', '--as-of', '30/11/2026').out);
    expect(back.period).toEqual({ label: 'quý 3/2026', from: '01/07/2026', to: '30/09/2026', cutoffDay: null });

    // Without a period the report says which tasks it counts; the JSON keeps its keys.
    const all = JSON.parse(run({}, 'report', '--format', 'json', '--as-of', '30/11/2026').out);
    expect(all.period).toEqual({ label: null, from: null, to: '30/11/2026', cutoffDay: null });
    expect(Object.keys(all)).toEqual(['asOf', 'from', 'to', 'period', 'totals', 'units']);
  });

  it('refuses a bad cutoff, a cutoff without a period, and a period with dates, in one sentence', { timeout: 60_000 }, () => {
    for (const c of ['0', '29', '31', 'abc']) {
      const r = run({}, 'report', '--period', 'thang 9/2026', '--cutoff', c);
      expect(r.code, c).toBe(1);
      expect(r.err, c).toBe(
        `Ngày chốt số liệu "${c}" không hợp lệ: hãy dùng một số từ 1 đến 28 (ví dụ 15: tháng 9 tính từ 15/08 đến 14/09; 1 là tháng dương lịch).\n`,
      );
    }
    expect(run({}, 'report', '--cutoff', '15').err).toBe('--cutoff chỉ dùng kèm --period, ví dụ: --period "thang 9" --cutoff 15.\n');
    expect(run({}, 'report', '--period', 'quy 1', '--from', '01/01/2026').err).toBe('Dùng --period hoặc --from/--to, không dùng cả hai.\n');
  });

  it('reads reportCutoffDay from the config: null by default, 1..28 accepted, 0 and 29–31 refused in one sentence', () => {
    expect(loadConfig({}).reportCutoffDay).toBeNull();
    const json = JSON.parse(fs.readFileSync(path.join(CONFIG_DIR, 'default.json'), 'utf8'));
    const withCutoff = (n: number) => {
      const d = fs.mkdtempSync(path.join(dir, 'c-'));
      fs.writeFileSync(path.join(d, 'default.json'), JSON.stringify({ ...json, reportCutoffDay: n }));
      return () => loadConfig({ NHACVIEC_CONFIG: d });
    };
    expect(withCutoff(15)().reportCutoffDay).toBe(15);
    expect(withCutoff(28)().reportCutoffDay).toBe(28);
    for (const n of [0, 29, 31]) {
      expect(withCutoff(n)).toThrow(ConfigError);
      expect(withCutoff(n)).toThrow(/reportCutoffDay: ngày chốt số liệu phải từ 1 đến 28/);
    }
  });
});
