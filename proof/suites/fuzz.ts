// Proof suite "fuzz": the fuzz properties of test/fuzz/ with many more runs than
// `npm test` — the command parser and button payloads, the whole command core on
// the demo province, the date / period / rule parsers and their round-trips, the
// channel splitter, the spreadsheet importer with malformed files and with one
// wrong row among right ones (all or nothing). Every case is
// checked and counted; a failure is a case whose check found a problem.
// PROOF_SEED=<n> changes the seed (the default makes runs repeatable).
import fc from 'fast-check';
import { parseCallback } from '../../src/bot/callback.ts';
import { callbackData, calendarDay, chatText, dateText, instantMinute, instantMs, nastyText, periodText, ZONES } from '../../test/fuzz/arbitraries.ts';
import {
  coreProblem,
  dateProblem,
  dayRoundTripProblem,
  instantRoundTripProblem,
  isoRoundTripProblem,
  parseProblem,
  periodProblem,
  ruleProblem,
  splitProblem,
} from '../../test/fuzz/checks.ts';
import { fuzzHarness, fuzzMessage } from '../../test/fuzz/core-fixture.ts';
import { allOrNothingProblem, fuzzFile, importProblem, oneBadRow } from '../../test/fuzz/import-files.ts';
import { NOW, ZONE } from '../../test/app/chat/helpers.ts';

const SEED = Number(process.env.PROOF_SEED ?? 20261129);
/** Values are drawn in chunks so that thousands of 20,000-character texts never sit in memory at once. */
const CHUNK = 500;

interface Target<T> {
  name: string;
  arb: fc.Arbitrary<T>;
  runs: number;
  check: (v: T) => string | null | Promise<string | null>;
}

const zone = fc.constantFrom(...ZONES);

/** Binds a target's value type, so that targets of different types sit in one list. */
function target<T>(t: Target<T>): { name: string; run: (seed: number) => Promise<{ cases: number; failures: number }> } {
  return { name: t.name, run: (seed) => runTarget(t, seed) };
}

const TARGETS = [
  target({
    name: 'parser',
    arb: fc.tuple(chatText, fc.constantFrom('private' as const, 'group' as const), fc.option(nastyText)),
    runs: 7_000,
    check: ([t, chatType, reply]) => parseProblem(t, { chatType, botUsername: 'nhacviec_bot', ...(reply !== null ? { replyToText: reply } : {}) }),
  }),
  target({
    name: 'button payloads',
    arb: callbackData,
    runs: 3_000,
    check: (d) => {
      const cmd = parseCallback(d);
      return cmd === null || (Buffer.byteLength(d) <= 64 && /^(xong|duyet|tuchoi|xacnhan|tralai):[A-Za-z0-9]/.test(d)) ? null : `accepted ${JSON.stringify(d)}`;
    },
  }),
  target({ name: 'dates', arb: fc.tuple(dateText, zone), runs: 5_000, check: ([t, z]) => dateProblem(t, z) }),
  target({ name: 'periods', arb: fc.tuple(periodText, zone), runs: 4_000, check: ([t, z]) => periodProblem(t, NOW, z) }),
  target({ name: 'recurrence rules', arb: periodText, runs: 3_000, check: (t) => ruleProblem(t) }),
  target({ name: 'day round-trip', arb: fc.tuple(calendarDay, zone), runs: 3_000, check: ([d, z]) => dayRoundTripProblem(d, z) }),
  target({ name: 'instant round-trip', arb: fc.tuple(instantMinute, zone), runs: 3_000, check: ([ms, z]) => instantRoundTripProblem(ms, z) }),
  target({ name: 'ISO round-trip', arb: fc.tuple(instantMs, zone, zone), runs: 3_000, check: ([ms, z, reader]) => isoRoundTripProblem(ms, z, reader) }),
  target({ name: 'channel split', arb: fc.tuple(fc.string({ unit: 'binary', maxLength: 1500 }), fc.integer({ min: 2, max: 4096 })), runs: 1_500, check: ([t, max]) => splitProblem(t, max) }),
];

async function runTarget<T>(t: Target<T>, seed: number): Promise<{ cases: number; failures: number }> {
  let cases = 0;
  let failures = 0;
  for (let done = 0; done < t.runs; done += CHUNK) {
    const values = fc.sample(t.arb, { numRuns: Math.min(CHUNK, t.runs - done), seed: seed + done });
    for (const v of values) {
      cases++;
      let problem: string | null;
      try {
        problem = await t.check(v);
      } catch (e) {
        problem = `the check threw ${(e as Error)?.message}`;
      }
      if (problem) {
        failures++;
        if (failures <= 3) process.stderr.write(`fuzz ${t.name}: ${problem} — input ${JSON.stringify(v).slice(0, 200)}\n`);
      }
    }
  }
  return { cases, failures };
}

export async function run(): Promise<Record<string, number>> {
  let fuzzCases = 0;
  let fuzzFailures = 0;
  const count = (name: string, r: { cases: number; failures: number }) => {
    fuzzCases += r.cases;
    fuzzFailures += r.failures;
    process.stderr.write(`fuzz ${name}: ${r.cases} cases, ${r.failures} failures\n`);
  };
  let k = 0;
  for (const t of TARGETS) count(t.name, await t.run(SEED + 1_000_000 * ++k));

  // The whole core: fifteen provinces, each taking a stream of 1,000 messages from every kind of sender.
  let core = { cases: 0, failures: 0 };
  for (let i = 0; i < 15; i++) {
    const h = await fuzzHarness();
    const r = await runTarget({ name: 'command core', arb: fuzzMessage, runs: 1_000, check: (m) => coreProblem(h, m) }, SEED + 50_000_000 + i * 10_000);
    core = { cases: core.cases + r.cases, failures: core.failures + r.failures };
  }
  count('command core', core);

  const h = await fuzzHarness();
  count('import', await runTarget({ name: 'import', arb: fuzzFile, runs: 1_500, check: ({ kind, file }) => importProblem(h.db, kind, file, NOW, ZONE) }, SEED + 90_000_000));
  const h2 = await fuzzHarness();
  count('import all-or-nothing', await runTarget({ name: 'import all-or-nothing', arb: oneBadRow, runs: 1_000, check: (c) => allOrNothingProblem(h2.db, c, NOW, ZONE) }, SEED + 95_000_000));
  return { fuzzCases, fuzzFailures };
}
