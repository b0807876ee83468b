// `npm run bench`: builds a synthetic province in a temporary database and prints
// ONE JSON line of figures. Sizes can be lowered for a quick look:
// BENCH_TASKS=100000 npm run bench
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDb } from '../src/db/open.ts';
import { buildProvince } from './province.ts';
import { round } from './stats.ts';
import { coreSuite } from './suites/core.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 5000);
const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nhacviec-bench-'));
try {
  const db = openDb(path.join(dir, 'bench.db'));
  const now = Date.parse('2026-11-22T01:00:00Z');
  const built = buildProvince(db, UNITS, TASKS, now);
  const figures: Record<string, number> = { ...coreSuite(db, built) };
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  figures.peakRssMb = round(peakRss / 1024 / 1024);
  process.stdout.write(`${JSON.stringify(figures)}\n`);
  db.$client.close();
} finally {
  clearInterval(sampler);
  fs.rmSync(dir, { recursive: true, force: true });
}
