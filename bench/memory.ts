// Peak resident memory per phase of the bench. The kernel keeps one high-water mark per
// process (getrusage's maxRSS, VmHWM in /proc/self/status): read at the end, it is the
// peak of whatever phase peaked, start-up included. On Linux, writing "5" to
// /proc/self/clear_refs sets the mark back to the current RSS, so a phase's own peak can be
// read when it ends; the marks are folded into the whole run's peak before each reset, so
// that one still means the process's peak. Elsewhere a phase reports the peak so far.
import fs from 'node:fs';
import { round } from './stats.ts';

const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

function resetHighWaterMark(): boolean {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export class PhasePeaks {
  private processPeak = maxRssMb();
  private readonly perPhase = resetHighWaterMark();

  /** Starts a phase: the high-water mark from here on is the phase's own. */
  start(): void {
    this.processPeak = Math.max(this.processPeak, maxRssMb());
    if (this.perPhase) resetHighWaterMark();
  }

  /** The peak RSS (MB) since start(): the phase's own on Linux, the process's so far elsewhere. */
  end(): number {
    const peak = maxRssMb();
    this.processPeak = Math.max(this.processPeak, peak);
    return round(peak);
  }

  /** The whole process's peak RSS (MB), every phase and start-up included. */
  get total(): number {
    return round(Math.max(this.processPeak, maxRssMb()));
  }
}
