// Renders an ECharts option to an SVG string on the server, the same bytes for the same option.
import { createHash } from 'node:crypto';
import * as echarts from 'echarts';
import { CHART_FONT_FAMILY, measureCssFont } from './fonts.ts';

let platformSet = false;

/**
 * ECharts numbers its renderers and their CSS classes ("zr0-cls-3") in the order they were
 * made in the process: they are renumbered in order of appearance under a digest of the chart
 * itself, so the output depends on the input only, and two different charts inline in one
 * page never share a class name.
 */
function stableIds(svg: string): string {
  const names = new Map<string, number>();
  const local = svg.replace(/\bzr\d+-cls-\d+\b/g, (c) => {
    let n = names.get(c);
    if (n === undefined) names.set(c, (n = names.size));
    return `@-cls-${n}`;
  });
  const digest = createHash('sha256').update(local).digest('hex').slice(0, 10);
  return local.replace(/@-cls-/g, `nv${digest}-cls-`);
}

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The SVG of `option` drawn at width × height px: no animation, DejaVu Sans text, and
 * `description` as the picture's accessible name (role="img", aria-label).
 */
export function renderSvg(option: echarts.EChartsOption, width: number, height: number, description: string): string {
  if (!platformSet) {
    echarts.setPlatformAPI({ measureText: (text: string, font?: string) => ({ width: measureCssFont(text, font) }) as TextMetrics });
    platformSet = true;
  }
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT_FAMILY }, backgroundColor: '#ffffff', ...option });
    const svg = chart.renderToSVGString().replace(/^<svg /, `<svg role="img" aria-label="${xmlAttr(description)}" `);
    return stableIds(svg);
  } finally {
    chart.dispose();
  }
}
