// A 3×5 bitmap font for chart labels: A–Z, 0–9 and a few symbols. Letters with
// Vietnamese diacritics are drawn without them (labels are unit codes).
import type { Raster } from './png.ts';

const GLYPHS: Record<string, string> = {
  '0': '111101101101111', '1': '010110010010111', '2': '111001111100111', '3': '111001111001111',
  '4': '101101111001001', '5': '111100111001111', '6': '111100111101111', '7': '111001001001001',
  '8': '111101111101111', '9': '111101111001111', A: '010101111101101', B: '110101110101110',
  C: '011100100100011', D: '110101101101110', E: '111100110100111', F: '111100110100100',
  G: '011100101101011', H: '101101111101101', I: '111010010010111', J: '001001001101010',
  K: '101101110101101', L: '100100100100111', M: '101111111101101', N: '110101101101101',
  O: '010101101101010', P: '110101110100100', Q: '010101101110011', R: '110101110101101',
  S: '011100010001110', T: '111010010010010', U: '101101101101111', V: '101101101101010',
  W: '101101111111101', X: '101101010101101', Y: '101101010010010', Z: '111001010100111',
  '-': '000000111000000', '.': '000000000000010', '/': '001001010100100', '%': '101001010100101',
  ':': '000010000010000', ' ': '000000000000000',
};

/** Width in pixels of `text` at `scale`. */
export function textWidth(text: string, scale: number): number {
  return text.length * 4 * scale;
}

/** Draws `text` (upper-cased, diacritics dropped, unknown characters as spaces) with its top-left at (x, y). */
export function drawText(r: Raster, text: string, x: number, y: number, scale: number, color: [number, number, number]): void {
  const plain = text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'D').toUpperCase();
  let cx = x;
  for (const ch of plain) {
    const g = GLYPHS[ch] ?? GLYPHS[' '];
    for (let row = 0; row < 5; row++) {
      for (let col = 0; col < 3; col++) {
        if (g[row * 3 + col] === '1') r.fillRect(cx + col * scale, y + row * scale, scale, scale, color);
      }
    }
    cx += 4 * scale;
  }
}
