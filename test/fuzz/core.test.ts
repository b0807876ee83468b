// Fuzz: the whole command core over the demo province. Any text, unicode, huge input,
// reply or button from any sender: no unexpected error, a Vietnamese answer within
// the channel limits, and a database change only with an acknowledgement.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coreProblem } from './checks.ts';
import { fuzzHarness, fuzzMessage } from './core-fixture.ts';

const SEED = 20261129;

describe('fuzz: command core', () => {
  it('answers every message in Vietnamese and never writes on a refusal', async () => {
    const h = fuzzHarness();
    await fc.assert(
      fc.asyncProperty(fuzzMessage, async (m) => {
        expect(await coreProblem(h, m)).toBeNull();
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('keeps those properties over a sequence of messages (prompts, second reports, decided requests)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzMessage, { minLength: 2, maxLength: 12 }), async (ms) => {
        const h = fuzzHarness();
        for (const m of ms) expect(await coreProblem(h, m)).toBeNull();
      }),
      { seed: SEED, numRuns: 25 },
    );
  });
});
