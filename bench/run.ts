// `npm run bench`: builds a synthetic province in a database of its own and prints
// ONE JSON line of figures on stdout (progress goes to stderr). The engine:
//   BENCH_DB unset              a temporary SQLite file (removed at the end)
//   BENCH_DB=postgres://…/db    a fresh database on that server, made for the run and
//                               dropped at the end (the named database is only used to
//                               create and drop it)
// Each suite in `suites` adds its keys to that line, in order (the chat suite writes
// to the province, so it comes after the suites that read it as built; the scheduler
// builds its own tick database). Sizes can be lowered for a quick look:
// BENCH_TASKS=100000 npm run bench
import { openDb, type Db } from '../src/db/open.ts';
import { importFloor } from './import-floor.ts';
import { PhasePeaks } from './memory.ts';
import { buildProvince } from './province.ts';
import { scratchDatabases } from './scratch-db.ts';
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
const BATCH = Number(process.env.BENCH_BATCH ?? 50_000);
const secs = (t0: number) => Math.round((performance.now() - t0) / 1000);

const scratch = await scratchDatabases(process.env.BENCH_DB || undefined, 'nhacviec_bench');
let db: Db | undefined;
try {
  process.stderr.write(`bench on ${scratch.engine}: ${scratch.where}\n`);
  const target = await scratch.fresh('province');
  db = await openDb(target);
  const now = Date.parse('2026-11-22T01:00:00Z');
  const peaks = new PhasePeaks();
  const t0 = performance.now();
  peaks.start();
  const built = await buildProvince(db, UNITS, TASKS, now, {
    batch: BATCH,
    onBatch: (done) => {
      process.stderr.write(`\rđã nhập ${done}/${TASKS} nhiệm vụ`);
    },
  });
  const importPeakRssMb = peaks.end();
  process.stderr.write(`\ndựng dữ liệu: ${secs(t0)} s, đỉnh RSS ${importPeakRssMb} MB\n`);

  const f0 = performance.now();
  peaks.start();
  const floor = await importFloor(db, scratch, BATCH);
  process.stderr.write(`import floor: ${secs(f0)} s, đỉnh RSS ${peaks.end()} MB\n`);
  if (db.native.engine === 'postgres') {
    // What autovacuum does within a minute or so of a large import (statistics for the
    // planner, the visibility map for index-only scans), done now so that every run
    // measures that steady state rather than a race with the daemon.
    const v0 = performance.now();
    await db.native.query('VACUUM ANALYZE');
    process.stderr.write(`vacuum analyze: ${secs(v0)} s\n`);
  }

  const figures: Record<string, number | string> = { engine: scratch.engine };
  for (const [name, suite] of suites) {
    const s0 = performance.now();
    peaks.start();
    Object.assign(figures, await suite({ db, target, built, importFloor: floor, now, scratch }));
    process.stderr.write(`${name}: ${secs(s0)} s, đỉnh RSS ${peaks.end()} MB\n`);
  }
  // importPeakRssMb: the process's RSS peak while the province was built (units and tasks through
  // the real import path, rows generated one BENCH_BATCH file at a time; what start-up left
  // resident counts, start-up's own peak does not). peakRssMb: the whole process's peak, every
  // suite included. Both from the kernel's high-water mark (bench/memory.ts). On PostgreSQL
  // they are this process's alone, not the server's.
  figures.importPeakRssMb = importPeakRssMb;
  figures.peakRssMb = peaks.total;
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await db?.close();
  await scratch.cleanup();
}
