// Chart (c): the commitments scorecard, one stacked bar per unit (targets met / missed / no data).
import type { ScorecardUnit } from '../app/commitments/scorecard.ts';
import { viNumber } from '../domain/text.ts';
import { stackedRowsSvg } from './stacked-rows.ts';
import { TARGET_SERIES } from './status-style.ts';

export interface UnitTargetsBar {
  name: string;
  met: number;
  missed: number;
  noData: number;
  /** The scorecard's score (met / all targets × 100); null when the commitment has no targets. */
  score: number | null;
}

export interface ScorecardChartInput {
  title: string;
  subtitle?: string;
  /** Top row first (the scorecard's rank order). */
  units: readonly UnitTargetsBar[];
}

/** The scorecard's units in rank order. */
export function scorecardBars(units: readonly ScorecardUnit[]): UnitTargetsBar[] {
  return [...units].sort((a, b) => a.rank - b.rank).map((u) => ({ name: u.name, met: u.met, missed: u.missed, noData: u.noData, score: u.score }));
}

const textColour = { met: '#ffffff', missed: '#ffffff', noData: '#ffffff' } as const;

export function scorecardChartSvg(input: ScorecardChartInput): string {
  const rows = input.units.map((u) => ({ name: u.name, values: [u.met, u.missed, u.noData], endLabel: u.score === null ? '–' : `${viNumber(u.score, 1)} điểm` }));
  const described = input.units.map((u) => `${u.name}: đạt ${u.met}, không đạt ${u.missed}, chưa có số liệu ${u.noData}`);
  return stackedRowsSvg({
    title: input.title,
    subtitle: input.subtitle ?? 'Số chỉ tiêu trong thanh; điểm (tỷ lệ chỉ tiêu đạt) ở cuối thanh.',
    series: TARGET_SERIES.map((s) => ({ label: s.label, colour: s.colour, textColour: textColour[s.key] })),
    rows,
    emptyText: 'Chưa có đơn vị nào ký cam kết năm này.',
    description: `${input.title}. ${described.join('; ')}.`,
  });
}
