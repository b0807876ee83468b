// Splitting a long reply to a channel's limit (Telegram 4096, Zalo 2000 characters).

/** A surrogate without its other half: left by clipping typed text mid-emoji; channels refuse it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Splits text into pieces of at most `max` characters, at line breaks when
 * possible, else at a space, else hard. Never splits a surrogate pair, and
 * replaces a lone one with U+FFFD so that every piece is valid UTF-8 on the wire.
 */
export function splitText(text: string, max: number): string[] {
  if (max < 2) throw new RangeError('max must be at least 2');
  const out: string[] = [];
  let rest = text.replace(LONE_SURROGATE, '\ufffd');
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut <= 0) cut = rest.lastIndexOf(' ', max);
    if (cut <= 0) {
      cut = max;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    const piece = rest.slice(0, cut).replace(/\s+$/, '');
    if (piece) out.push(piece);
    rest = rest.slice(cut).replace(/^[\n ]/, '');
  }
  if (rest.trim() || out.length === 0) out.push(rest);
  return out;
}
