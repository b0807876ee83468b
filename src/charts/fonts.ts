// The one font of every chart: DejaVu Sans (full Vietnamese coverage), shipped as the
// dejavu-fonts-ttf package. ECharts lays text out with widths it measures: on the
// server it has no canvas, so the widths come from the font's own advance table here.
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The font-family every chart's text asks for; the browser falls back to a sans-serif it has. */
export const CHART_FONT_FAMILY = 'DejaVu Sans, Verdana, Arial, sans-serif';

/** The TTF files svgToPng renders with (and that a web page may serve for @font-face). */
export const DEJAVU_SANS_PATH = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const DEJAVU_SANS_BOLD_PATH = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

interface Metrics {
  unitsPerEm: number;
  /** Advance width (font units) by code point. */
  advance: Map<number, number>;
  fallback: number;
}

/** Reads the advance widths of the BMP characters from a TrueType file (cmap format 4 + hmtx). */
function readMetrics(file: string): Metrics {
  const b = fs.readFileSync(file);
  const tables = new Map<string, number>();
  const numTables = b.readUInt16BE(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    tables.set(b.toString('latin1', rec, rec + 4), b.readUInt32BE(rec + 8));
  }
  const need = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font ${file}: no ${tag} table`);
    return at;
  };
  const unitsPerEm = b.readUInt16BE(need('head') + 18);
  const numberOfHMetrics = b.readUInt16BE(need('hhea') + 34);
  const hmtx = need('hmtx');
  const advanceOfGlyph = (g: number) => b.readUInt16BE(hmtx + 4 * Math.min(g, numberOfHMetrics - 1));

  const cmap = need('cmap');
  let sub: number | undefined;
  for (let i = 0; i < b.readUInt16BE(cmap + 2); i++) {
    const rec = cmap + 4 + i * 8;
    const platform = b.readUInt16BE(rec);
    const encoding = b.readUInt16BE(rec + 2);
    const at = cmap + b.readUInt32BE(rec + 4);
    if (b.readUInt16BE(at) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) {
      sub = at;
      break;
    }
  }
  if (sub === undefined) throw new Error(`font ${file}: no Unicode BMP cmap`);
  const segX2 = b.readUInt16BE(sub + 6);
  const ends = sub + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  const advance = new Map<number, number>();
  for (let s = 0; s < segX2 / 2; s++) {
    const end = b.readUInt16BE(ends + 2 * s);
    const start = b.readUInt16BE(starts + 2 * s);
    const delta = b.readInt16BE(deltas + 2 * s);
    const roAt = rangeOffsets + 2 * s;
    const ro = b.readUInt16BE(roAt);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let g: number;
      if (ro === 0) g = (c + delta) & 0xffff;
      else {
        g = b.readUInt16BE(roAt + ro + 2 * (c - start));
        if (g !== 0) g = (g + delta) & 0xffff;
      }
      if (g !== 0) advance.set(c, advanceOfGlyph(g));
    }
  }
  return { unitsPerEm, advance, fallback: advanceOfGlyph(0) };
}

let regular: Metrics | undefined;
let bold: Metrics | undefined;

/** Width in px of `text` set in DejaVu Sans at `sizePx` (combining marks have no advance of their own). */
export function textWidth(text: string, sizePx: number, isBold = false): number {
  const m = isBold ? (bold ??= readMetrics(DEJAVU_SANS_BOLD_PATH)) : (regular ??= readMetrics(DEJAVU_SANS_PATH));
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    units += m.advance.get(cp) ?? m.fallback;
  }
  return (units / m.unitsPerEm) * sizePx;
}

/** A CSS font shorthand as ECharts writes it ("bold 14px DejaVu Sans") → its width measure. */
export function measureCssFont(text: string, font: string | undefined): number {
  const size = /(\d+(?:\.\d+)?)px/.exec(font ?? '');
  return textWidth(text, size ? Number(size[1]) : 12, /\bbold(er)?\b|\b[6-9]00\b/.test(font ?? ''));
}
