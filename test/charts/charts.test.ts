import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CHART_WIDTH,
  scorecardBars,
  scorecardChartSvg,
  svgToPng,
  trendChartSvg,
  twelveMonths,
  unitBarsFromReport,
  unitsChartSvg,
  type UnitStatusBar,
} from '../../src/charts/index.ts';
import type { UnitRow } from '../../src/app/report.types.ts';
import { decodePng } from '../helpers/png.ts';

const UNITS: UnitStatusBar[] = [
  { name: 'Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Trị', onTime: 24, late: 3, overdue: 2 },
  { name: 'Phòng Nội vụ', onTime: 12, late: 3, overdue: 2 },
  { name: 'Ủy ban nhân dân phường Đông Hà', onTime: 0, late: 0, overdue: 4 },
];

/** The text nodes of an SVG, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
  );
}

describe('units ranked (a)', () => {
  it('writes every unit name in full, with its diacritics, the legend and the numbers', () => {
    const svg = unitsChartSvg({ title: 'Nhiệm vụ theo đơn vị, năm 2026', units: UNITS });
    const t = texts(svg);
    expect(t).toContain('Nhiệm vụ theo đơn vị, năm 2026');
    expect(t).toEqual(expect.arrayContaining(['Đúng hạn', 'Trễ hạn', 'Quá hạn']));
    // A long name is broken over lines, never cut: its words are all there, in order.
    expect(t.join(' ')).toContain('Sở Nông nghiệp và Phát triển nông thôn tỉnh');
    expect(t.join(' ')).toMatch(/tỉnh\s*Quảng Trị/);
    expect(t).toEqual(expect.arrayContaining(['Phòng Nội vụ', 'Ủy ban nhân dân phường Đông Hà']));
    // Segment numbers and the on-time rates (24 / 29 = 82,8%; 12 / 17 = 70,6%; 0 / 4).
    expect(t).toEqual(expect.arrayContaining(['24', '12', '4', '82,8%', '70,6%', '0%']));
    expect(svg).toContain('font-family:DejaVu Sans');
    expect(svg).toContain('fill="#2e9e44"');
    expect(svg).toContain('fill="#f0a028"');
    expect(svg).toContain('fill="#d73a49"');
    expect(svg).toMatch(/^<svg role="img" aria-label="Nhiệm vụ theo đơn vị, năm 2026\. Sở Nông nghiệp[^"]*Phòng Nội vụ: đúng hạn 12, trễ hạn 3, quá hạn 2/);
  });

  it('gives the same bytes for the same input, whatever was drawn before', () => {
    const input = { title: 'Năm 2026', units: UNITS };
    const first = unitsChartSvg(input);
    trendChartSvg({ title: 'Xen giữa', months: [{ month: 3, onTime: 1, late: 0, overdue: 0 }] });
    expect(unitsChartSvg(input)).toBe(first);
    expect(svgToPng(unitsChartSvg(input)).equals(svgToPng(first))).toBe(true);
    // Another chart has class names of its own (several charts can share one page).
    const other = unitsChartSvg({ title: 'Năm 2025', units: UNITS.slice(1) });
    const cls = (s: string) => new Set([...s.matchAll(/class="([^"]+)"/g)].map((m) => m[1]));
    expect([...cls(other)].filter((c) => cls(first).has(c))).toEqual([]);
  });

  it('escapes names that are not plain text, and says so when there is nothing to draw', () => {
    const svg = unitsChartSvg({ title: 'Tài chính & "Kế hoạch"', units: [{ name: 'Phòng Tài chính <KH> & Đầu tư', onTime: 1, late: 1, overdue: 0 }] });
    expect(texts(svg)).toContain('Phòng Tài chính <KH> & Đầu tư');
    expect(decodePng(svgToPng(svg)).width).toBe(CHART_WIDTH * 1.5);
    const empty = unitsChartSvg({ title: 'Năm 2026', units: [] });
    expect(texts(empty)).toContain('Chưa có nhiệm vụ nào đến hạn hoặc đã hoàn thành.');
  });

  it('takes the report units in rank order, leaving out those with nothing due or done', () => {
    const row = (code: string, rank: number, c: [number, number, number, number]): UnitRow => ({
      code,
      name: `Đơn vị ${code}`,
      rank,
      total: c[0] + c[1] + c[2] + c[3],
      doneOnTime: c[0],
      doneLate: c[1],
      overdue: c[2],
      inProgress: c[3],
      onTimeRate: null,
    });
    const bars = unitBarsFromReport([row('B', 2, [1, 1, 0, 0]), row('C', 3, [0, 0, 0, 5]), row('A', 1, [3, 0, 0, 1])]);
    expect(bars).toEqual([
      { name: 'Đơn vị A', onTime: 3, late: 0, overdue: 0 },
      { name: 'Đơn vị B', onTime: 1, late: 1, overdue: 0 },
    ]);
  });

  it('draws sixty units into one readable PNG', () => {
    const units = Array.from({ length: 60 }, (_, i) => ({ name: `Ủy ban nhân dân xã Đức Thắng số ${i + 1}`, onTime: (i * 7) % 23, late: i % 5, overdue: (i * 3) % 7 }));
    const svg = unitsChartSvg({ title: 'Sáu mươi đơn vị', units });
    const t = texts(svg);
    for (const u of units) expect(t).toContain(u.name);
    const png = decodePng(svgToPng(svg));
    expect(png.width).toBe(1200);
    expect(png.height).toBeGreaterThan(60 * 28 * 1.5);
    if (process.env.CHART_OUT) fs.writeFileSync(`${process.env.CHART_OUT}-60.png`, svgToPng(svg));
  });
});

describe('the year by month (b)', () => {
  it('has twelve months, zeros where nothing is given, and the totals', () => {
    const months = [
      { month: 1, onTime: 10, late: 2, overdue: 1 },
      { month: 11, onTime: 20, late: 1, overdue: 6 },
      { month: 11, onTime: 1, late: 0, overdue: 0 },
    ];
    expect(twelveMonths(months)[10]).toEqual({ month: 11, onTime: 21, late: 1, overdue: 6 });
    expect(() => twelveMonths([{ month: 13, onTime: 1, late: 0, overdue: 0 }])).toThrow(RangeError);
    const svg = trendChartSvg({ title: 'Xu hướng năm 2026', months });
    const t = texts(svg);
    for (let m = 1; m <= 12; m++) expect(t).toContain(`T${m}`);
    expect(t).toEqual(expect.arrayContaining(['Xu hướng năm 2026', 'Tháng', 'Đúng hạn', 'Trễ hạn', 'Quá hạn', '13', '28']));
    expect(svg).toContain('tháng 11: đúng hạn 21, trễ hạn 1, quá hạn 6');
    expect(trendChartSvg({ title: 'Xu hướng năm 2026', months })).toBe(svg);
    const png = decodePng(svgToPng(svg));
    expect([png.width, png.height]).toEqual([1200, 570]);
  });
});

describe('commitments scorecard (c)', () => {
  it('has each unit in rank order with its targets met, missed and without data, and its score', () => {
    const units = scorecardBars([
      { code: 'YT', name: 'Sở Y tế', met: 0, missed: 0, noData: 0, score: null, rank: 3, targets: [] },
      { code: 'TP', name: 'Sở Tư pháp', met: 5, missed: 1, noData: 2, score: 62.5, rank: 1, targets: [] },
      { code: 'HL', name: 'UBND xã Hải Lăng', met: 1, missed: 3, noData: 0, score: 25, rank: 2, targets: [] },
    ]);
    expect(units.map((u) => u.name)).toEqual(['Sở Tư pháp', 'UBND xã Hải Lăng', 'Sở Y tế']);
    const svg = scorecardChartSvg({ title: 'Cam kết năm 2026', units });
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(['Sở Tư pháp', 'UBND xã Hải Lăng', 'Sở Y tế', 'Đạt', 'Không đạt', 'Chưa có số liệu', '62,5 điểm', '25 điểm', '5', '3']));
    expect(svg).toContain('Sở Tư pháp: đạt 5, không đạt 1, chưa có số liệu 2');
    const png = decodePng(svgToPng(svg, { scale: 1 }));
    expect(png.width).toBe(CHART_WIDTH);
    if (process.env.CHART_OUT) fs.writeFileSync(`${process.env.CHART_OUT}-camket.png`, svgToPng(svg));
  });
});
