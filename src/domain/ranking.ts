// Ranking as offices publish it: equal values share a rank (1, 2, 2, 4);
// items without a value come last, sharing the rank after the others.

export function rankBy<T>(items: T[], value: (t: T) => number | null, tieBreak: (a: T, b: T) => number = () => 0): (T & { rank: number })[] {
  const sorted = [...items].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null && vb === null) return tieBreak(a, b);
    if (va === null) return 1;
    if (vb === null) return -1;
    return vb - va || tieBreak(a, b);
  });
  let rank = 0;
  let prev: number | null | undefined;
  return sorted.map((t, i) => {
    const v = value(t);
    if (i === 0 || v !== prev) rank = i + 1;
    prev = v;
    return { ...t, rank };
  });
}
