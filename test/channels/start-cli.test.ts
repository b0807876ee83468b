// `nhacviec start` as a real process: the no-token demo, .env loading, a clean stop on SIGTERM.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_TOKEN_HINT } from '../../src/cli/start.ts';
import { startFakeZalo, zaloText, type FakeZalo } from './helpers/fake-zalo.ts';
import { freePort } from '../helpers/net.ts';

const BIN = path.resolve(__dirname, '../../bin/nhacviec.mjs');

/** A free loopback port for each test's web server (PORT), so that no test needs 8080. */
let webPort = 0;
beforeEach(async () => {
  webPort = await freePort();
});

function cleanEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NHACVIEC_DB: path.join(dir, 'data', 'nv.db'), PORT: String(webPort) };
  for (const k of Object.keys(env)) if (/^(TELEGRAM|ZALO)_/.test(k)) delete env[k];
  return env;
}

let zalo: FakeZalo | undefined;
/** Bots a test started and may not have stopped (a failed test): killed after it. */
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await zalo?.close();
  zalo = undefined;
});

describe('nhacviec start', () => {
  it('with no token: one line on how to add a token, the web address and a sign-in link for the chair, then the console on a seeded demo database as the chair', { timeout: 60_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-start-'));
    const port = webPort;
    const r = spawnSync(process.execPath, [BIN, 'start'], { cwd: dir, env: { ...cleanEnv(dir), LOG_LEVEL: 'silent' }, input: '/viec\n/thoat\n', encoding: 'utf8' });
    expect(r.status).toBe(0);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(NO_TOKEN_HINT);
    expect(lines[1]).toBe(`Trang web: http://localhost:${port}`);
    expect(lines[2]).toMatch(new RegExp(`^Đăng nhập với tư cách Nguyễn Văn An \\(dùng một lần, trong 10 phút\\): http://localhost:${port}/dangnhap/[A-Za-z0-9_-]{43}$`));
    expect(lines).toHaveLength(3);
    expect(r.stdout).toContain('Chủ tịch UBND tỉnh');
    expect(r.stdout).toMatch(/NV-\d+/);
    expect(fs.existsSync(path.join(dir, 'data', 'demo.db'))).toBe(true);
    // The real database is left alone.
    expect(fs.existsSync(path.join(dir, 'data', 'nv.db'))).toBe(false);
  });

  it('reads the token from .env, answers on Zalo, stops cleanly on SIGTERM, and never logs the token', { timeout: 60_000 }, async () => {
    zalo = await startFakeZalo();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-start-'));
    fs.writeFileSync(path.join(dir, '.env'), `ZALO_BOT_TOKEN=${zalo.token}\nZALO_API_ROOT=${zalo.url}\nLOG_LEVEL=debug\n`);
    const child = spawn(process.execPath, [BIN, 'start'], { cwd: dir, env: cleanEnv(dir) });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    zalo.queue(zaloText('/trogiup', { userId: 'z-user', messageId: 'cli-1' }));
    await zalo.waitSent(1, 30_000);
    expect(zalo.sent[0].chat_id).toBe('z-user');
    expect(zalo.sent[0].text.length).toBeGreaterThan(0);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toContain('long polling');
    expect(stderr).not.toContain(zalo.token);
  });

  it('on SQLite a second start on the same file refuses with one sentence (exit 1); after a clean stop, or a kill, the next one starts at once', { timeout: 60_000 }, async () => {
    zalo = await startFakeZalo();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-start-'));
    const env = { ...cleanEnv(dir), ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.url, LOG_LEVEL: 'info' };
    const startOne = () => {
      const child = spawn(process.execPath, [BIN, 'start'], { cwd: dir, env });
      children.push(child);
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const polling = (async () => {
        // This process holds the Zalo poll lease.
        while (!stderr.split('\n').some((l) => l.includes('"lease":"poll:zalo"') && l.includes('took the lease'))) {
          if (child.exitCode !== null) throw new Error(`exited: ${stderr}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      return { child, exited, polling, stderr: () => stderr };
    };
    const first = startOne();
    await first.polling;
    const second = spawnSync(process.execPath, [BIN, 'start'], { cwd: dir, env, encoding: 'utf8' });
    expect(second.status).toBe(1);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`đang được một tiến trình nhacviec start khác dùng (máy ${os.hostname()}, PID ${first.child.pid})`);
    expect(lines[0]).toContain('PostgreSQL (NHACVIEC_DB=postgres://…)');
    expect(lines[0]).toMatch(/hãy chờ \d+ giây rồi chạy lại\.$/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const third = startOne();
    await third.polling;
    // Killed (a crash, an OOM kill): the next start takes the file and the poll lease over at once,
    // since the holder ran on this machine and its process is gone; no 30 s wait, no refusal.
    third.child.kill('SIGKILL');
    await third.exited;
    const fourth = startOne();
    await fourth.polling;
    expect(fourth.stderr()).not.toContain('Tệp dữ liệu');
    fourth.child.kill('SIGTERM');
    expect(await fourth.exited).toBe(0);
  });

  it('a SIGTERM while the channels are still starting stops cleanly once they are up', { timeout: 60_000 }, async () => {
    // A Zalo API whose getMe is held until the test lets it go.
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let getMeSeen!: () => void;
    const seen = new Promise<void>((r) => (getMeSeen = r));
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', async () => {
        const json = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.url?.endsWith('/getMe')) {
          getMeSeen();
          await released;
          return json(200, { ok: true, result: { id: 'bot1', account_name: 'Nhắc việc', account_type: 'BASIC', can_join_groups: true } });
        }
        if (req.url?.endsWith('/getUpdates')) await new Promise((r) => setTimeout(r, 200));
        json(200, { ok: false, error_code: 408, description: 'Request timeout' });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nv-start-'));
      const env = { ...cleanEnv(dir), ZALO_BOT_TOKEN: '1234567890:held-token-abc', ZALO_API_ROOT: url, LOG_LEVEL: 'info' };
      const child = spawn(process.execPath, [BIN, 'start'], { cwd: dir, env });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += c));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await seen;
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      release();
      expect(await exited).toBe(0);
      expect(stderr).toContain('đang dừng');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
