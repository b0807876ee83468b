// `nhacviec start` as a real child process (bin/nhacviec.mjs, through tsx), with
// only the environment the proof gives it, and its log appended to a file.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/nhacviec.mjs');

export interface BotProcess {
  child: ChildProcess;
  startedAt: number;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** True until the process has exited. */
  alive(): boolean;
}

/** The parent's environment without any nhacviec, Telegram or Zalo setting, plus `env`. */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(NHACVIEC_|TELEGRAM_|ZALO_|LOG_LEVEL$|PORT$)/.test(k)) out[k] = v;
  return { ...out, ...env };
}

/**
 * Starts `nhacviec start` in `cwd` (a folder without .env, so nothing but `env` configures it).
 */
export function startBot(cwd: string, env: Record<string, string>, logFile: string): BotProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [BIN, 'start'], { cwd, env: childEnv(env), stdio: ['ignore', log, log] });
  fs.closeSync(log);
  let alive = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    });
  });
  return { child, startedAt: Date.now(), exited, alive: () => alive };
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. Returns how it ended. */
export async function stopBot(p: BotProcess, graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; forced: boolean }> {
  if (!p.alive()) return { ...(await p.exited), forced: false };
  p.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), graceMs)));
  const first = await Promise.race([p.exited, timedOut]);
  clearTimeout(timer);
  if (first !== 'timeout') return { ...first, forced: false };
  p.child.kill('SIGKILL');
  return { ...(await p.exited), forced: true };
}
