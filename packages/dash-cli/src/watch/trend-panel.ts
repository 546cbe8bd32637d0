import type { Canvas } from './canvas.js';
import type { LineChartSpec } from './contrib.js';
import { formatDayLabel, formatDuration, formatHours, truncate } from './format.js';
import type { TrendWeek } from './history.js';
import type { Painter } from './palette.js';

export const TREND_MIN_WIDTH = 40;
export const TREND_MIN_ROWS = 5;
/** The least room under the rows for the line chart (blessed-contrib) of the same weeks. */
export const TREND_CHART_MIN = { width: 50, height: 10 };

/**
 * The line chart of the weeks (hours worked, billable, the goal), for the room left under the
 * rows; null when there is too little, or in monochrome (the chart is drawn in colour).
 */
export function trendChart(weeks: readonly TrendWeek[], rect: { x: number; y: number; width: number; height: number }, mono: boolean): LineChartSpec | null {
  if (mono || weeks.length < 2 || rect.width < TREND_CHART_MIN.width || rect.height < TREND_CHART_MIN.height) return null;
  const hours = (seconds: number) => Math.round((seconds / 3600) * 10) / 10;
  const series = [
    { title: 'worked', values: weeks.map((week) => hours(week.totalSeconds)), color: 'cyan' },
    { title: 'billable', values: weeks.map((week) => hours(week.billableSeconds)), color: 'green' },
  ];
  const goal = weeks.at(-1)!.goalSeconds;
  if (goal) series.push({ title: 'goal', values: weeks.map((week) => hours(week.goalSeconds ?? goal)), color: 'magenta' });
  const max = Math.max(1, ...series.flatMap((item) => item.values));
  return { kind: 'line', rect, labels: weeks.map((week) => formatDayLabel(week.start).slice(4)), series, maxY: Math.ceil((max * 1.15) / 5) * 5 };
}

/** Cells of a bar `width` wide for `seconds` on a scale of `max` seconds. */
const cells = (seconds: number, max: number, width: number) => (max <= 0 ? 0 : Math.min(width, Math.round((seconds / max) * width)));

/**
 * The last weeks against the weekly goal, one row each, newest last:
 *   Trend · 12 weeks · █ billable ▓ other ┃ goal 40h
 *   16 Nov ██████████████▓▓▓▓▓··┃  38h 12m  95%
 * The scale is the largest of the goals and the totals; the current week is marked ▶. Shows the
 * newest weeks that fit. Returns the rows used.
 */
export function drawTrendPanel(canvas: Canvas, x: number, y: number, width: number, height: number, weeks: readonly TrendWeek[] | undefined, options: { painter: Painter; current: string }): number {
  const { painter } = options;
  if (height <= 0) return 0;
  const end = x + width;
  let column = canvas.put(x, y, 'Trend', { bold: true, fg: painter.theme('accent') });
  if (!weeks || weeks.length === 0) {
    canvas.put(column, y, truncate(' · loading…', end - column), { fg: painter.theme('dim') });
    return 1;
  }
  const goal = weeks.at(-1)!.goalSeconds;
  const billableGlyph = painter.mono ? '#' : '█';
  const otherGlyph = painter.mono ? '=' : '▓';
  column = canvas.put(column, y, truncate(` · ${weeks.length} weeks · `, end - column), { fg: painter.theme('dim') });
  column = canvas.put(column, y, billableGlyph, { fg: painter.theme('ok') });
  column = canvas.put(column, y, truncate(' billable ', end - column), { fg: painter.theme('dim') });
  column = canvas.put(column, y, otherGlyph, { fg: painter.theme('accent') });
  column = canvas.put(column, y, truncate(' other', end - column), { fg: painter.theme('dim') });
  if (goal) canvas.put(column, y, truncate(` ┃ goal ${formatHours(goal)}`, end - column), { fg: painter.theme('dim') });
  const shown = weeks.slice(Math.max(0, weeks.length - (height - 1)));
  const max = Math.max(1, ...weeks.map((week) => Math.max(week.totalSeconds, week.goalSeconds ?? 0)));
  const labelWidth = 8;
  const valueWidth = 14;
  const barWidth = Math.max(4, width - labelWidth - valueWidth - 1);
  shown.forEach((week, index) => {
    const row = y + 1 + index;
    const isCurrent = week.start === options.current;
    const label = `${isCurrent ? '▶' : ' '}${formatDayLabel(week.start).slice(4)}`;
    canvas.put(x, row, label.padEnd(labelWidth), { bold: isCurrent, fg: isCurrent ? painter.theme('accent') : null });
    const bx = x + labelWidth;
    const billable = cells(week.billableSeconds, max, barWidth);
    const total = Math.max(billable, cells(week.totalSeconds, max, barWidth));
    const goalAt = week.goalSeconds ? Math.min(barWidth - 1, cells(week.goalSeconds, max, barWidth) - 1) : -1;
    for (let n = 0; n < barWidth; n++) {
      if (n === goalAt && n >= total) canvas.put(bx + n, row, '┃', { fg: painter.theme('goalMarker') });
      else if (n < billable) canvas.put(bx + n, row, billableGlyph, { fg: painter.theme('ok') });
      else if (n < total) canvas.put(bx + n, row, otherGlyph, { fg: painter.theme('accent') });
      else canvas.put(bx + n, row, '·', { fg: painter.theme('barEmpty') });
    }
    const percent = week.goalSeconds ? ` ${Math.floor((week.totalSeconds / week.goalSeconds) * 100)}%` : '';
    const value = `${formatDuration(week.totalSeconds)}${percent}`;
    const met = week.goalSeconds !== null && week.goalSeconds > 0 && week.totalSeconds >= week.goalSeconds;
    canvas.put(bx + barWidth + 1, row, truncate(value, end - bx - barWidth - 1), { bold: isCurrent, fg: met ? painter.theme('ok') : null });
  });
  return 1 + shown.length;
}
