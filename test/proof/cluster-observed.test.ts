import { describe, expect, it } from 'vitest';
import { maxInWindow, Observed, rates, typedKey } from '../../proof/cluster/observed.ts';

describe('the cluster proof observations', () => {
  it('counts the most messages within any window, the window open at its end', () => {
    expect(maxInWindow([], 1000)).toBe(0);
    expect(maxInWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(maxInWindow([0, 999, 1500, 1998], 1000)).toBe(3);
  });

  it('judges rates per group, per private chat and in all', () => {
    const m = (chatId: string, at: number) => ({ chatId, text: 'x', at });
    const r = rates([m('-1', 0), m('-1', 1000), m('-2', 10), m('7', 20), m('7', 30), m('-1', 59_000)], new Set(['-1', '-2']));
    expect(r).toEqual({ perChatPerSec: 1, perPrivateChatPerSec: 2, perGroupPerMin: 3, globalPerSec: 4 });
  });

  it('finds an update handled twice: more answers than messages typed for one chat, command and task', () => {
    const o = new Observed(new Set(['-1']), '-9');
    o.noteTyped(typedKey('7', 'done', 'DN-0001'));
    o.add({ chatId: '7', text: '✅ Đã ghi nhận: DN-0001 hoàn thành lúc 08:00.', at: 0 });
    expect(o.updatesTwice()).toBe(0);
    o.add({ chatId: '7', text: 'Nhiệm vụ DN-0001 đã được báo hoàn thành trước đó.', at: 1 });
    expect(o.updatesTwice()).toBe(1);
    o.add({ chatId: '7', text: 'Có lỗi', at: 2 });
    expect(o.unexpected).toEqual(['Có lỗi']);
  });

  it('blames group repeats on kills, and counts those that came before any kill', () => {
    const o = new Observed(new Set(['-1']), '-9');
    const r = (code: string) => ({ chatId: '-1', text: `🔔 Nhắc việc: 1 nhiệm vụ\n1. ${code}`, at: 0 });
    o.add(r('RM-0001'));
    o.add(r('RM-0001'));
    expect(o.duplicatesWithoutKills()).toBe(1);
    o.kills = 1;
    o.add(r('RM-0002'));
    o.kills = 2;
    o.add(r('RM-0002'));
    expect(o.duplicatesWithoutKills()).toBe(1);
    expect(o.duplicatesPerKillMax()).toBe(1);
    expect(o.chat.remindedIn.get('RM-0002')).toEqual(new Set(['-1']));
  });

  it('pairs extension answers with their notices in the leadership group', () => {
    const o = new Observed(new Set(['-1']), '-9');
    o.add({ chatId: '7', text: 'Đã gửi đề nghị gia hạn số 4 cho DN-0002 đến 09/01/2027. Lãnh đạo sẽ duyệt.', at: 0 });
    expect(o.noticesLost()).toBe(1);
    o.add({ chatId: '-9', text: 'Đề nghị gia hạn số 4: DN-0002 — Nhiệm vụ', at: 1 });
    expect(o.noticesLost()).toBe(0);
    expect([...o.extensionsAcked]).toEqual([[4, 'DN-0002']]);
  });
});
