// A benchmark suite: given the built province, returns figures merged into the one JSON line.
// Suites are async (the data layer is; the scheduler's drain runs in real time).
import type { Db } from '../../src/db/open.ts';
import type { BuiltProvince } from '../province.ts';
import type { Scratch } from '../scratch-db.ts';

export interface BenchContext {
  db: Db;
  /** What db was opened on (a file path or the bench's own postgres:// database), to open it again. */
  target: string;
  built: BuiltProvince;
  /** The same task rows loaded the engine's fastest bare way (bench/import-floor.ts): ms spent loading them. */
  importFloor: { rows: number; ms: number };
  /** The instant the province was built for: "now" for suites that act on it. */
  now: number;
  /** Where a suite that needs a database of its own gets one, on the engine under test. */
  scratch: Scratch;
}

export type Figures = Record<string, number>;

export type Suite = (ctx: BenchContext) => Promise<Figures>;
