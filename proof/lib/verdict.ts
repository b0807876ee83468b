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
  // Several processes (proof/suites/cluster.ts; skipped, with clusterSkipped = 1, without PostgreSQL).
  { says: 'cluster: at least 30 kills', needs: ['clusterKills'], holds: (f) => f.clusterKills >= 30 },
  { says: 'cluster: no acknowledged completion lost', needs: ['clusterCompletionsLost'], holds: (f) => f.clusterCompletionsLost === 0 },
  { says: 'cluster: no acknowledged extension request lost', needs: ['clusterExtensionsLost'], holds: (f) => f.clusterExtensionsLost === 0 },
  { says: 'cluster: no notice to the leadership lost', needs: ['clusterNoticesLost'], holds: (f) => f.clusterNoticesLost === 0 },
  { says: 'cluster: no reminder lost', needs: ['clusterRemindersLost'], holds: (f) => f.clusterRemindersLost === 0 },
  { says: 'cluster: at most one duplicate per kill', needs: ['clusterDuplicatesPerKillMax'], holds: (f) => f.clusterDuplicatesPerKillMax <= 1 },
  { says: 'cluster: no duplicate without a kill', needs: ['clusterDuplicatesWithoutKills'], holds: (f) => f.clusterDuplicatesWithoutKills === 0 },
  { says: 'cluster: no update handled twice', needs: ['clusterUpdatesTwice'], holds: (f) => f.clusterUpdatesTwice === 0 },
  { says: 'cluster: only the expected answers', needs: ['clusterUnexpectedAnswers'], holds: (f) => f.clusterUnexpectedAnswers === 0 },
  // Telegram's limits, which are also the bot's configured ones (config/default.json rateLimits.telegram).
  { says: 'cluster: at most 1 message per second to a group', needs: ['clusterMaxPerChatPerSec'], holds: (f) => f.clusterMaxPerChatPerSec <= 1 },
  { says: 'cluster: at most 20 messages per minute to a group', needs: ['clusterMaxPerGroupPerMin'], holds: (f) => f.clusterMaxPerGroupPerMin <= 20 },
  { says: 'cluster: at most 30 messages per second in all', needs: ['clusterMaxGlobalPerSec'], holds: (f) => f.clusterMaxGlobalPerSec <= 30 },
  { says: 'cluster: one poller at a time', needs: ['clusterPollOverlaps'], holds: (f) => f.clusterPollOverlaps === 0 },
  { says: 'cluster: failover within 30 s', needs: ['clusterFailoverMsMax'], holds: (f) => f.clusterFailoverMsMax < 30_000 },
  { says: 'cluster: integrity check clean', needs: ['clusterIntegrityErrors'], holds: (f) => f.clusterIntegrityErrors === 0 },
  { says: 'cluster: no process exited by itself', needs: ['clusterUnexpectedExits'], holds: (f) => f.clusterUnexpectedExits === 0 },
  { says: 'cluster: every process stopped cleanly', needs: ['clusterCleanStopErrors'], holds: (f) => f.clusterCleanStopErrors === 0 },
];

/** The checks a run's figures fail (empty when the proof holds). */
export function failedChecks(figures: Figures): string[] {
  return CHECKS.filter((c) => c.needs.every((k) => typeof figures[k] === 'number') && !c.holds(figures)).map((c) => c.says);
}
