// `npm run bench`: builds a synthetic province in a temporary database file and
// prints ONE JSON line of figures on stdout (progress goes to stderr). Each
// suite in `suites` adds its keys to that line, in order (a suite may be async;
// the chat suite writes to the province, so it comes after the suites that read it
// as built; the scheduler builds its own tick database). Sizes can be lowered for
// a quick look: BENCH_TASKS=100000 npm run bench
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/db/open.ts';
import { PhasePeaks } from './memory.ts';
import { buildProvince } from './province.ts';
import { chatSuite } from './suites/chat.ts';
import { coreSuite } from './suites/core.ts';
import { schedulerSuite } from './suites/scheduler.ts';
import type { Suite } from './suites/suite.ts';

const suites: [string, Suite][] = [
  ['core', coreSuite],
  ['chat', chatSuite],
  ['scheduler', schedulerSuite],
];

const UNITS = Number(process.env.BENCH_UNITS ?? 5000);
const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-bench-'));
try {
  const db = openDb(path.join(dir, 'bench.db'));
  const now = Date.parse('2026-11-22T01:00:00Z');
  const peaks = new PhasePeaks();
  const t0 = performance.now();
  peaks.start();
  const built = buildProvince(db, UNITS, TASKS, now, {
    onBatch: (done) => {
      process.stderr.write(`\rđã nhập ${done}/${TASKS} nhiệm vụ`);
    },
  });
  const importPeakRssMb = peaks.end();
  process.stderr.write(`\ndựng dữ liệu: ${Math.round((performance.now() - t0) / 1000)} s, đỉnh RSS ${importPeakRssMb} MB\n`);
  const figures: Record<string, number> = {};
  for (const [name, suite] of suites) {
    const s0 = performance.now();
    peaks.start();
    Object.assign(figures, await suite({ db, built, now }));
    process.stderr.write(`${name}: ${Math.round((performance.now() - s0) / 1000)} s, đỉnh RSS ${peaks.end()} MB\n`);
  }
  // importPeakRssMb: the process's RSS peak while the province was built (units and tasks through
  // the real import path, rows generated one BENCH_BATCH file at a time; what start-up left
  // resident counts, start-up's own peak does not). peakRssMb: the whole process's peak, every
  // suite included. Both from the kernel's high-water mark (bench/memory.ts).
  figures.importPeakRssMb = importPeakRssMb;
  figures.peakRssMb = peaks.total;
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  db.$client.close();
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
