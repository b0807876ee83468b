// SVG → PNG through resvg with the packaged DejaVu fonts only (no system fonts), so a chart
// renders the same on every machine, Vietnamese diacritics included.
import { Resvg } from '@resvg/resvg-js';
import { DEJAVU_SANS_BOLD_PATH, DEJAVU_SANS_PATH } from './fonts.ts';

/** Chat pictures are drawn at 1.5× the SVG's size: sharp on a phone, small enough to send. */
export const PNG_SCALE = 1.5;

export function svgToPng(svg: string, opts: { scale?: number } = {}): Buffer {
  const resvg = new Resvg(svg, {
    font: {
      loadSystemFonts: false,
      fontFiles: [DEJAVU_SANS_PATH, DEJAVU_SANS_BOLD_PATH],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
    fitTo: { mode: 'zoom', value: opts.scale ?? PNG_SCALE },
    background: '#ffffff',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
