// The whole path through the real Telegram sender (telegraf) against a loopback fake Bot API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { Telegram } from 'telegraf';
import { afterEach, describe, expect, it } from 'vitest';
import { createTelegramSender } from '../../src/channels/telegram/sender.ts';
import { createOutboxSender } from '../../src/scheduler/sender.ts';
import { tick } from '../../src/scheduler/tick.ts';
import { at, endOf, office, outboxRows, putMeta } from './fixture.ts';
import { quietLog } from './fakes.ts';

type Answer = { status: number; body: object };

function fakeBotApi(script: Map<string, Answer[]>) {
  const received: { method: string; body: Record<string, unknown> }[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw || '{}') as Record<string, unknown>;
      const method = (req.url ?? '').split('/').pop() ?? '';
      const scripted = script.get(String(body.chat_id))?.shift();
      res.setHeader('content-type', 'application/json');
      if (scripted) {
        res.statusCode = scripted.status;
        res.end(JSON.stringify(scripted.body));
        return;
      }
      received.push({ method, body });
      res.end(JSON.stringify({ ok: true, result: { message_id: received.length, date: 0, chat: { id: Number(body.chat_id), type: 'group' } } }));
    });
  });
  return new Promise<{ url: string; received: typeof received; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        received,
        close: () => new Promise((r) => server.close(() => r())),
      }),
    ),
  );
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => close?.());

describe('tick → outbox → Telegram Bot API', () => {
  it('delivers the reminder with its button, waits out a 429, and marks a blocked group broken', async () => {
    const o = await office();
    const a = await o.unit('PNV', 'Phòng Nội vụ');
    const b = await o.unit('PTC', 'Phòng Tài chính');
    await o.group('telegram', '-100', a);
    await o.group('telegram', '-200', b);
    await o.task('NV-1', a, endOf('2024-06-14'));
    await o.task('NV-2', b, endOf('2024-06-14'));
    await putMeta(o.db, 'scheduler.lastTick', String(at('2024-06-11 07:59')));
    expect((await tick(o.db, at('2024-06-11 08:00'), o.config)).messages).toBe(2);

    const api = await fakeBotApi(
      new Map([
        ['-100', [{ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } }]],
        ['-200', [{ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was kicked from the supergroup chat' } }]],
      ]),
    );
    close = api.close;
    // Outside quiet hours whatever the machine's clock says.
    const config = { ...o.config, quietHours: { start: '00:00', end: '00:00' } };
    const sender = createOutboxSender({ db: o.db, config, log: quietLog, senders: [createTelegramSender(new Telegram('123:TEST', { apiRoot: api.url }))] });
    await sender.drain(5_000);

    expect(api.received).toHaveLength(1);
    expect(api.received[0].body.chat_id).toBe('-100');
    expect(String(api.received[0].body.text)).toContain('NV-1');
    expect(JSON.stringify(api.received[0].body.reply_markup)).toContain('xong:NV-1');
    const rows = await outboxRows(o.db);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'failed']);
    expect(rows[1].lastError).toContain('kicked');
    const { groupBindings } = o.db.t;
    expect(await o.db.orm.select({ status: groupBindings.status }).from(groupBindings).where(eq(groupBindings.chatId, '-200'))).toEqual([{ status: 'broken' }]);
  });
});
