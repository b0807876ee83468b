// One horizontal stacked bar per row (a unit), the rows in the order given, top first:
// the shape of the units ranking and of the commitments scorecard. Names are set in full,
// broken over lines when long; each segment shows its number when it fits inside, and
// each row ends with a label (a total, a rate).
import type { EChartsOption } from 'echarts';
import { textWidth } from './fonts.ts';
import { renderSvg } from './render.ts';
import { GRID_LINE, INK, MUTED } from './status-style.ts';

export interface StackedRow {
  name: string;
  values: readonly number[];
  endLabel: string;
}

export interface StackedRowsSpec {
  title: string;
  subtitle?: string;
  series: readonly { label: string; colour: string; textColour: string }[];
  rows: readonly StackedRow[];
  /** The sentence shown when there are no rows. */
  emptyText: string;
  /** Text for screen readers (the SVG's aria-label). */
  description: string;
}

export const CHART_WIDTH = 800;
const NAME_MAX_PX = 300;
const NAME_FONT = 12;
const NAME_LINE = 15;
const NAME_MAX_LINES = 3;
const VALUE_FONT = 11;
const END_FONT = 12;
const PAD = 16;

/** The lines a name breaks into at NAME_MAX_PX (word by word, as ECharts' overflow "break" does). */
export function nameLines(name: string): number {
  let lines = 1;
  let width = 0;
  const space = textWidth(' ', NAME_FONT);
  for (const word of name.split(/\s+/).filter(Boolean)) {
    const w = textWidth(word, NAME_FONT);
    if (width > 0 && width + space + w > NAME_MAX_PX) {
      lines++;
      width = w;
    } else width += (width > 0 ? space : 0) + w;
  }
  return Math.min(lines, NAME_MAX_LINES);
}

export function stackedRowsSvg(spec: StackedRowsSpec): string {
  const top = spec.subtitle ? 84 : 66;
  const title = { text: spec.title, subtext: spec.subtitle, left: PAD, top: 10, textStyle: { fontSize: 16, fontWeight: 'bold' as const, color: INK }, subtextStyle: { fontSize: 12, color: MUTED } };
  const legendTop = spec.subtitle ? 56 : 38;
  if (spec.rows.length === 0) {
    return renderSvg(
      {
        title: [title, { text: spec.emptyText, left: 'center', top: top + 10, textStyle: { fontSize: 13, fontWeight: 'normal', color: MUTED } }],
      },
      CHART_WIDTH,
      top + 60,
      spec.description,
    );
  }
  const rowH = Math.max(28, Math.max(...spec.rows.map((r) => nameLines(r.name))) * NAME_LINE + 10);
  const nameW = Math.min(NAME_MAX_PX, Math.max(...spec.rows.map((r) => textWidth(r.name, NAME_FONT))));
  const endW = Math.max(...spec.rows.map((r) => textWidth(r.endLabel, END_FONT)));
  const left = PAD + Math.ceil(nameW) + 10;
  const right = PAD + Math.ceil(endW) + 8;
  const plotW = CHART_WIDTH - left - right;
  const maxTotal = Math.max(1, ...spec.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const fits = (v: number) => v > 0 && (v / maxTotal) * plotW >= textWidth(String(v), VALUE_FONT) + 6;
  const height = top + spec.rows.length * rowH + PAD;

  const option: EChartsOption = {
    title,
    legend: {
      top: legendTop,
      left: PAD,
      selectedMode: false,
      itemWidth: 14,
      itemHeight: 12,
      textStyle: { fontSize: 12, color: INK },
      data: spec.series.map((s) => s.label),
    },
    grid: { left, right, top, bottom: PAD, containLabel: false },
    xAxis: { type: 'value', min: 0, max: maxTotal, show: false, splitLine: { show: false } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: spec.rows.map((r) => r.name),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: { width: NAME_MAX_PX, overflow: 'break', fontSize: NAME_FONT, lineHeight: NAME_LINE, color: INK, margin: 10 },
    },
    series: [
      ...spec.series.map((s, i) => ({
        name: s.label,
        type: 'bar' as const,
        stack: 'all',
        silent: true,
        barMaxWidth: 20,
        itemStyle: { color: s.colour },
        emphasis: { disabled: true },
        label: {
          show: true,
          position: 'inside' as const,
          fontSize: VALUE_FONT,
          color: s.textColour,
          formatter: (p: { value: unknown }) => (fits(Number(p.value)) ? String(p.value) : ''),
        },
        data: spec.rows.map((r) => r.values[i] ?? 0),
      })),
      {
        // A bar of no width at the end of each stack, to carry the row's end label.
        name: 'end',
        type: 'bar' as const,
        stack: 'all',
        silent: true,
        barMaxWidth: 20,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        label: { show: true, position: 'right' as const, fontSize: END_FONT, color: INK, formatter: (p: { dataIndex: number }) => spec.rows[p.dataIndex]?.endLabel ?? '' },
        data: spec.rows.map(() => 0),
      },
    ],
  };
  return renderSvg(option, CHART_WIDTH, height, spec.description);
}
