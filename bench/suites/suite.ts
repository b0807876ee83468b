// A benchmark suite: given the built province, returns figures merged into the one JSON line.
import type { Db } from '../../src/db/open.ts';
import type { BuiltProvince } from '../province.ts';

export interface BenchContext {
  db: Db;
  built: BuiltProvince;
}

export type Suite = (ctx: BenchContext) => Record<string, number>;
