// The weekly summary's bar chart: one stacked bar per unit (on time / late / overdue).
import { drawText, textWidth } from './font.ts';
import { Raster } from './png.ts';

export interface UnitBar {
  label: string;
  onTime: number;
  late: number;
  overdue: number;
}

const GREEN: [number, number, number] = [46, 160, 67];
const ORANGE: [number, number, number] = [240, 160, 40];
const RED: [number, number, number] = [215, 58, 73];
const INK: [number, number, number] = [40, 40, 40];
const GRID: [number, number, number] = [225, 225, 225];

const WIDTH = 720;
const ROW = 26;
const TOP = 40;
const LEGEND = 40;
const SCALE = 2;

/** A PNG of the bars, most units first as given; at most `maxUnits` rows. */
export function barChartPng(title: string, bars: UnitBar[], maxUnits = 20): Buffer {
  const rows = bars.slice(0, maxUnits);
  const height = TOP + Math.max(1, rows.length) * ROW + LEGEND;
  const r = new Raster(WIDTH, height);
  drawText(r, title.slice(0, 40), 10, 12, SCALE + 1, INK);
  const labelW = Math.max(60, ...rows.map((b) => textWidth(b.label.slice(0, 12), SCALE))) + 16;
  const maxTotal = Math.max(1, ...rows.map((b) => b.onTime + b.late + b.overdue));
  const barMax = WIDTH - labelW - 70;
  rows.forEach((b, i) => {
    const y = TOP + i * ROW;
    r.fillRect(labelW, y + ROW - 1, barMax, 1, GRID);
    drawText(r, b.label.slice(0, 12), 8, y + 8, SCALE, INK);
    let x = labelW;
    for (const [n, c] of [
      [b.onTime, GREEN],
      [b.late, ORANGE],
      [b.overdue, RED],
    ] as const) {
      const w = Math.round((n / maxTotal) * barMax);
      r.fillRect(x, y + 4, w, ROW - 8, c);
      x += w;
    }
    drawText(r, String(b.onTime + b.late + b.overdue), x + 6, y + 8, SCALE, INK);
  });
  const ly = TOP + Math.max(1, rows.length) * ROW + 14;
  let lx = 10;
  for (const [name, c] of [
    ['DUNG HAN', GREEN],
    ['TRE HAN', ORANGE],
    ['QUA HAN', RED],
  ] as const) {
    r.fillRect(lx, ly, 12, 12, c);
    drawText(r, name, lx + 18, ly + 1, SCALE, INK);
    lx += 18 + textWidth(name, SCALE) + 24;
  }
  return r.toPng();
}
