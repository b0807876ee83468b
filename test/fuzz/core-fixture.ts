// The demo province with one linked account per role, and fuzzed chat messages to send to it.
import fc from 'fast-check';
import { harness, type Harness } from '../app/chat/helpers.ts';
import { callbackData, chatText, nastyText, sometimes } from './arbitraries.ts';
import type { FuzzMessage } from './checks.ts';

/** Telegram user ids of the senders: an unlinked stranger and one officer of each role. */
export const SENDERS = ['stranger', 'cb-xa-an', 'ct-xa-an', 'ct-tinh', 'qt-nv'] as const;

export function fuzzHarness(): Harness {
  const h = harness();
  for (const code of ['CB-XA-AN', 'CT-XA-AN', 'CT-TINH', 'QT-NV']) h.link(code);
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
    userId: fc.constantFrom(...SENDERS),
    chatType: fc.constantFrom('private' as const, 'group' as const),
    text: chatText,
    replyToText: sometimes(replyTo, 5),
    callbackData: sometimes(callbackData, 6),
  })
  .map(({ replyToText, callbackData: data, ...m }) => ({
    ...m,
    ...(replyToText !== null ? { replyToText } : {}),
    ...(data !== null ? { callbackData: data } : {}),
  }));
