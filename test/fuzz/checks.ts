// The properties every fuzz case must keep, written as functions that return a
// problem (a short English description) or null, so that vitest can assert on
// them and proof/suites/fuzz.ts can count them.
import { sql } from 'drizzle-orm';
import { parseCommand, type ParseContext } from '../../src/bot/parse.ts';
import { splitText } from '../../src/bot/split.ts';
import { UNEXPECTED } from '../../src/bot/texts.ts';
import type { Reply } from '../../src/bot/types.ts';
import type { Db } from '../../src/db/open.ts';
import { formatDate, formatDateTime, parseInstant, toIsoLocal } from '../../src/domain/dates.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { parsePeriod } from '../../src/domain/period.ts';
import { parseRule } from '../../src/domain/recurrence.ts';
import type { Harness } from '../app/chat/helpers.ts';

/** A letter only Vietnamese writes (a vowel with a tone or hat, đ). */
export const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

/** Developer words that must never reach a person unless they typed them. */
const LEAKS = ['Error', 'error', 'undefined', 'NaN', '[object', 'null', 'Infinity', '    at ', 'node_modules', '.ts:', 'SQLITE'];

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Telegram takes 4096 characters per message, Zalo 2000. */
export const CHANNEL_LIMITS = { telegram: 4096, zalo: 2000 } as const;
/** A reply longer than this many Zalo messages is a reply that echoes the input. */
const MAX_PIECES = 4;

/** An acknowledgement of a write: every use case that changes the database answers "Đã …". */
export const WRITE_ACK = /^(?:(?:✅|📎)\s*)?Đã\s/;

/** Problems in one text meant for a person, as the channels would send it, or null. `input` is what they typed (echoing it is not a leak). */
export function textProblem(text: string, input: string): string | null {
  if (text === UNEXPECTED) return 'the core hit an unexpected error';
  if (!VIETNAMESE.test(text)) return `not Vietnamese: ${JSON.stringify(text.slice(0, 80))}`;
  for (const leak of LEAKS) if (text.includes(leak) && !input.includes(leak)) return `leaks "${leak}": ${JSON.stringify(text.slice(0, 120))}`;
  for (const limit of Object.values(CHANNEL_LIMITS)) {
    const pieces = splitText(text, limit);
    if (pieces.some((p) => p.length > limit)) return `a piece longer than ${limit} after splitting`;
    if (pieces.some((p) => LONE_SURROGATE.test(p))) return 'a piece with half a surrogate pair: not valid UTF-8, the channel refuses it';
    if (pieces.length > MAX_PIECES) return `${pieces.length} messages of ${limit} characters: the reply grows with the input`;
  }
  return null;
}

/** splitText: pieces within the limit, none with half a surrogate pair, no visible character lost. */
export function splitProblem(text: string, max: number): string | null {
  const pieces = splitText(text, max);
  if (pieces.some((p) => p.length > max)) return `a piece longer than ${max}`;
  if (pieces.some((p) => LONE_SURROGATE.test(p))) return 'a piece with half a surrogate pair';
  if (pieces.join('').replace(/\s/g, '').length !== text.replace(/\s/g, '').length) return 'characters lost in splitting';
  return null;
}

