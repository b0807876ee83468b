// `npm run proof`: runs every suite in proof/suites (each file exports
// `run(): Promise<Record<string, number>>`), one after the other, and prints ONE
// JSON line on stdout merging their figures, plus `durationMs`; progress goes to
// stderr. `npm run proof -- crash fuzz` runs only the suites named. A suite that
// throws is reported on stderr and counted in `suiteErrors`; the others still run.
// The exit code is 1 when a suite threw or a figure breaks a check of lib/verdict.ts.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { failedChecks } from './lib/verdict.ts';

type Suite = () => Promise<Record<string, number>>;

const SUITES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'suites');

const available = fs
  .readdirSync(SUITES_DIR)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
  .map((f) => f.slice(0, -'.ts'.length))
  .sort();
const asked = process.argv.slice(2).filter((a) => a !== '--');
const unknown = asked.filter((a) => !available.includes(a));
if (unknown.length > 0) {
  process.stderr.write(`Không có bộ kiểm chứng: ${unknown.join(', ')}. Có: ${available.join(', ')}\n`);
  process.exit(2);
}
const names = asked.length > 0 ? available.filter((n) => asked.includes(n)) : available;

const t0 = performance.now();
const figures: Record<string, number> = {};
let suiteErrors = 0;
for (const name of names) {
  const s0 = performance.now();
  process.stderr.write(`${name}: bắt đầu\n`);
  try {
    const mod = (await import(pathToFileURL(path.join(SUITES_DIR, `${name}.ts`)).href)) as { run?: Suite };
    if (typeof mod.run !== 'function') throw new Error(`${name}.ts does not export run()`);
    Object.assign(figures, await mod.run());
  } catch (e) {
    suiteErrors++;
    process.stderr.write(`${name}: LỖI ${(e as Error)?.stack ?? String(e)}\n`);
  }
  process.stderr.write(`${name}: ${Math.round((performance.now() - s0) / 1000)} s\n`);
}
figures.suiteErrors = suiteErrors;
figures.durationMs = Math.round(performance.now() - t0);
process.stdout.write(`${JSON.stringify(figures)}\n`);
const failed = failedChecks(figures);
for (const f of failed) process.stderr.write(`KHÔNG ĐẠT: ${f}\n`);
// Suites may leave sockets or timers behind; the line is out, so end here.
process.exit(suiteErrors > 0 || failed.length > 0 ? 1 : 0);
