// A small seeded PRNG (mulberry32), so a proof run can be repeated from its printed seed.

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
}

export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

/** PROOF_SEED when set, else a fresh one; either way the caller prints it. */
export function proofSeed(): number {
  const s = process.env.PROOF_SEED;
  if (s !== undefined && /^\d+$/.test(s)) return Number(s) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
