// Chart (b): the year month by month, one stacked column per month (on time / late / overdue).
import type { EChartsOption } from 'echarts';
import { renderSvg } from './render.ts';
import { CHART_WIDTH } from './stacked-rows.ts';
import { GRID_LINE, INK, MUTED, TASK_SERIES } from './status-style.ts';

export interface MonthCounts {
  /** 1–12. */
  month: number;
  onTime: number;
  late: number;
  overdue: number;
}

export interface TrendChartInput {
  title: string;
  subtitle?: string;
  /** Any months of the year; a month not given counts zero. Which month a task counts in is the caller's rule. */
  months: readonly MonthCounts[];
}

const HEIGHT = 380;
const textColour = { onTime: '#ffffff', late: '#283040', overdue: '#ffffff' } as const;

/** The twelve months in order, zeros where `months` has none (a month given twice is summed). */
export function twelveMonths(months: readonly MonthCounts[]): MonthCounts[] {
  const out = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, onTime: 0, late: 0, overdue: 0 }));
  for (const m of months) {
    const slot = out[m.month - 1];
    if (!slot) throw new RangeError(`month must be 1–12, got ${m.month}`);
    slot.onTime += m.onTime;
    slot.late += m.late;
    slot.overdue += m.overdue;
  }
  return out;
}

export function trendChartSvg(input: TrendChartInput): string {
  const months = twelveMonths(input.months);
  const totals = months.map((m) => m.onTime + m.late + m.overdue);
  const described = months.map((m) => `tháng ${m.month}: đúng hạn ${m.onTime}, trễ hạn ${m.late}, quá hạn ${m.overdue}`);
  const option: EChartsOption = {
    title: {
      text: input.title,
      subtext: input.subtitle ?? 'Số nhiệm vụ mỗi tháng; tổng ở đầu mỗi cột.',
      left: 16,
      top: 10,
      textStyle: { fontSize: 16, fontWeight: 'bold', color: INK },
      subtextStyle: { fontSize: 12, color: MUTED },
    },
    legend: { top: 56, left: 16, selectedMode: false, itemWidth: 14, itemHeight: 12, textStyle: { fontSize: 12, color: INK }, data: TASK_SERIES.map((s) => s.label) },
    grid: { left: 48, right: 16, top: 96, bottom: 44, containLabel: false },
    xAxis: {
      type: 'category',
      name: 'Tháng',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { fontSize: 12, color: MUTED },
      data: months.map((m) => `T${m.month}`),
      axisTick: { show: false },
      axisLine: { lineStyle: { color: GRID_LINE } },
      axisLabel: { fontSize: 12, color: INK },
    },
    yAxis: {
      type: 'value',
      min: 0,
      minInterval: 1,
      axisLabel: { fontSize: 11, color: MUTED },
      splitLine: { lineStyle: { color: GRID_LINE } },
    },
    series: [
      ...TASK_SERIES.map((s) => ({
        name: s.label,
        type: 'bar' as const,
        stack: 'all',
        silent: true,
        barMaxWidth: 36,
        itemStyle: { color: s.colour },
        emphasis: { disabled: true },
        label: { show: false, color: textColour[s.key] },
        data: months.map((m) => m[s.key]),
      })),
      {
        name: 'total',
        type: 'bar' as const,
        stack: 'all',
        silent: true,
        barMaxWidth: 36,
        itemStyle: { color: 'transparent' },
        emphasis: { disabled: true },
        label: { show: true, position: 'top' as const, fontSize: 11, color: INK, formatter: (p: { dataIndex: number }) => (totals[p.dataIndex] ? String(totals[p.dataIndex]) : '') },
        data: months.map(() => 0),
      },
    ],
  };
  return renderSvg(option, CHART_WIDTH, HEIGHT, `${input.title}. ${described.join('; ')}.`);
}
