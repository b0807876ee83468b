import { describe, expect, it } from 'vitest';
import { failedChecks } from '../../proof/lib/verdict.ts';

describe('the proof verdict', () => {
  it('passes clean figures, names each broken one, and ignores suites that did not run', () => {
    const clean = { crashRuns: 60, completionsLost: 0, remindersLost: 0, duplicatesPerKillMax: 1, integrityErrors: 0, spoofsSent: 26, spoofsRejected: 26 };
    expect(failedChecks(clean)).toEqual([]);
    expect(failedChecks({ ...clean, completionsLost: 1, spoofsRejected: 25, duplicatesPerKillMax: 2 })).toEqual([
      'no acknowledged completion lost',
      'at most one duplicate per kill',
      'every spoof rejected',
    ]);
    expect(failedChecks({ fuzzCases: 10, fuzzFailures: 0 })).toEqual([]);
    expect(failedChecks({ crashRuns: 3 })).toEqual(['at least 50 kills']);
  });
});
