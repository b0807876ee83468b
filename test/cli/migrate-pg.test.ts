// `nhacviec migrate` on PostgreSQL: a server that cannot be reached gets one
// Vietnamese sentence; a real server (NHACVIEC_TEST_PG) is migrated and reported on.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { newPgTarget } from '../helpers/db.ts';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-cli-pg-'));

function run(db: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NHACVIEC_DB: db, LOG_LEVEL: 'silent' };
  delete env.NHACVIEC_DEBUG;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [BIN, ...args], { env, cwd: dir });
    let out = '';
    let err = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    p.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

const STACK = /\n\s+at .+[:(]\d+/;

describe('nhacviec migrate on PostgreSQL', () => {
  it('names the host in one Vietnamese sentence when the server cannot be reached, and exits 1', { timeout: 60_000 }, async () => {
    const r = await run('postgres://nobody:hunter22@127.0.0.1:1/x', 'migrate');
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('127.0.0.1:1');
    expect(r.err).toMatch(/^Không kết nối được máy chủ PostgreSQL/);
    expect(r.err).not.toMatch(STACK);
    expect(r.err).not.toContain('hunter22');
  });

  it('says so in one sentence when NHACVIEC_DB is not a URL it can use', { timeout: 60_000 }, async () => {
    const r = await run('postgres://nobody@[bad/x', 'migrate');
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).not.toMatch(STACK);
  });

  it.skipIf(!process.env.NHACVIEC_TEST_PG)('migrates a fresh server database, then reports on it', { timeout: 120_000 }, async () => {
    const target = await newPgTarget();
    try {
      const url = target.url;
      const name = new URL(url).pathname.slice(1);
      const m = await run(url, 'migrate');
      expect(m).toMatchObject({ code: 0, err: '' });
      expect(m.out).toContain('PostgreSQL');
      expect(m.out).toContain(name);
      expect(m.out).toContain('đã ở phiên bản mới nhất');
      // Migrating again changes nothing and says the same.
      expect(await run(url, 'migrate')).toMatchObject({ code: 0, out: m.out });
      const r = await run(url, 'report', '--format', 'json', '--as-of', '31/12/2026');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).totals).toEqual({ total: 0, doneOnTime: 0, doneLate: 0, overdue: 0, inProgress: 0, dueSoon: 0, awaitingConfirmation: 0, noDeadline: 0, suspended: 0 });
    } finally {
      await target.drop();
    }
  });
});
