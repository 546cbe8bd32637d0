import { createRequire } from 'node:module';
import type { Rect } from './panels.js';

/**
 * blessed-contrib's widgets on the dashboard's screen. Dash's own widgets (the fair horizontal
 * stacked bar, the minute grid, the panels' text) are drawn into the frame's Canvas; where a
 * frame asks for a chart (Frame.charts), the matching blessed-contrib widget is placed on the same
 * screen at that rectangle and drawn over the canvas by blessed's render.
 *
 * Only the widget modules used are loaded (blessed-contrib/lib/widget/charts/line,
 * lib/widget/gauge and lib/widget/log), never the package index (maps, pictures, markdown), and
 * only when a frame first asks for that kind: the first frame (first-frame.ts) never waits for them.
 */

/** A line chart: labels along x, one or more series of values, each with a title and colour. */
export interface LineChartSpec {
  kind: 'line';
  rect: Rect;
  labels: string[];
  series: { title: string; values: number[]; color: string }[];
  /** The y axis' top (the series' max plus a margin, by default). */
  maxY?: number;
}

/**
 * A gauge (blessed-contrib's, 4 rows: its label, a blank row, a 2-row bar with the percent in it):
 * one share of the goal, or shares stacked left to right (billable, then the rest). Shares are
 * fractions of the goal, 0–1 (contrib draws a bar past 100 % outside its box: callers clamp).
 */
export interface GaugeSpec {
  kind: 'gauge';
  rect: Rect;
  label: string;
  segments: { share: number; color: string }[];
}

/**
 * A log (blessed-contrib's: a list that keeps its newest line in view): the newest lines (with
 * blessed's colour tags), and how many were ever added, so a placed log only appends the new ones.
 */
export interface LogSpec {
  kind: 'log';
  rect: Rect;
  lines: string[];
  total: number;
}

export type ChartSpec = LineChartSpec | GaugeSpec | LogSpec;

/** The rows a gauge takes. */
export const GAUGE_ROWS = 4;

interface ContribWidget {
  setData(data: unknown): void;
  setLabel?(label: string): void;
  log?(line: string): void;
  detach(): void;
  destroy?(): void;
}

type WidgetFactory = (options: Record<string, unknown>) => ContribWidget;

const MODULES = { line: 'blessed-contrib/lib/widget/charts/line', gauge: 'blessed-contrib/lib/widget/gauge', log: 'blessed-contrib/lib/widget/log' } as const;
const factories = new Map<ChartSpec['kind'], WidgetFactory>();

/** Loads one blessed-contrib widget module, the first time its kind is asked for (CommonJS). */
function factory(kind: ChartSpec['kind']): WidgetFactory {
  let loaded = factories.get(kind);
  if (!loaded) {
    loaded = createRequire(import.meta.url)(MODULES[kind]) as WidgetFactory;
    factories.set(kind, loaded);
  }
  return loaded;
}

/** The options a widget is created with (its place, its look). */
function widgetOptions(chart: ChartSpec): Record<string, unknown> {
  const place = { top: chart.rect.y, left: chart.rect.x, width: chart.rect.width, height: chart.rect.height };
  if (chart.kind === 'gauge') return { ...place, label: chart.label, fill: 'white', showLabel: true };
  // Lines are tagged by us (braces in them escaped); it keeps what fits in view.
  if (chart.kind === 'log') return { ...place, tags: true, bufferLength: Math.max(1, chart.rect.height) };
  return {
    ...place,
    showLegend: true,
    legend: { width: 14 },
    wholeNumbersOnly: true,
    numYLabels: 4,
    xLabelPadding: 3,
    xPadding: 5,
    maxY: chart.maxY,
    style: { line: 'yellow', text: 'white', baseline: 'white' },
  };
}

/** The widget's data (for a gauge, its label; for a log, the lines added since `logged`). */
function applyData(widget: ContribWidget, chart: ChartSpec, logged: number): void {
  if (chart.kind === 'log') {
    const fresh = Math.min(chart.lines.length, chart.total - logged);
    for (const line of chart.lines.slice(chart.lines.length - fresh)) widget.log?.(line);
    return;
  }
  if (chart.kind === 'line') {
    widget.setData(chart.series.map((series) => ({ title: series.title, x: chart.labels, y: series.values, style: { line: series.color } })));
    return;
  }
  widget.setLabel?.(chart.label);
  // Always contrib's stack (one segment or more), in whole percents: it reads a number ≤ 1.001 as a
  // fraction, so a segment under 2 % is left out (it is under a cell anyway); none left: 0 %.
  const stack = chart.segments
    .map((segment) => ({ percent: Math.round(Math.min(1, Math.max(0, segment.share)) * 100), stroke: segment.color }))
    .filter((segment) => segment.percent >= 2);
  widget.setData(stack.length > 0 ? stack : 0);
}

interface Placed {
  key: string;
  dataKey: string;
  widget: ContribWidget;
  /** A log's lines added so far (its `total` when last fed). */
  logged: number;
}

/** The screen the widgets go on (blessed's Screen). */
export interface WidgetScreen {
  append(node: unknown): void;
}

/**
 * Keeps the screen's blessed-contrib widgets in step with the frame's charts: creates a widget for
 * a chart that appears (or whose rectangle changed: contrib's charts size their canvas when
 * attached), feeds it new data when the data changed, and detaches those no longer asked for.
 */
export class ContribLayer {
  readonly #screen: WidgetScreen;
  #current: Placed[] = [];

  constructor(screen: WidgetScreen) {
    this.#screen = screen;
  }

  /** How many contrib widgets are on the screen (for tests). */
  get size(): number {
    return this.#current.length;
  }

  sync(charts: readonly ChartSpec[]): void {
    const next: Placed[] = [];
    const keyOf = (chart: ChartSpec) => `${chart.kind}:${chart.rect.x},${chart.rect.y},${chart.rect.width}x${chart.rect.height}`;
    const wanted = new Set(charts.map(keyOf));
    for (const item of this.#current) {
      if (!wanted.has(item.key)) {
        item.widget.detach();
        item.widget.destroy?.();
      }
    }
    for (const chart of charts) {
      const key = keyOf(chart);
      const dataKey = JSON.stringify(chart);
      let item = this.#current.find((existing) => existing.key === key);
      if (!item) {
        const widget = factory(chart.kind)({ screen: this.#screen, ...widgetOptions(chart) });
        this.#screen.append(widget);
        item = { key, dataKey: '', widget, logged: 0 };
      }
      if (item.dataKey !== dataKey) {
        applyData(item.widget, chart, item.logged);
        item.dataKey = dataKey;
        if (chart.kind === 'log') item.logged = chart.total;
      }
      next.push(item);
    }
    this.#current = next;
  }

  destroy(): void {
    this.sync([]);
  }
}
