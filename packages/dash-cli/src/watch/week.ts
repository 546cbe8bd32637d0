import type { Snapshot, SnapshotProject } from 'dash-core/host';
import { layoutBar, type BarSegment } from './bar.js';
import { paceText } from './pace-panel.js';
import type { Canvas } from './canvas.js';
import { formatAgainst, formatDuration, truncate } from './format.js';
import type { Painter } from './palette.js';
import { displayWidth } from '../text-width.js';

const LABEL_WIDTH = 10;

/** Draws one stacked bar (cells, goal marker, overflow); returns the column after it. */
export function drawBar(canvas: Canvas, x: number, y: number, width: number, segments: readonly BarSegment[], goal: number | null, painter: Painter): number {
  const cellsWidth = Math.max(0, width - 1);
  const bar = layoutBar(segments, goal, cellsWidth);
  let column = x;
  bar.cells.forEach((key, index) => {
    if (bar.goalAt === index) column = canvas.put(column, y, '┃', { fg: painter.theme('goalMarker'), bold: true });
    if (key === null) {
      column = canvas.put(column, y, '·', { fg: painter.theme('barEmpty') });
    } else {
      const paint = painter.project(key);
      column = canvas.put(column, y, paint.glyph, { fg: paint.color });
    }
  });
  if (bar.goalAt === bar.cells.length) column = canvas.put(column, y, '┃', { fg: painter.theme('goalMarker'), bold: true });
  return column;
}

/** Legend items "█ Acme website 12h 30m", wrapped into at most `maxRows` rows. */
export function layoutLegend(projects: readonly SnapshotProject[], width: number, maxRows: number): { rows: string[][]; hidden: number } {
  const rows: string[][] = [];
  let current: string[] = [];
  let used = 0;
  for (const project of projects) {
    const item = `${project.name} ${formatDuration(project.seconds)}`;
    const size = displayWidth(item) + 2 + (current.length > 0 ? 3 : 0);
    if (used + size > width && current.length > 0) {
      rows.push(current);
      current = [];
      used = 0;
      if (rows.length === maxRows) break;
    }
    current.push(project.key);
    used += displayWidth(item) + 2 + (current.length > 1 ? 3 : 0);
  }
  if (current.length > 0 && rows.length < maxRows) rows.push(current);
  const shown = rows.reduce((acc, row) => acc + row.length, 0);
  return { rows, hidden: projects.length - shown };
}

/** How many rows the week part needs at a width (legend capped at `maxLegendRows`). */
export function weekRows(snapshot: Snapshot, width: number, maxLegendRows: number): number {
  return 3 + Math.max(1, layoutLegend(snapshot.week.projects, width, maxLegendRows).rows.length);
}

/**
 * Part 2, the week: totals, a stacked bar of hours by project scaled to the weekly goal (goal
 * marker, overflow after it), the billable part against the billable goal, and the legend.
 */
export function drawWeek(canvas: Canvas, x: number, y: number, width: number, snapshot: Snapshot, painter: Painter, maxLegendRows: number): number {
  const week = snapshot.week;
  let column = canvas.put(x, y, 'Week', { bold: true });
  column = canvas.put(column + 1, y, `worked ${formatAgainst(week.totalSeconds, week.goalSeconds)}`, { bold: true });
  const billable = `billable ${formatAgainst(week.billableSeconds, week.billableGoalSeconds)}`;
  column = canvas.put(column + 3, y, truncate(billable, Math.max(0, x + width - column - 3)));
  const over = week.goalSeconds && week.totalSeconds > week.goalSeconds ? `+${formatDuration(week.totalSeconds - week.goalSeconds)} over goal` : '';
  if (over && column + 3 + over.length <= x + width) column = canvas.put(column + 3, y, over, { fg: painter.theme('ok'), bold: true });
  // The pace in a word where it fits (the pace panel has the detail).
  if (!over && week.pace) {
    const pace = paceText(week.pace);
    if (column + 3 + pace.length <= x + width) canvas.put(column + 3, y, pace, { fg: painter.theme(week.pace.deltaSeconds > -60 ? 'ok' : 'warn'), bold: true });
  }
  const barWidth = Math.max(1, width - LABEL_WIDTH);
  const projects = week.projects;
  canvas.put(x, y + 1, 'Worked'.padEnd(LABEL_WIDTH), { fg: painter.theme('dim') });
  drawBar(canvas, x + LABEL_WIDTH, y + 1, barWidth, projects.map((p) => ({ key: p.key, seconds: p.seconds })), week.goalSeconds, painter);
  canvas.put(x, y + 2, 'Billable'.padEnd(LABEL_WIDTH), { fg: painter.theme('dim') });
  drawBar(
    canvas,
    x + LABEL_WIDTH,
    y + 2,
    barWidth,
    projects.map((p) => ({ key: p.key, seconds: p.billableSeconds })),
    week.billableGoalSeconds,
    painter,
  );
  const legend = layoutLegend(projects, width, maxLegendRows);
  if (legend.rows.length === 0) {
    canvas.put(x, y + 3, 'No time tracked this week.', { fg: painter.theme('dim') });
    return 4;
  }
  legend.rows.forEach((keys, index) => {
    let col = x;
    keys.forEach((key, n) => {
      const project = projects.find((p) => p.key === key)!;
      const paint = painter.project(key);
      if (n > 0) col += 3;
      col = canvas.put(col, y + 3 + index, `${paint.glyph} `, { fg: paint.color });
      col = canvas.put(col, y + 3 + index, project.name, { fg: paint.color, bold: true });
      col = canvas.put(col, y + 3 + index, ` ${formatDuration(project.seconds)}`);
    });
    if (index === legend.rows.length - 1 && legend.hidden > 0) {
      canvas.put(Math.min(col + 3, x + width - 8), y + 3 + index, truncate(`+${legend.hidden} more`, 8), { fg: painter.theme('dim') });
    }
  });
  return 3 + legend.rows.length;
}
