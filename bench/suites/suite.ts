// A benchmark suite: given the built province, returns figures merged into the one JSON line.
// A suite may be async (the scheduler's drain runs in real time; the chat core's handle() is async).
import type { Db } from '../../src/db/open.ts';
import type { BuiltProvince } from '../province.ts';

export interface BenchContext {
  db: Db;
  built: BuiltProvince;
  /** The instant the province was built for: "now" for suites that act on it. */
  now: number;
}

export type Figures = Record<string, number>;

export type Suite = (ctx: BenchContext) => Figures | Promise<Figures>;
