import type { Canvas } from './canvas.js';
import { drawEntriesPanel, ENTRIES_MIN_ROWS, ENTRIES_MIN_WIDTH } from './entries-panel.js';
import { drawPacePanel, PACE_MIN_WIDTH, PACE_ROWS } from './pace-panel.js';
import type { Painter } from './palette.js';
import type { ChartSpec } from './contrib.js';
import { drawTrendPanel, TREND_MIN_ROWS, TREND_MIN_WIDTH, trendChart } from './trend-panel.js';
import type { DashView } from './view.js';

export type PanelName = 'pace' | 'entries' | 'trend';

/** The panels in the order they get space, with the key that shows one full-size. */
export const PANELS: readonly { name: PanelName; key: string; title: string; minWidth: number; minRows: number; wantRows: number }[] = [
  { name: 'pace', key: 'p', title: 'goal pace', minWidth: PACE_MIN_WIDTH, minRows: PACE_ROWS, wantRows: PACE_ROWS },
  { name: 'entries', key: 'e', title: "the day's entries", minWidth: ENTRIES_MIN_WIDTH, minRows: ENTRIES_MIN_ROWS, wantRows: 16 },
  { name: 'trend', key: 'w', title: 'trend (12 weeks)', minWidth: TREND_MIN_WIDTH, minRows: TREND_MIN_ROWS, wantRows: 13 },
];

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Gives each panel, in PANELS order, the first free rectangle it fits in (its top rows, up to the
 * rows it wants); the rectangle keeps what is left below it (after a blank row). Pure.
 */
export function placePanels(free: readonly Rect[]): { placed: { name: PanelName; rect: Rect }[]; hidden: PanelName[] } {
  const spaces = free.map((rect) => ({ ...rect }));
  const placed: { name: PanelName; rect: Rect }[] = [];
  const hidden: PanelName[] = [];
  for (const panel of PANELS) {
    const space = spaces.find((rect) => rect.width >= panel.minWidth && rect.height >= panel.minRows);
    if (!space) {
      hidden.push(panel.name);
      continue;
    }
    const rows = Math.min(panel.wantRows, space.height);
    placed.push({ name: panel.name, rect: { x: space.x, y: space.y, width: space.width, height: rows } });
    space.y += rows + 1;
    space.height -= rows + 1;
  }
  return { placed, hidden };
}

/**
 * Draws a panel full-size (its key): the panel, and under the trend's rows its line chart
 * (blessed-contrib) where there is room. Returns the charts to place.
 */
export function drawFullPanel(canvas: Canvas, name: PanelName, rect: Rect, view: DashView, painter: Painter): ChartSpec[] {
  const rows = drawPanel(canvas, name, rect, view, painter);
  if (name !== 'trend' || !view.trend) return [];
  const chart = trendChart(view.trend, { x: rect.x, y: rect.y + rows + 1, width: rect.width, height: rect.height - rows - 1 }, view.mono);
  return chart ? [chart] : [];
}

/** Draws one panel into its rectangle; returns the rows used. */
export function drawPanel(canvas: Canvas, name: PanelName, rect: Rect, view: DashView, painter: Painter): number {
  const { snapshot } = view;
  const selected = Math.min(6, Math.max(0, view.selectedDay));
  switch (name) {
    case 'pace':
      return drawPacePanel(canvas, rect.x, rect.y, rect.width, rect.height, snapshot, selected, painter);
    case 'entries':
      return drawEntriesPanel(canvas, rect.x, rect.y, rect.width, rect.height, snapshot.days[selected]!, view.entries, {
        painter,
        timeZone: snapshot.timezone,
        nowSeconds: Math.floor(view.now.getTime() / 1000),
      });
    case 'trend':
      return drawTrendPanel(canvas, rect.x, rect.y, rect.width, rect.height, view.trend, { painter, current: snapshot.week.start });
  }
}
