import type { SnapshotDay } from 'dash-core/host';
import { Canvas } from './canvas.js';
import { drawDayProjects, drawDayTabs, drawWeekStrips } from './compact.js';
import { DAY_GRID_WIDTH, drawDayGrid, drawDayHeader, hourWindow } from './day.js';
import { formatDayLabel, formatLocalTime, truncate } from './format.js';
import { chooseLayout, DAY_GAP, MARGIN, type Layout } from './layout.js';
import { createPainter, type Painter } from './palette.js';
import type { ChartSpec } from './contrib.js';
import { drawFullPanel, drawPanel, panelWants, PANELS, placePanels, type PanelName, type Rect } from './panels.js';
import { drawStatus } from './status.js';
import type { DashView, TimerSpot } from './view.js';
import { drawWeek } from './week.js';

export interface Frame {
  canvas: Canvas;
  layout: Layout;
  /** Where running timers are drawn (for the once-a-second redraw). */
  timers: TimerSpot[];
  /** The panels drawn, and those that did not fit (their keys show them). */
  panels: { shown: PanelName[]; hidden: PanelName[] };
  /** blessed-contrib charts to place over the canvas (contrib.ts). */
  charts: ChartSpec[];
}

export const KEY_HELP: readonly [string, string][] = [
  ['q, Ctrl-C', 'quit'],
  ['r', 'sync every backend now'],
  ['← →', 'previous / next week'],
  ['t', 'back to today'],
  ['1 – 7, ↑ ↓', 'select a day'],
  ...PANELS.map(({ key, title }): [string, string] => [key, `show ${title} full-size (again: back)`]),
  ['Esc', 'back to the days'],
  ['?', 'this help'],
];

function weekName(offset: number): string {
  if (offset === 0) return 'this week';
  if (offset === -1) return 'last week';
  if (offset === 1) return 'next week';
  return offset < 0 ? `${-offset} weeks ago` : `in ${offset} weeks`;
}

function drawTitle(canvas: Canvas, view: DashView, painter: Painter): void {
  const { snapshot } = view;
  const width = canvas.width - 2 * MARGIN;
  let column = canvas.put(MARGIN, 0, 'Dash', { bold: true, fg: painter.theme('accent') });
  column = canvas.put(column + 2, 0, `${formatDayLabel(snapshot.week.start)} – ${formatDayLabel(snapshot.week.end)}`, { bold: true });
  column = canvas.put(column + 2, 0, `(${weekName(view.weekOffset)})`, { bold: view.weekOffset !== 0, fg: view.weekOffset !== 0 ? painter.theme('warn') : painter.theme('dim') });
  const clock = `${snapshot.timezone}  ${formatLocalTime(view.now.toISOString(), snapshot.timezone, '')}`;
  const right = view.clockNote ? `${view.clockNote} · ${clock}` : clock;
  if (column + 2 + right.length <= MARGIN + width) canvas.put(MARGIN + width - right.length, 0, right, { fg: painter.theme('dim') });
}

function drawFooter(canvas: Canvas, view: DashView, layout: Layout, painter: Painter, hidden: readonly PanelName[]): void {
  const y = canvas.height - 1;
  const width = canvas.width - 2 * MARGIN;
  const panelKeys = view.panel
    ? `${PANELS.find((panel) => panel.name === view.panel)!.key}/Esc back`
    : hidden.length > 0
      ? PANELS.filter((panel) => hidden.includes(panel.name)).map((panel) => `${panel.key} ${panel.name}`).join(' ')
      : '';
  const full = `q quit  r sync  ←/→ week  t today  1-7/↑↓ day  ${panelKeys ? `${panelKeys}  ` : ''}? help`;
  // Narrow: the panels' keys first (they are the only way to see a hidden panel), the rest short.
  const keys = full.length <= width ? full : `q quit r sync ←→ week t today 1-7 day ${panelKeys ? `${panelKeys} ` : ''}? help`;
  const legend = layout.mode !== 'too-small' && layout.halfBlock ? '▀ = 2 hours, 1 column = 1 minute' : '1 box = 1 minute';
  const right = view.notice ?? legend;
  canvas.put(MARGIN, y, truncate(keys, width), { fg: painter.theme('dim') });
  if (keys.length + 2 + right.length <= width) canvas.put(MARGIN + width - right.length, y, right, { fg: view.notice ? painter.theme('warn') : painter.theme('dim') });
}

