// The colours and names of the chart series: one place, so the charts, their legends and a
// web page's table beside them agree.

/** Task status series (units ranked, monthly trend). */
export const TASK_SERIES = [
  { key: 'onTime', label: 'Đúng hạn', colour: '#2e9e44' },
  { key: 'late', label: 'Trễ hạn', colour: '#f0a028' },
  { key: 'overdue', label: 'Quá hạn', colour: '#d73a49' },
] as const;

/** Commitment target series (scorecard). */
export const TARGET_SERIES = [
  { key: 'met', label: 'Đạt', colour: '#2e9e44' },
  { key: 'missed', label: 'Không đạt', colour: '#d73a49' },
  { key: 'noData', label: 'Chưa có số liệu', colour: '#8a919c' },
] as const;

export const INK = '#283040';
export const MUTED = '#5f6673';
export const GRID_LINE = '#e3e6ea';
