// Officers typing /xong <code> in their private chat with the bot, whether or
// not the bot is up at that moment (the emulator queues the update). One whose
// message got no answer types it again after a while, as a person would: an
// update fetched by a bot killed before it answered is gone.
import type { Rng } from '../lib/prng.ts';
import type { Emulator } from '../lib/telegram-emulator.ts';
import type { Officer } from './office.ts';

export interface OfficerDriver {
  /** Distinct tasks someone typed /xong for. */
  sent(): number;
  /** Tasks typed but not acknowledged yet. */
  unanswered(): number;
  /** Start typing: new tasks (when `fresh`) and repeats of unanswered ones. */
  start(fresh: boolean): void;
  stop(): Promise<void>;
}

export function driveOfficers(opts: {
  emulator: Emulator;
  tasks: Map<string, Officer>;
  acked: ReadonlyMap<string, number>;
  rng: Rng;
  /** Pause between two messages, drawn in [min, max] ms. */
  gapMs: [number, number];
  /** An unanswered /xong is typed again after this long. */
  retypeAfterMs: number;
}): OfficerDriver {
  const { emulator, tasks, acked, rng } = opts;
  const lastTyped = new Map<string, number>();
  const fresh = [...tasks.keys()];
  let allowFresh = true;
  let running: Promise<void> | null = null;
  let stopped = true;

  const nextCode = (): string | undefined => {
    const now = Date.now();
    const again = [...lastTyped].filter(([c, t]) => !acked.has(c) && now - t >= opts.retypeAfterMs).map(([c]) => c);
    if (again.length > 0 && (!allowFresh || fresh.length === 0 || rng.next() < 0.5)) return rng.pick(again);
    if (allowFresh && fresh.length > 0) return fresh.splice(rng.int(0, fresh.length - 1), 1)[0];
    return undefined;
  };

  async function loop(): Promise<void> {
    while (!stopped) {
      const code = nextCode();
      if (code) {
        const officer = tasks.get(code)!;
        lastTyped.set(code, Date.now());
        await emulator.sendPrivate(officer.userId, officer.name, `/xong ${code}`);
      }
      await new Promise((r) => setTimeout(r, rng.int(opts.gapMs[0], opts.gapMs[1])));
    }
  }

  return {
    sent: () => lastTyped.size,
    unanswered: () => [...lastTyped.keys()].filter((c) => !acked.has(c)).length,
    start(f) {
      allowFresh = f;
      if (running) return;
      stopped = false;
      running = loop();
    },
    async stop() {
      stopped = true;
      await running;
      running = null;
    },
  };
}
