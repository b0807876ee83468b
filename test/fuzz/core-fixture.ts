// The demo province with one linked account per role, and fuzzed chat messages to send to it.
import fc from 'fast-check';
import { upsertAccount } from '../../src/db/accounts.repo.ts';
import { officerByCode } from '../../src/db/officers.repo.ts';
import { harness, NOW, type Harness } from '../app/chat/helpers.ts';
import { callbackData, chatText, nastyText, sometimes } from './arbitraries.ts';
import type { FuzzMessage } from './checks.ts';

/** Telegram user ids of the senders: an unlinked stranger and one officer of each role. */
export const SENDERS = ['stranger', 'cb-xa-an', 'ct-xa-an', 'ct-tinh', 'qt-nv'] as const;

/** The same people on Zalo (ids of another shape), and a Zalo id equal to a Telegram one that is linked on Telegram only. */
export const ZALO_SENDERS = ['z-cb-xa-an', 'z-ct-tinh', 'ct-xa-an'] as const;

export async function fuzzHarness(): Promise<Harness> {
  const h = await harness();
  for (const code of ['CB-XA-AN', 'CT-XA-AN', 'CT-TINH', 'QT-NV']) await h.link(code);
  for (const code of ['CB-XA-AN', 'CT-TINH']) {
    const externalId = `z-${code.toLowerCase()}`;
    const officerId = (await officerByCode(h.db, code))!.id;
    await h.db.tx((tx) => upsertAccount(tx, { channel: 'zalo', externalId, officerId, privateChatId: `p-${externalId}`, now: NOW }));
  }
  return h;
}

/** The text of a bot message someone replies to: a reminder with task codes, or noise. */
const replyTo = fc.oneof(
  fc.constantFrom('⏰ Nhắc hạn: NV-10 — Số hóa hồ sơ hộ tịch, hạn 24/11/2026.', 'NV-09 và NV-10 sắp đến hạn.', 'Nhiệm vụ NV-12 quá hạn.'),
  nastyText,
);

/** One message in five is a reply to a bot message, one in six a button press. */
export const fuzzMessage: fc.Arbitrary<FuzzMessage> = fc
  .record({
    sender: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...SENDERS).map((userId) => ({ channel: 'telegram' as const, userId })) },
      { weight: 1, arbitrary: fc.constantFrom(...ZALO_SENDERS).map((userId) => ({ channel: 'zalo' as const, userId })) },
    ),
    chatType: fc.constantFrom('private' as const, 'group' as const),
    text: chatText,
    replyToText: sometimes(replyTo, 5),
    callbackData: sometimes(callbackData, 6),
  })
  .map(({ sender, replyToText, callbackData: data, ...m }) => ({
    ...m,
    ...sender,
    ...(replyToText !== null ? { replyToText } : {}),
    ...(data !== null ? { callbackData: data } : {}),
  }));