function windowLabel(day: SnapshotDay, from: number, to: number): string | null {
  if (from === 0 && to === day.hours.length) return null;
  const first = day.hours[from]?.hour ?? 0;
  const last = day.hours[to - 1]?.hour ?? 23;
  return `${String(first).padStart(2, '0')}–${String(last + 1).padStart(2, '0')}h`;
}

function drawHelp(canvas: Canvas, painter: Painter): void {
  const legend = painter.mono ? 'Each project has its glyph (see the legend).' : 'Each project has its color (see the legend).';
  const lines = ['Keys', '', ...KEY_HELP.map(([key, what]) => `${key.padEnd(12)} ${what}`), '', legend, 'Any key closes this help.'];
  const boxWidth = Math.min(canvas.width - 2, Math.max(...lines.map((line) => line.length)) + 4);
  const boxHeight = Math.min(canvas.height - 2, lines.length + 2);
  const x = Math.max(0, Math.floor((canvas.width - boxWidth) / 2));
  const y = Math.max(0, Math.floor((canvas.height - boxHeight) / 2));
  const border = { fg: painter.theme('accent'), bold: true };
  canvas.put(x, y, `┌${'─'.repeat(boxWidth - 2)}┐`, border);
  for (let row = 1; row < boxHeight - 1; row++) {
    canvas.put(x, y + row, '│', border);
    canvas.put(x + 1, y + row, ' '.repeat(boxWidth - 2));
    canvas.put(x + 2, y + row, truncate(lines[row - 1] ?? '', boxWidth - 4), { bold: row === 1 });
    canvas.put(x + boxWidth - 1, y + row, '│', border);
  }
  canvas.put(x, y + boxHeight - 1, `└${'─'.repeat(boxWidth - 2)}┘`, border);
}

/**
 * One frame of the dashboard, as a pure function of the view and the terminal size: the three
 * parts (status, week, days) laid out for the size, the footer, and the help on top if open.
 */
