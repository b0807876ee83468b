// Webhooks under attack, against the real webhook server started by startChannels
// on loopback (real core, an SQLite file, the Telegram emulator, the fake Zalo).
// Every figure is counted from HTTP answers and the database, never assumed:
// a spoof counts as rejected only if it got 401 AND nothing was written AND no
// answer went out (likewise 413 for oversized bodies, 400 for bodies that are
// not JSON); a replay counts as de-duplicated only if it changed nothing.
import {
  HEADER,
  SECRET,
  spoofs,
  startWebhookTarget,
  telegramText,
  TG_TOKEN,
  TG_USER,
  ZALO_USER,
  zaloWebhookText,
  type Route,
  type WebhookTarget,
} from '../../test/channels/helpers/webhook-target.ts';
import { dbFingerprint } from '../../test/fuzz/checks.ts';

const ROUTES: Route[] = ['telegram', 'zalo'];
/** Each original update is replayed this many times one after the other, then this many at once. */
const REPLAYS_SEQUENTIAL = 5;
const REPLAYS_CONCURRENT = 5;
/** Bodies that are not JSON, sent with the right secret. */
const JUNK = ['xong NV-10', '{"update_id": 5, "message": {"text": "/xong NV-10"', '', '\u0000\u00ff', '{"update_id": 5,}', 'update_id=5&text=%2Fxong'];

/** Every row of every table, through the Db (test/fuzz/checks.ts). */
function dbDump(t: WebhookTarget): Promise<string> {
  return dbFingerprint(t.db());
}

function replies(t: WebhookTarget): number {
  return t.telegramReplies(TG_USER).length + t.zalo.sent.filter((s) => s.chat_id === ZALO_USER).length;
}

/** A body that would complete a task if it got through. */
function writingBody(route: Route, n: number): string {
  return route === 'telegram' ? telegramText(70_000 + n, '/xong NV-10 Đã nộp') : zaloWebhookText(`proof-spoof-${n}`, '/xong NV-13');
}

async function unchangedAfter(t: WebhookTarget, send: () => Promise<boolean>): Promise<boolean> {
  const dump = await dbDump(t);
  const before = replies(t);
  const statusOk = await send();
  await t.idle();
  return statusOk && (await dbDump(t)) === dump && replies(t) === before;
}

export async function run(): Promise<Record<string, number>> {
  const t = await startWebhookTarget();
  let spoofsSent = 0;
  let spoofsRejected = 0;
  let replaysSent = 0;
  let replaysDeduplicated = 0;
  let oversizedSent = 0;
  let oversizedRejected = 0;
  let junkSent = 0;
  let junkRejected = 0;
  let originalsHandled = 0;
  try {
    let n = 0;
    for (const route of ROUTES) {
      for (const [, headers] of spoofs(route)) {
        spoofsSent++;
        if (await unchangedAfter(t, async () => (await t.post(route, headers, writingBody(route, n++))).status === 401)) spoofsRejected++;
      }
      for (const body of JUNK) {
        junkSent++;
        if (await unchangedAfter(t, async () => (await t.post(route, { [HEADER[route]]: SECRET[route] }, body)).status === 400)) junkRejected++;
      }
      const oversized = writingBody(route, n++).replace('"text":', `"pad":"${'x'.repeat(2 * 1024 * 1024)}","text":`);
      oversizedSent++;
      if (await unchangedAfter(t, async () => (await t.post(route, { [HEADER[route]]: SECRET[route] }, oversized)).status === 413)) oversizedRejected++;
    }

    const originals: { route: Route; body: string }[] = [
      { route: 'telegram', body: telegramText(80_001, '/xong NV-10 Đã nộp báo cáo') },
      { route: 'telegram', body: telegramText(80_002, '/giahan NV-09 30/12/2026 chờ số liệu') },
      { route: 'zalo', body: zaloWebhookText('proof-replay-1', '/xong NV-12 lý do: chờ ý kiến của Sở') },
      { route: 'zalo', body: zaloWebhookText('proof-replay-2', '/giahan NV-13 30/12/2026 chờ kinh phí') },
    ];
    const post = async (o: (typeof originals)[number]) => (await t.post(o.route, { [HEADER[o.route]]: SECRET[o.route] }, o.body)).status === 200;
    for (const o of originals) {
      const dump = await dbDump(t);
      const before = replies(t);
      await post(o);
      await t.idle();
      if ((await dbDump(t)) !== dump && replies(t) === before + 1) originalsHandled++;
    }
    const replayAll = async () => {
      for (const o of originals) {
        for (let i = 0; i < REPLAYS_SEQUENTIAL; i++) {
          replaysSent++;
          if (await unchangedAfter(t, () => post(o))) replaysDeduplicated++;
        }
        replaysSent += REPLAYS_CONCURRENT;
        const dump = await dbDump(t);
        const before = replies(t);
        const statuses = await Promise.all(Array.from({ length: REPLAYS_CONCURRENT }, () => post(o)));
        await t.idle();
        // Concurrent replays share one observation: all count only if none of them changed anything.
        if (statuses.every(Boolean) && (await dbDump(t)) === dump && replies(t) === before) replaysDeduplicated += REPLAYS_CONCURRENT;
      }
    };
    await replayAll();
    // A restart on the same file: the record of handled updates must survive it.
    await t.restart();
    await replayAll();

    const logs = t.logs();
    const secrets = [TG_TOKEN, t.zalo.token, SECRET.telegram, SECRET.zalo];
    return {
      spoofsSent,
      spoofsRejected,
      replaysSent,
      replaysDeduplicated,
      replayOriginalsHandled: originalsHandled,
      oversizedSent,
      oversizedRejected,
      nonJsonSent: junkSent,
      nonJsonRejected: junkRejected,
      secretsInLogs: secrets.filter((s) => logs.includes(s)).length,
    };
  } finally {
    await t.stop();
  }
}
