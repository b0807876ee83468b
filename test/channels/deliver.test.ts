import { describe, expect, it } from 'vitest';
import { deliverReplies, replyToMessages } from '../../src/channels/deliver.ts';
import { ChatForbidden, ChatMigrated, RateLimited, type ChannelSender, type OutgoingMessage } from '../../src/channels/types.ts';
import { capturedLogger } from './helpers/fakes.ts';

/** A sender that records what it sent and fails as scripted. */
function recorder(channel: 'telegram' | 'zalo', max: number, failures: Error[] = []) {
  const sent: OutgoingMessage[] = [];
  const sender: ChannelSender = {
    channel,
    maxTextLength: max,
    async send(m) {
      const f = failures.shift();
      if (f) throw f;
      sent.push(m);
    },
  };
  return { sender, sent };
}

describe('replyToMessages', () => {
  it('splits at the limit, puts the buttons on the last piece, attachments after the text', () => {
    const text = ['dòng một', 'dòng hai', 'dòng ba'].join('\n');
    const out = replyToMessages(
      { text, buttons: [[{ text: '✅', data: 'xong:A' }]], document: { filename: 'a.xlsx', content: Buffer.from('x') } },
      'c',
      12,
    );
    expect(out.map((m) => m.text)).toEqual(['dòng một', 'dòng hai', 'dòng ba', '']);
    expect(out[2].buttons).toEqual([[{ text: '✅', data: 'xong:A' }]]);
    expect(out[0].buttons).toBeUndefined();
    expect(out[3].document?.filename).toBe('a.xlsx');
  });

  it('an empty text sends nothing, unless buttons need a message to sit on', () => {
    expect(replyToMessages({ text: '  ' }, 'c', 100)).toEqual([]);
    expect(replyToMessages({ text: '', buttons: [[{ text: 'Duyệt', data: 'duyet:1' }]] }, 'c', 100)).toHaveLength(1);
  });

  it('keeps "no link preview" on every piece of a reply that asks for it', () => {
    expect(replyToMessages({ text: 'dòng một\ndòng hai', noPreview: true }, 'c', 10).map((m) => m.noPreview)).toEqual([true, true]);
    expect(replyToMessages({ text: 'a' }, 'c', 100)[0]).not.toHaveProperty('noPreview');
  });
});

describe('deliverReplies', () => {
  it('sends every reply to the chat the message came from, on its channel only', async () => {
    const tg = recorder('telegram', 4096);
    const zl = recorder('zalo', 2000);
    await deliverReplies([{ text: 'a' }, { text: 'b' }], { channel: 'telegram', chatId: 't1' }, { telegram: tg.sender, zalo: zl.sender }, capturedLogger().log);
    expect(tg.sent.map((m) => [m.chatId, m.text])).toEqual([
      ['t1', 'a'],
      ['t1', 'b'],
    ]);
    expect(zl.sent).toEqual([]);
  });

  it('follows a supergroup migration for the rest of the replies', async () => {
    const tg = recorder('telegram', 5, [new ChatMigrated('-100777')]);
    await deliverReplies([{ text: 'một\nhai' }, { text: 'ba' }], { channel: 'telegram', chatId: '-777' }, { telegram: tg.sender }, capturedLogger().log);
    expect(tg.sent.map((m) => [m.chatId, m.text])).toEqual([
      ['-100777', 'một'],
      ['-100777', 'hai'],
      ['-100777', 'ba'],
    ]);
  });

  it('waits a short retry_after once, but drops (and logs) a long one', async () => {
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const tg = recorder('telegram', 4096, [new RateLimited(3)]);
    await deliverReplies([{ text: 'x' }], { channel: 'telegram', chatId: '1' }, { telegram: tg.sender }, capturedLogger().log, { sleep });
    expect(waits).toEqual([3000]);
    expect(tg.sent).toHaveLength(1);

    const slow = recorder('telegram', 4096, [new RateLimited(60)]);
    const logs = capturedLogger();
    await deliverReplies([{ text: 'x' }], { channel: 'telegram', chatId: '1' }, { telegram: slow.sender }, logs.log, { sleep });
    expect(slow.sent).toHaveLength(0);
    expect(logs.output()).toContain('reply not sent');
  });

  it('a failed send stops that reply but not the next one, and never throws', async () => {
    const zl = recorder('zalo', 2000, [new ChatForbidden('blocked')]);
    const logs = capturedLogger();
    await expect(deliverReplies([{ text: 'một\nhai' }, { text: 'ba' }], { channel: 'zalo', chatId: 'z' }, { zalo: zl.sender }, logs.log)).resolves.toBeUndefined();
    expect(zl.sent.map((m) => m.text)).toEqual(['ba']);
    expect(logs.output()).toContain('reply not sent');
  });

  it('replies for a channel that is not running are dropped with a warning', async () => {
    const logs = capturedLogger();
    await deliverReplies([{ text: 'x' }], { channel: 'console', chatId: 'c' }, {}, logs.log);
    expect(logs.output()).toContain('no sender for this channel');
  });
});
