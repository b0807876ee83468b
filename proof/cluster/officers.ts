// Officers of the cluster proof, each in the private chat with the bot: /xong for
// their tasks, now and then /viec (their list) or /giahan (an extension request,
// which the bot sends on to the leadership group through the outbox). An officer
// types one message at a time and waits for its answer; one that got no answer
// (the update was lost with a killed process, or is still queued) types it again
// after a while, as a person would.
import type { Rng } from '../lib/prng.ts';
import type { Emulator } from '../lib/telegram-emulator.ts';
import type { Officer } from '../crash/office.ts';
import { typedKey, type Observed, type TypedKey } from './observed.ts';

export interface ClusterOfficers {
  /** Start typing: new messages (when `fresh`) and repeats of unanswered ones. */
  start(fresh: boolean): void;
  /** Officers still waiting for an answer. */
  unanswered(): number;
  stop(): Promise<void>;
}

interface Desk {
  officer: Officer;
  /** Their DN tasks still to close with /xong. */
  todo: string[];
  /** The one task they ask an extension for (never closed). */
  extend?: string;
  waiting?: { key: TypedKey; text: string; at: number };
}

export function driveClusterOfficers(opts: {
  emulator: Emulator;
  tasks: Map<string, Officer>;
  observed: Observed;
  rng: Rng;
  /** Pause between two messages (of any officers), drawn in [min, max] ms. */
  gapMs: [number, number];
  /** An unanswered message is typed again after this long. */
  retypeAfterMs: number;
  /** The new deadline asked for in /giahan (dd/mm/yyyy). */
  extendTo: string;
  /** One officer in `extendEvery` asks an extension for one of their tasks. */
  extendEvery: number;
}): ClusterOfficers {
  const { emulator, observed, rng } = opts;
  const desks = new Map<number, Desk>();
  for (const [code, officer] of opts.tasks) {
    const d = desks.get(officer.userId) ?? { officer, todo: [] };
    d.todo.push(code);
    desks.set(officer.userId, d);
  }
  let i = 0;
  for (const d of desks.values()) if (i++ % opts.extendEvery === 0 && d.todo.length > 1) d.extend = d.todo.pop();
  observed.onAnswer((key) => {
    const d = desks.get(Number(key.split('|', 1)[0]));
    if (d?.waiting?.key === key) d.waiting = undefined;
  });

  let allowFresh = true;
  let stopped = true;
  let running: Promise<void> | null = null;

  const next = (): { desk: Desk; key: TypedKey; text: string } | undefined => {
    const now = Date.now();
    const late = [...desks.values()].filter((d) => d.waiting && now - d.waiting.at >= opts.retypeAfterMs);
    if (late.length > 0 && (!allowFresh || rng.next() < 0.5)) {
      const d = rng.pick(late);
      return { desk: d, key: d.waiting!.key, text: d.waiting!.text };
    }
    if (!allowFresh) return undefined;
    const idle = [...desks.values()].filter((d) => !d.waiting && (d.todo.length > 0 || d.extend));
    if (idle.length === 0) return undefined;
    const d = rng.pick(idle);
    const chat = String(d.officer.userId);
    const r = rng.next();
    if (r < 0.1) return { desk: d, key: typedKey(chat, 'list'), text: '/viec' };
    if ((r < 0.25 || d.todo.length === 0) && d.extend) {
      const code = d.extend;
      d.extend = undefined;
      return { desk: d, key: typedKey(chat, 'extend', code), text: `/giahan ${code} ${opts.extendTo} cần thêm số liệu của các xã` };
    }
    if (d.todo.length === 0) return undefined;
    const code = d.todo.splice(rng.int(0, d.todo.length - 1), 1)[0];
    return { desk: d, key: typedKey(chat, 'done', code), text: `/xong ${code}` };
  };

  async function loop(): Promise<void> {
    while (!stopped) {
      const m = next();
      if (m) {
        m.desk.waiting = { key: m.key, text: m.text, at: Date.now() };
        observed.noteTyped(m.key);
        await emulator.sendPrivate(m.desk.officer.userId, m.desk.officer.name, m.text);
      }
      await new Promise((r) => setTimeout(r, rng.int(opts.gapMs[0], opts.gapMs[1])));
    }
  }

  return {
    start(fresh) {
      allowFresh = fresh;
      if (running) return;
      stopped = false;
      running = loop();
    },
    unanswered: () => [...desks.values()].filter((d) => d.waiting).length,
    async stop() {
      stopped = true;
      await running;
      running = null;
    },
  };
}
