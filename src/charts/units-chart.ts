// Chart (a): the units ranked, one stacked bar each (on time / late / overdue).
import type { UnitRow } from '../app/report.types.ts';
import { viPercent } from '../domain/text.ts';
import { stackedRowsSvg } from './stacked-rows.ts';
import { TASK_SERIES } from './status-style.ts';

export interface UnitStatusBar {
  /** The unit's name, in full. */
  name: string;
  onTime: number;
  late: number;
  overdue: number;
}

export interface UnitsChartInput {
  title: string;
  /** A line under the title; default: what the numbers are. */
  subtitle?: string;
  /** Top row first, as ranked by the caller. */
  units: readonly UnitStatusBar[];
}

/** The on-time rate a bar ends with: on time / (on time + late + overdue); null when nothing is due or done. */
export function unitOnTimeRate(u: UnitStatusBar): number | null {
  const n = u.onTime + u.late + u.overdue;
  return n === 0 ? null : u.onTime / n;
}

/** The report's units in its rank order, leaving out those with nothing done or due yet. */
export function unitBarsFromReport(units: readonly UnitRow[]): UnitStatusBar[] {
  return [...units]
    .sort((a, b) => a.rank - b.rank)
    .filter((u) => u.doneOnTime + u.doneLate + u.overdue > 0)
    .map((u) => ({ name: u.name, onTime: u.doneOnTime, late: u.doneLate, overdue: u.overdue }));
}

const textColour = { onTime: '#ffffff', late: '#283040', overdue: '#ffffff' } as const;

export function unitsChartSvg(input: UnitsChartInput): string {
  const rows = input.units.map((u) => {
    const rate = unitOnTimeRate(u);
    return { name: u.name, values: [u.onTime, u.late, u.overdue], endLabel: rate === null ? '–' : viPercent(rate) };
  });
  const described = input.units.map((u) => `${u.name}: đúng hạn ${u.onTime}, trễ hạn ${u.late}, quá hạn ${u.overdue}`);
  return stackedRowsSvg({
    title: input.title,
    subtitle: input.subtitle ?? 'Số nhiệm vụ trong thanh; tỷ lệ đúng hạn ở cuối thanh.',
    series: TASK_SERIES.map((s) => ({ label: s.label, colour: s.colour, textColour: textColour[s.key] })),
    rows,
    emptyText: 'Chưa có nhiệm vụ nào đến hạn hoặc đã hoàn thành.',
    description: `${input.title}. ${described.join('; ')}.`,
  });
}
