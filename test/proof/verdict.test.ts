import { describe, expect, it } from 'vitest';
import { ChatLog } from '../../proof/crash/chat-log.ts';
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
    expect(failedChecks({ authzCases: 900, authzViolations: 0, authzWebCells: 240, authzWebViolations: 0 })).toEqual([]);
    expect(failedChecks({ authzCases: 900, authzViolations: 0, authzWebCells: 240, authzWebViolations: 2 })).toEqual(['no permission violation on the web pages']);
    expect(failedChecks({ authzWebCells: 0, authzWebViolations: 0 })).toEqual(['web pages and actions in the permission matrix']);
  });

  it('judges the cluster figures, and a skipped cluster suite not at all', () => {
    expect(failedChecks({ clusterSkipped: 1 })).toEqual([]);
    const clean = {
      clusterKills: 30,
      clusterCompletionsLost: 0,
      clusterRemindersLost: 0,
      clusterDuplicatesPerKillMax: 1,
      clusterDuplicatesWithoutKills: 0,
      clusterUpdatesTwice: 0,
      clusterMaxPerChatPerSec: 1,
      clusterMaxPerGroupPerMin: 20,
      clusterMaxGlobalPerSec: 30,
      clusterFailoverMsMax: 29_999,
      clusterIntegrityErrors: 0,
    };
    expect(failedChecks(clean)).toEqual([]);
    expect(failedChecks({ ...clean, clusterKills: 29, clusterMaxPerGroupPerMin: 21, clusterFailoverMsMax: 30_000, clusterUpdatesTwice: 1 })).toEqual([
      'cluster: at least 30 kills',
      'cluster: no update handled twice',
      'cluster: at most 20 messages per minute to a group',
      'cluster: failover within 30 s',
    ]);
  });
});

describe('the crash proof chat log', () => {
  const reminder = (chatId: string, code: string) => ({ chatId, text: `🔔 Nhắc việc: 1 nhiệm vụ\n1. ${code}`, at: 0 });

  it('blames a repeat on the kill that ended the life of the copy before it, however late the repeat comes', () => {
    const log = new ChatLog(new Set(['-1', '-2']));
    log.add(reminder('-1', 'RM-0001'));
    log.epoch = 1; // killed while RM-0001 was in flight
    log.add(reminder('-2', 'RM-0002'));
    log.epoch = 2; // killed while RM-0002 was in flight
    log.epoch = 3;
    // Both repeats arrive in one later life (the dead drains' claims ran out): one per kill.
    log.add(reminder('-1', 'RM-0001'));
    log.add(reminder('-2', 'RM-0002'));
    expect(log.duplicates()).toBe(2);
    expect(log.duplicatesPerKillMax()).toBe(1);
    expect(log.remindedIn.get('RM-0002')).toEqual(new Set(['-2']));
  });

  it('counts two messages repeated after one kill as two for that kill', () => {
    const log = new ChatLog(new Set(['-1']));
    log.add(reminder('-1', 'RM-0001'));
    log.add({ ...reminder('-1', 'RM-0002') });
    log.epoch = 1;
    log.add(reminder('-1', 'RM-0001'));
    log.add(reminder('-1', 'RM-0002'));
    expect(log.duplicatesPerKillMax()).toBe(2);
  });

  it('records acknowledged completions from private chats with the life they came in', () => {
    const log = new ChatLog(new Set(['-1']));
    log.epoch = 4;
    log.add({ chatId: '700001', text: '✅ Đã ghi nhận: DN-0007 hoàn thành lúc 08:00.', at: 0 });
    log.add({ chatId: '700001', text: 'Nhiệm vụ DN-0007 đã được báo hoàn thành trước đó.', at: 0 });
    expect([...log.acked]).toEqual([['DN-0007', 4]]);
  });
});
