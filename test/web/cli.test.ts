// `nhacviec web` serves the pages alone; `nhacviec web-link --as` prints a link that signs in there.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/net.ts';
import { sessionCookieOf } from './helpers.ts';
import { SESSION_COOKIE } from '../../src/web/session.ts';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function env(dir: string, port: number): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, NHACVIEC_DB: path.join(dir, 'nv.db'), PORT: String(port), LOG_LEVEL: 'silent' };
  for (const k of Object.keys(e)) if (/^(TELEGRAM|ZALO)_|^PUBLIC_URL$/.test(k)) delete e[k];
  return e;
}

describe('nhacviec web and web-link', () => {
  it('serves the pages on --port, prints the address; a printed link signs the officer in; SIGTERM stops it', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-web-'));
    const port = await freePort();
    expect(spawnSync(process.execPath, [BIN, 'demo'], { cwd: dir, env: env(dir, port), encoding: 'utf8' }).status).toBe(0);

    const child = spawn(process.execPath, [BIN, 'web', '--port', String(port), '--host', '127.0.0.1'], { cwd: dir, env: env(dir, port) });
    children.push(child);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    for (let i = 0; i < 300 && !out.includes('\n'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(out.split('\n')[0]).toBe(`Trang web: http://localhost:${port}`);

    const linked = spawnSync(process.execPath, [BIN, 'web-link', '--as', 'ct-tinh'], { cwd: dir, env: env(dir, port), encoding: 'utf8' });
    expect(linked.status).toBe(0);
    const url = linked.stdout.trim();
    expect(url).toMatch(new RegExp(`^http://localhost:${port}/dangnhap/[A-Za-z0-9_-]{43}$`));
    expect(linked.stderr).toContain('Nguyễn Văn An (CT-TINH)');

    const res = await fetch(`http://127.0.0.1:${port}${new URL(url).pathname}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const home = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: `${SESSION_COOKIE}=${sessionCookieOf(res)}` } });
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('Nguyễn Văn An');

    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('web-link for an unknown officer: one sentence, exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-web-'));
    const r = spawnSync(process.execPath, [BIN, 'web-link', '--as', 'KHONG-CO'], { cwd: dir, env: env(dir, 8080), encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Không có cán bộ mã KHONG-CO. Kiểm tra lại mã (ví dụ: --as CT-TINH).');
    expect(r.stdout).toBe('');
  });

  it('a port in use: one sentence, exit 1', { timeout: 30_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-web-'));
    const net = await import('node:net');
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    try {
      const r = spawnSync(process.execPath, [BIN, 'web', '--port', String(port), '--host', '127.0.0.1'], { cwd: dir, env: env(dir, port), encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`Cổng ${port} đang được một chương trình khác dùng: dừng chương trình đó hoặc đặt PORT khác (ví dụ PORT=8081).`);
    } finally {
      blocker.close();
    }
  });
});
