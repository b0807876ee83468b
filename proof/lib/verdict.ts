// What the proof's figures must show. Each check names its figures; one that a run
// did not produce (its suite was not asked for) is not judged.

type Figures = Record<string, number>;

const CHECKS: { says: string; holds: (f: Figures) => boolean; needs: string[] }[] = [
  { says: 'no acknowledged completion lost', needs: ['completionsLost'], holds: (f) => f.completionsLost === 0 },
  { says: 'no reminder lost', needs: ['remindersLost'], holds: (f) => f.remindersLost === 0 },
  { says: 'at most one duplicate per kill', needs: ['duplicatesPerKillMax'], holds: (f) => f.duplicatesPerKillMax <= 1 },
  { says: 'integrity check clean', needs: ['integrityErrors'], holds: (f) => f.integrityErrors === 0 },
  { says: 'at least 50 kills', needs: ['crashRuns'], holds: (f) => f.crashRuns >= 50 },
  { says: 'no fuzz failure', needs: ['fuzzFailures'], holds: (f) => f.fuzzFailures === 0 },
  { says: 'no permission violation', needs: ['authzViolations'], holds: (f) => f.authzViolations === 0 },
  { says: 'web pages and actions in the permission matrix', needs: ['authzWebCells'], holds: (f) => f.authzWebCells > 0 },
  { says: 'no permission violation on the web pages', needs: ['authzWebViolations'], holds: (f) => f.authzWebViolations === 0 },
  { says: 'every spoof rejected', needs: ['spoofsSent', 'spoofsRejected'], holds: (f) => f.spoofsRejected === f.spoofsSent },
  { says: 'every replay de-duplicated', needs: ['replaysSent', 'replaysDeduplicated'], holds: (f) => f.replaysDeduplicated === f.replaysSent },
  { says: 'every oversized body rejected', needs: ['oversizedSent', 'oversizedRejected'], holds: (f) => f.oversizedRejected === f.oversizedSent },
  { says: 'no secret in the logs', needs: ['secretsInLogs'], holds: (f) => f.secretsInLogs === 0 },
];

/** The checks a run's figures fail (empty when the proof holds). */
export function failedChecks(figures: Figures): string[] {
  return CHECKS.filter((c) => c.needs.every((k) => typeof figures[k] === 'number') && !c.holds(figures)).map((c) => c.says);
}