export function renderDashboard(view: DashView, width: number, height: number): Frame {
  const canvas = new Canvas(width, height);
  const { snapshot } = view;
  const painter = createPainter(snapshot.week.projects, { mono: view.mono });
  const layout = chooseLayout(snapshot, width, height, view.mono);
  if (layout.mode === 'too-small') {
    const message = [`terminal too small (need ${layout.need.width}×${layout.need.height})`, `now ${width}×${height} · q quits`];
    message.forEach((line, index) => {
      const y = Math.floor(height / 2) - 1 + index;
      canvas.put(Math.max(0, Math.floor((width - line.length) / 2)), y, truncate(line, width), { bold: index === 0 });
    });
    return { canvas, layout, timers: [], panels: { shown: [], hidden: PANELS.map((panel) => panel.name) }, charts: [] };
  }
  const nowMs = view.now.getTime();
  const inner = width - 2 * MARGIN;
  drawTitle(canvas, view, painter);
  let y = 1;
  const status = drawStatus(canvas, MARGIN, y, inner, snapshot, nowMs, painter, view.entries);
  y += status.rows + 1;
  y += drawWeek(canvas, MARGIN, y, inner, snapshot, painter, layout.legendRows) + 1;
  y = layout.top;
  const selected = Math.min(6, Math.max(0, view.selectedDay));
  const free: Rect[] = [];
  const footerY = height - 1;
  if (view.panel) {
    // One panel full-size where the days are.
    const charts = drawFullPanel(canvas, view.panel, { x: MARGIN, y, width: inner, height: footerY - y - 1 }, view, painter);
    drawFooter(canvas, view, layout, painter, []);
    if (view.help) drawHelp(canvas, painter);
    return { canvas, layout, timers: view.help ? [] : status.timers, panels: { shown: [view.panel], hidden: PANELS.map((panel) => panel.name).filter((name) => name !== view.panel) }, charts: view.help ? [] : charts };
  }
  if (layout.mode === 'full') {
    snapshot.days.forEach((day, index) => {
      const col = index % layout.columns;
      const blockRow = Math.floor(index / layout.columns);
      const x = MARGIN + col * (DAY_GRID_WIDTH + DAY_GAP);
      const top = y + blockRow * (layout.blockHeight + 1);
      drawDayHeader(canvas, x, top, DAY_GRID_WIDTH, day, { painter, index, isToday: day.date === snapshot.today, selected: index === selected, window: null });
      drawDayGrid(canvas, x, top + 1, day, { painter, halfBlock: layout.halfBlock, from: 0, to: day.hours.length, nowMs });
    });
    const blockRows = Math.ceil(7 / layout.columns);
    const lastRowDays = 7 - (blockRows - 1) * layout.columns;
    const slotWidth = DAY_GRID_WIDTH + DAY_GAP;
    // The empty slots beside the last row of days, the space right of the days, the rows below.
    if (lastRowDays < layout.columns) {
      free.push({ x: MARGIN + lastRowDays * slotWidth, y: y + (blockRows - 1) * (layout.blockHeight + 1), width: (layout.columns - lastRowDays) * slotWidth - DAY_GAP, height: layout.blockHeight });
    }
    const right = MARGIN + layout.columns * slotWidth;
    if (MARGIN + inner - right > 0) free.push({ x: right, y, width: MARGIN + inner - right, height: footerY - y - 1 });
    const below = y + blockRows * (layout.blockHeight + 1);
    free.push({ x: MARGIN, y: below, width: inner, height: footerY - below - 1 });
  } else {
    const options = { painter, selected, today: snapshot.today, nowMs };
    y += layout.strips ? drawWeekStrips(canvas, MARGIN, y, inner, snapshot.days, options) + 1 : drawDayTabs(canvas, MARGIN, y, inner, snapshot.days, options);
    const day = snapshot.days[selected]!;
    const { from, to } = hourWindow(day, layout.gridRows, layout.halfBlock, nowMs);
    drawDayHeader(canvas, MARGIN, y, Math.min(inner, DAY_GRID_WIDTH + 12), day, { painter, index: selected, isToday: day.date === snapshot.today, selected: true, window: windowLabel(day, from, to) });
    const rows = drawDayGrid(canvas, MARGIN, y + 1, day, { painter, halfBlock: layout.halfBlock, from, to, nowMs });
    const side = MARGIN + DAY_GRID_WIDTH + 3;
    const used = drawDayProjects(canvas, side, y + 1, MARGIN + inner - side, rows, day, painter);
    // Beside the day (under its projects), then the rows below it.
    free.push({ x: side, y: y + 1 + used + (used > 0 ? 1 : 0), width: MARGIN + inner - side, height: rows - used - (used > 0 ? 1 : 0) });
    const below = y + 1 + rows + 1;
    free.push({ x: MARGIN, y: below, width: inner, height: footerY - below - 1 + 1 });
  }
  const { placed, hidden } = placePanels(free.filter((rect) => rect.width > 0 && rect.height > 0), panelWants(view));
  const charts = placed.flatMap(({ name, rect }) => drawPanel(canvas, name, rect, view, painter).charts);
  drawFooter(canvas, view, layout, painter, hidden);
  if (view.help) drawHelp(canvas, painter);
  return { canvas, layout, timers: view.help ? [] : status.timers, panels: { shown: placed.map((item) => item.name), hidden }, charts: view.help ? [] : charts };
}
