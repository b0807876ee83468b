// Charts drawn on the server, once for the web and the chat.
//
// Every builder takes plain numbers and returns an SVG string (ECharts' server-side SVG
// renderer): Vietnamese with full diacritics, in DejaVu Sans, no animation, fixed size, and
// byte for byte the same for the same input. The chat gets the same picture as a PNG through
// svgToPng (resvg with the packaged DejaVu fonts only, never the system's).
//
//   unitsChartSvg({ title, subtitle?, units })     (a) units ranked, stacked bars on time / late / overdue,
//                                                   unit names in full, on-time rate at the end of each bar;
//                                                   units from a report: unitBarsFromReport(report.units)
//   trendChartSvg({ title, subtitle?, months })    (b) the year by month (12 columns, stacked);
//                                                   months: { month: 1–12, onTime, late, overdue }[]
//   scorecardChartSvg({ title, subtitle?, units }) (c) commitments: targets met / missed / no data per unit,
//                                                   score at the end; units: scorecardBars(scorecard.units)
//   svgToPng(svg, { scale? })                       PNG bytes, 1.5× by default
//
// For a web page: put the SVG string in the HTML as is (it has role="img" and an aria-label
// that reads out every number; its class names are unique to each chart, so several can share
// a page). It is 800 px wide with a viewBox: `svg { max-width: 100%; height: auto }` fits a
// phone. The table beside it should use TASK_SERIES / TARGET_SERIES for its column names and
// colours, and unitOnTimeRate for the rate, so the table and the chart say the same thing.
// The text asks for CHART_FONT_FAMILY; to show DejaVu Sans to browsers that lack it, serve
// DEJAVU_SANS_PATH / DEJAVU_SANS_BOLD_PATH through @font-face.
export { CHART_FONT_FAMILY, DEJAVU_SANS_BOLD_PATH, DEJAVU_SANS_PATH } from './fonts.ts';
export { PNG_SCALE, svgToPng } from './png.ts';
export { scorecardBars, scorecardChartSvg, type ScorecardChartInput, type UnitTargetsBar } from './scorecard-chart.ts';
export { CHART_WIDTH } from './stacked-rows.ts';
export { TARGET_SERIES, TASK_SERIES } from './status-style.ts';
export { trendChartSvg, twelveMonths, type MonthCounts, type TrendChartInput } from './trend-chart.ts';
export { unitBarsFromReport, unitOnTimeRate, unitsChartSvg, type UnitsChartInput, type UnitStatusBar } from './units-chart.ts';
