// `report recurring` through commander, against a temporary database file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { DateTime } from 'luxon';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createRule } from '../../src/app/recurring/create.ts';
import { closeContext } from '../../src/cli/context.ts';
import { registerRecurringReport } from '../../src/cli/report-recurring.ts';
import { openDb } from '../../src/db/open.ts';
import { newPgTarget, testEngine } from '../helpers/db.ts';

const ZONE = 'Asia/Ho_Chi_Minh';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-rr-'));
const file = path.join(dir, 'db.sqlite');

let drop = async () => {};

afterAll(async () => {
  await closeContext();
  await drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('nhacviec report recurring', () => {
  it('prints the yearly table as JSON and refuses a bad year in Vietnamese', async () => {
    // The SQLite file, or (run on PostgreSQL) a database of its own, kept in a folder when embedded.
    let target = file;
    if (testEngine() === 'postgres') {
      const t = await newPgTarget();
      drop = t.drop;
      target = t.url === 'pglite:' ? `pglite:${path.join(dir, 'pg')}` : t.url;
    }
    const db = await openDb(target);
    await db.orm.insert(db.t.units).values({ code: 'XA-AN', name: 'UBND xã An', path: '/1/' });
    const now = DateTime.fromISO('2025-01-02T08:00', { zone: ZONE }).toMillis();
    await createRule(db, { code: 'BC-THANG', unitCode: 'XA-AN', title: 'Báo cáo tháng', ruleText: 'hằng tháng ngày 20', assignedBy: '' }, now, {
      zone: ZONE,
      calendar: { holidays: [], makeUpDays: [] },
    });
    await db.close();
    vi.stubEnv('NHACVIEC_DB', target);
    vi.stubEnv('NHACVIEC_TZ', ZONE);
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    const program = new Command('nhacviec').exitOverride();
    registerRecurringReport(program.command('report'));
    await program.parseAsync(['report', 'recurring', '--year', '2025', '--as-of', '25/02/2025', '--format', 'json'], { from: 'user' });
    spy.mockRestore();
    const json = JSON.parse(out.join(''));
    expect(json.rows).toEqual([
      expect.objectContaining({ ruleCode: 'BC-THANG', unitCode: 'XA-AN', total: 2, overdue: 2, doneOnTime: 0, inProgress: 0 }),
    ]);
    await expect(program.parseAsync(['report', 'recurring', '--year', 'abc'], { from: 'user' })).rejects.toThrow(/Năm "abc" không hợp lệ/);
    vi.unstubAllEnvs();
  });
});
