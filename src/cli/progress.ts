// A progress bar on stderr, only when stderr is a terminal (never in pipes or logs).
export function progressBar(label: string, minTotal = 3000): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let lastPct = -1;
  return (done, total) => {
    if (total < minTotal) return;
    const pct = Math.floor((done / total) * 100);
    if (pct === lastPct) return;
    lastPct = pct;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    process.stderr.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${pct}%`);
    if (done >= total) process.stderr.write('\n');
  };
}
