import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../../src/db/open.ts';
import { newPgTarget, testEngine } from '../../helpers/db.ts';

// The real command in a child process, on a database of its own: a temporary SQLite file, or
// on PostgreSQL a server database (NHACVIEC_TEST_PG) or an embedded PGlite in a folder.
const ROOT = path.resolve(__dirname, '../../..');
const FIX = path.join(ROOT, 'test/fixtures/import');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-import-cli-'));
let target = path.join(dir, 'nv.db');
let drop = async () => {};
beforeAll(async () => {
  if (testEngine() === 'postgres') {
    const pg = process.env.NHACVIEC_TEST_PG ? await newPgTarget() : { url: `pglite:${path.join(dir, 'pg')}`, drop: async () => {} };
    target = pg.url;
    drop = pg.drop;
  }
});
afterAll(() => drop());
const run = (...args: string[]) => {
  const env = { ...process.env, NHACVIEC_DB: target, LOG_LEVEL: 'silent' };
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts'), 'import', ...args], { env, encoding: 'utf8', cwd: ROOT });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const fixture = (name: string) => path.join(FIX, name);
const taskCount = async () => {
  const db = await openDb(target, { migrate: false });
  try {
    const [r] = await db.orm.select({ n: count() }).from(db.t.tasks);
    return r.n;
  } finally {
    await db.close();
  }
};

const cooperatorCount = async () => {
  const db = await openDb(target, { migrate: false });
  try {
    const [r] = await db.orm.select({ n: count() }).from(db.t.taskCooperators);
    return r.n;
  } finally {
    await db.close();
  }
};

describe('nhacviec import', () => {
  it('imports, re-imports without duplicates, and refuses bad files with one Vietnamese message and exit code 1', { timeout: 240_000 }, async () => {
    expect(run('units', fixture('units.csv'))).toMatchObject({ code: 0, out: 'Đã nhập 3 đơn vị: 3 mới, 0 cập nhật.\n' });
    expect(run('tasks', fixture('tasks.csv'), '--dry-run')).toMatchObject({ code: 0, out: 'Kiểm tra xong, không ghi gì: 3 nhiệm vụ hợp lệ.\n' });
    expect(await taskCount()).toBe(0);
    expect(run('tasks', fixture('tasks.csv'))).toMatchObject({ code: 0, out: 'Đã nhập 3 nhiệm vụ: 3 mới, 0 cập nhật.\n', err: '' });
    expect(run('tasks', fixture('tasks.csv'))).toMatchObject({ code: 0, out: 'Đã nhập 3 nhiệm vụ: 0 mới, 3 cập nhật.\n' });
    expect(await taskCount()).toBe(3);

    const bad = run('tasks', fixture('tasks-bad.csv'));
    expect(bad.code).toBe(1);
    expect(bad.out).toBe('');
    expect(bad.err.split('\n').filter((l) => l.startsWith('dòng '))).toEqual([
      'dòng 2: Hạn hoàn thành: Ngày "31/02/2026" không hợp lệ: tháng 2/2026 chỉ có 28 ngày.',
      'dòng 3: Đơn vị chủ trì: không có đơn vị mã XA9',
      'dòng 4: Mã: mã NV-10 bị trùng với dòng 2',
    ]);
    expect(await taskCount()).toBe(3);

    const failures: [string[], RegExp][] = [
      [['tasks', fixture('binary.csv')], /không phải tệp văn bản CSV/],
      [['tasks', fixture('empty.csv')], /trống/],
      [['units', fixture('tasks.csv')], /Thiếu cột "Tên đơn vị"/],
    ];
    for (const [args, message] of failures) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(await taskCount()).toBe(3);

    // The confirmation, co-operating units and assignee columns: a wrong cell refuses the file; right ones are written.
    const badAssign = run('tasks', fixture('tasks-assign-bad.csv'));
    expect(badAssign.code).toBe(1);
    expect(badAssign.err.split('\n').filter((l) => l.startsWith('dòng '))).toEqual([
      'dòng 2: Cần xác nhận: "chắc có" không hợp lệ: ghi "có" hoặc "không" (yes/no, 1/0, x), để trống thì theo mặc định',
      'dòng 3: Đơn vị phối hợp: không có đơn vị mã XA9',
      'dòng 3: Đơn vị phối hợp: XA1 là đơn vị chủ trì, không thể đồng thời là đơn vị phối hợp',
      'dòng 4: Người thực hiện: không có cán bộ mã CB9',
    ]);
    expect(await taskCount()).toBe(3);
    expect(run('tasks', fixture('tasks-assign.csv'))).toMatchObject({ code: 0, out: 'Đã nhập 2 nhiệm vụ: 1 mới, 1 cập nhật.\n' });
    expect(await cooperatorCount()).toBe(3);
  });

  it('explains itself in Vietnamese', { timeout: 30_000 }, () => {
    const help = run('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Cách dùng: nhacviec import');
    expect(help.out).toContain('chỉ kiểm tra, không ghi gì');
  });
});
