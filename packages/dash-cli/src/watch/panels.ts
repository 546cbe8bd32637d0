import type { Canvas } from './canvas.js';
import { drawLogPanel, LOG_MIN_ROWS, LOG_MIN_WIDTH } from './event-log.js';
import { drawEntriesPanel, ENTRIES_MIN_ROWS, ENTRIES_MIN_WIDTH } from './entries-panel.js';
import { drawPacePanel, PACE_GAUGE_ROWS, PACE_MIN_WIDTH, PACE_ROWS, paceGauges, paceHasGauges } from './pace-panel.js';
import type { Painter } from './palette.js';
import type { ChartSpec } from './contrib.js';
import { drawTrendPanel, TREND_MIN_ROWS, TREND_MIN_WIDTH, trendChart } from './trend-panel.js';
import type { DashView } from './view.js';

export type PanelName = 'pace' | 'entries' | 'trend' | 'log';

/**
 * The panels in the order they get space, with the key that shows one full-size. A panel with a
 * `maxWidth` takes a column of that width from a space wide enough for a later panel beside it; a
 * `stepped` one has no use for rows between its least and the rows it wants.
 */
export const PANELS: readonly { name: PanelName; key: string; title: string; minWidth: number; minRows: number; wantRows: number; maxWidth?: number; stepped?: boolean }[] = [
  { name: 'pace', key: 'p', title: 'goal pace', minWidth: PACE_MIN_WIDTH, minRows: PACE_ROWS, wantRows: PACE_GAUGE_ROWS, maxWidth: 96, stepped: true },
  { name: 'entries', key: 'e', title: "the day's entries", minWidth: ENTRIES_MIN_WIDTH, minRows: ENTRIES_MIN_ROWS, wantRows: 7 },
  { name: 'trend', key: 'w', title: 'trend (12 weeks)', minWidth: TREND_MIN_WIDTH, minRows: TREND_MIN_ROWS, wantRows: 13, maxWidth: 80 },
  { name: 'log', key: 'l', title: 'the event log', minWidth: LOG_MIN_WIDTH, minRows: LOG_MIN_ROWS, wantRows: 13 },
];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Gives each panel, in PANELS order, a free rectangle: the smallest one that has all the rows it
 * wants (PANELS', or `wants`' for this frame), else the one with the most rows it fits in; it takes those top rows (and, with a
 * maxWidth, only a column of that width when another panel fits beside it). What is left of the
 * rectangle (below, after a blank row; beside, after two blank columns) stays free. Pure.
 */
export function placePanels(free: readonly Rect[], wants: Partial<Record<PanelName, number>> = {}): { placed: { name: PanelName; rect: Rect }[]; hidden: PanelName[] } {
  const spaces = free.map((rect) => ({ ...rect }));
  const placed: { name: PanelName; rect: Rect }[] = [];
  const hidden: PanelName[] = [];
  for (const listed of PANELS) {
    const panel = { ...listed, wantRows: wants[listed.name] ?? listed.wantRows };
    const fitting = spaces.filter((rect) => rect.width >= panel.minWidth && rect.height >= panel.minRows);
    const whole = fitting.filter((rect) => rect.height >= panel.wantRows).sort((a, b) => a.height - b.height)[0];
    const space = whole ?? fitting.sort((a, b) => b.height - a.height)[0];
    if (!space) {
      hidden.push(panel.name);
      continue;
    }
    // A panel whose rows come in one step (the pace: its text, or its text and gauges) takes only
    // its least rows when the space has fewer than it wants; the others take what there is.
    const rows = space.height >= panel.wantRows ? panel.wantRows : panel.stepped ? panel.minRows : space.height;
    const later = PANELS.slice(PANELS.indexOf(listed) + 1);
    const besideFits = panel.maxWidth !== undefined && later.some((next) => space.width - panel.maxWidth! - 2 >= next.minWidth);
    const width = besideFits ? panel.maxWidth! : space.width;
    placed.push({ name: panel.name, rect: { x: space.x, y: space.y, width, height: rows } });
    if (width < space.width) {
      spaces.splice(spaces.indexOf(space) + 1, 0, { x: space.x + width + 2, y: space.y, width: space.width - width - 2, height: space.height });
      space.width = width;
    }
    space.y += rows + 1;
    space.height -= rows + 1;
  }
  return { placed, hidden };
}

/** What drawing a panel gave: the rows it used, and the blessed-contrib widgets to place on it. */
export interface DrawnPanel {
  rows: number;
  charts: ChartSpec[];
}

/**
 * Draws a panel full-size (its key): the panel, with its blessed-contrib widgets where there is
 * room (the pace's gauges, the trend's line chart under its rows).
 */
export function drawFullPanel(canvas: Canvas, name: PanelName, rect: Rect, view: DashView, painter: Painter): ChartSpec[] {
  const drawn = drawPanel(canvas, name, rect, view, painter);
  if (name !== 'trend' || !view.trend) return drawn.charts;
  const chart = trendChart(view.trend, { x: rect.x, y: rect.y + drawn.rows + 1, width: rect.width, height: rect.height - drawn.rows - 1 }, view.mono);
  return chart ? [...drawn.charts, chart] : drawn.charts;
}

/** The rows each panel wants in this view (the pace: its gauges only in colour, with a goal). */
export function panelWants(view: DashView): Partial<Record<PanelName, number>> {
  return { pace: paceHasGauges(view.snapshot, view.selectedDay, view.mono) ? PACE_GAUGE_ROWS : PACE_ROWS };
}

/** Draws one panel into its rectangle. */
export function drawPanel(canvas: Canvas, name: PanelName, rect: Rect, view: DashView, painter: Painter): DrawnPanel {
  const { snapshot } = view;
  const selected = Math.min(6, Math.max(0, view.selectedDay));
  switch (name) {
    case 'pace': {
      const charts = paceGauges(snapshot, selected, rect, view.mono);
      const rows = drawPacePanel(canvas, rect.x, rect.y, rect.width, Math.min(rect.height, PACE_ROWS), snapshot, selected, painter, charts.length > 0);
      return { rows: charts.length > 0 ? PACE_GAUGE_ROWS : rows, charts };
    }
    case 'entries':
      return {
        rows: drawEntriesPanel(canvas, rect.x, rect.y, rect.width, rect.height, snapshot.days[selected]!, view.entries, {
          painter,
          timeZone: snapshot.timezone,
          nowSeconds: Math.floor(view.now.getTime() / 1000),
        }),
        charts: [],
      };
    case 'trend':
      return { rows: drawTrendPanel(canvas, rect.x, rect.y, rect.width, rect.height, view.trend, { painter, current: snapshot.week.start }), charts: [] };
    case 'log':
      return drawLogPanel(canvas, rect, view.log, painter);
  }
}
