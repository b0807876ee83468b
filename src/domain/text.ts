// Text helpers shared by the parser, the importer and the filters.

/** Lower case, no diacritics, đ → d, spaces collapsed: "Hạn Hoàn  thành" → "han hoan thanh". */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The entry of a word table for a typed word; own keys only, so that a word
 * such as "constructor" or "toString" finds nothing instead of Object's methods.
 */
export function entryOf<T>(table: Record<string, T>, word: string): T | undefined {
  return Object.hasOwn(table, word) ? table[word] : undefined;
}

/** Text shown back to a user, cut to `max` characters with an ellipsis when longer. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** A code as stored: trimmed and upper-cased ("nv-12 " → "NV-12"). */
export function normCode(s: string): string {
  return s.trim().toUpperCase();
}

/** Vietnamese number formatting: 86.5 → "86,5". */
export function viNumber(n: number, digits = 1): string {
  const fixed = n.toFixed(digits);
  const trimmed = digits > 0 ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed.replace('.', ',');
}

/** A percentage with one decimal, Vietnamese style: 0.865 → "86,5%". */
export function viPercent(ratio: number): string {
  return `${viNumber(ratio * 100, 1)}%`;
}
