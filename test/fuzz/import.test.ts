// Fuzz: the spreadsheet importer with malformed files — random bytes, damaged .xlsx,
// broken CSV quoting, huge cells, mixed separators, BOMs: a Vietnamese error and
// nothing written, or the whole file written.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NOW, ZONE } from '../app/chat/helpers.ts';
import { fuzzHarness } from './core-fixture.ts';
import { allOrNothingProblem, fuzzFile, importProblem, oneBadRow } from './import-files.ts';

const SEED = 20261129;

describe('fuzz: spreadsheet import', () => {
  it('refuses a bad file whole, in Vietnamese, writing nothing', async () => {
    const h = fuzzHarness();
    await fc.assert(
      fc.asyncProperty(fuzzFile, async ({ kind, file }) => {
        expect(await importProblem(h.db, kind, file, NOW, ZONE)).toBeNull();
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('writes nothing from a file with one wrong row among right ones, and everything once it is fixed', async () => {
    const h = fuzzHarness();
    await fc.assert(
      fc.asyncProperty(oneBadRow, async (c) => {
        expect(await allOrNothingProblem(h.db, c, NOW, ZONE)).toBeNull();
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});