/** Everything in the database that a chat message could change, as one string (rows sorted: PostgreSQL keeps no order). */
export async function dbFingerprint(db: Db): Promise<string> {
  // The catalogue differs per engine.
  const tables =
    db.engine === 'sqlite'
      ? await db.all<{ name: string }>(sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name`)
      : await db.all<{ name: string }>(sql`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  const parts: string[] = [];
  for (const { name } of tables) {
    const rows = (await db.all<Record<string, unknown>>(sql`SELECT * FROM ${sql.identifier(name)}`)).map((r) => JSON.stringify(r)).sort();
    parts.push(`${name}:${rows.join(',')}`);
  }
  return parts.join('\n');
}

/** The parser alone: never throws, and what it says back is Vietnamese. */
export function parseProblem(text: string, ctx: ParseContext): string | null {
  try {
    const cmd = parseCommand(text, ctx);
    if (cmd.kind === 'usage') return textProblem(cmd.message, text);
    if (cmd.kind === 'unknown' && cmd.word.length > 30) return 'an unknown word echoed at full length';
    if (cmd.kind === 'approve' || cmd.kind === 'reject') return Number.isSafeInteger(cmd.id) && cmd.id >= 0 ? null : `a bad id ${cmd.id}`;
    return null;
  } catch (e) {
    return `parseCommand threw ${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
}

/** A parser may only refuse with the project's input errors, in one Vietnamese sentence of bounded length. */
function refusalProblem(e: unknown, input: string): string | null {
  if (!(e instanceof DomainError)) return `threw ${(e as Error)?.name ?? typeof e}: ${(e as Error)?.message}`;
  if (e.code !== 'invalid_date' && e.code !== 'invalid_input') return `threw a ${e.code} error`;
  if (e.message.length > 600) return `an error message of ${e.message.length} characters`;
  return textProblem(e.message, input);
}

export function dateProblem(text: string, zone: string): string | null {
  for (const dateOnly of ['start', 'end'] as const) {
    try {
      const r = parseInstant(text, { zone, dateOnly });
      if (!Number.isFinite(r.ms)) return `parsed to ${r.ms}`;
    } catch (e) {
      const p = refusalProblem(e, text);
      if (p) return p;
    }
  }
  return null;
}

export function periodProblem(text: string, now: number, zone: string): string | null {
  try {
    const p = parsePeriod(text, now, zone);
    if (!Number.isFinite(p.from) || !Number.isFinite(p.to) || p.from > p.to) return `a period from ${p.from} to ${p.to}`;
    if (!VIETNAMESE.test(p.label) && !/\d/.test(p.label)) return `label ${p.label}`;
    return null;
  } catch (e) {
    return refusalProblem(e, text);
  }
}

export function ruleProblem(text: string): string | null {
  try {
    parseRule(text);
    return null;
  } catch (e) {
    return refusalProblem(e, text);
  }
}

/** dd/mm/yyyy of a day → parse (start and end) → format gives the same day, in any zone. */
export function dayRoundTripProblem(day: { y: number; m: number; d: number }, zone: string): string | null {
  const text = `${String(day.d).padStart(2, '0')}/${String(day.m).padStart(2, '0')}/${day.y}`;
  const iso = `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;
  try {
    for (const input of [text, iso, `${day.d}/${day.m}/${day.y}`]) {
      const start = parseInstant(input, { zone, dateOnly: 'start' });
      const end = parseInstant(input, { zone, dateOnly: 'end' });
      if (formatDate(start.ms, zone) !== text || formatDate(end.ms, zone) !== text) return `${input} in ${zone} came back as ${formatDate(start.ms, zone)} / ${formatDate(end.ms, zone)}`;
      if (formatDate(end.ms + 1, zone) === text) return `${input} in ${zone}: the end of the day is not its last millisecond`;
      if (!start.dateOnly || end.ms <= start.ms) return `${input} in ${zone}: start ${start.ms} end ${end.ms}`;
    }
    return null;
  } catch (e) {
    return `${text} in ${zone} refused: ${(e as Error).message}`;
  }
}

/** An instant (whole minutes) → dd/mm/yyyy HH:mm → parse gives the same instant, unless the zone repeats that hour. */
export function instantRoundTripProblem(ms: number, zone: string): string | null {
  const text = formatDateTime(ms, zone);
  try {
    const back = parseInstant(text, { zone, dateOnly: 'end' }).ms;
    if (back === ms) return null;
    // A wall time that happens twice (the hour daylight saving gives back) is ambiguous: either instant is right.
    if (Math.abs(back - ms) === 3_600_000 && formatDateTime(back, zone) === text) return null;
    return `${new Date(ms).toISOString()} → "${text}" (${zone}) → ${new Date(back).toISOString()}`;
  } catch (e) {
    return `"${text}" (${zone}) refused: ${(e as Error).message}`;
  }
}

/** An instant (to the millisecond) → ISO 8601 with the zone's offset → parse gives the same instant, whatever zone reads it. */
export function isoRoundTripProblem(ms: number, zone: string, readerZone: string): string | null {
  const text = toIsoLocal(ms, zone);
  try {
    const back = parseInstant(text, { zone: readerZone, dateOnly: 'end' }).ms;
    return back === ms ? null : `${new Date(ms).toISOString()} → "${text}" → ${new Date(back).toISOString()}`;
  } catch (e) {
    return `"${text}" refused: ${(e as Error).message}`;
  }
}

/** Who sends a fuzzed message: an unlinked person or a linked officer, in a private chat or a group. */
export interface FuzzMessage {
  channel: 'telegram' | 'zalo';
  userId: string;
  chatType: 'private' | 'group';
  text: string;
  replyToText?: string;
  callbackData?: string;
}

/**
 * One message through the whole core: no unexpected error, every reply Vietnamese
 * and within the channel limits, an answer to every private message, and when the
 * database changed the reply acknowledges a write ("Đã …") — a refusal never writes.
 */
export async function coreProblem(h: Harness, m: FuzzMessage): Promise<string | null> {
  const { db, logLines } = h;
  const before = await dbFingerprint(db);
  const logged = logLines.length;
  let replies: Reply[];
  try {
    replies = await h.send(m.userId, m.text, {
      channel: m.channel,
      chatId: m.chatType === 'private' ? `p-${m.userId}` : 'g-fuzz',
      chatType: m.chatType,
      botUsername: 'nhacviec_bot',
      ...(m.replyToText !== undefined ? { replyToText: m.replyToText } : {}),
      ...(m.callbackData !== undefined ? { callbackData: m.callbackData } : {}),
    });
  } catch (e) {
    return `core.handle threw ${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
  if (logLines.slice(logged).some((l) => l.includes('chat command failed'))) return 'the core logged an unexpected failure';
  const input = `${m.text}\n${m.callbackData ?? ''}\n${m.replyToText ?? ''}`;
  // Silence is right only for a message that is not for the bot (chatter in a group, /cmd@otherbot).
  const forOtherBot = m.callbackData === undefined && parseCommand(m.text, { chatType: m.chatType, botUsername: 'nhacviec_bot', replyToText: m.replyToText }).kind === 'none';
  if (replies.length === 0 && (m.chatType === 'private' || m.callbackData !== undefined) && !forOtherBot) return 'no answer to a private message or a button';
  for (const r of replies) {
    const p = textProblem(r.text, input);
    if (p) return p;
  }
  const changed = (await dbFingerprint(db)) !== before;
  if (changed && !WRITE_ACK.test(replies[0]?.text ?? '')) return `the database changed but the reply is not an acknowledgement: ${JSON.stringify(replies[0]?.text.slice(0, 120))}`;
  return null;
}
