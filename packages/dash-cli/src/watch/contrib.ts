import { createRequire } from 'node:module';
import type { Rect } from './panels.js';

/**
 * blessed-contrib's widgets on the dashboard's screen. Dash's own widgets (the fair horizontal
 * stacked bar, the minute grid, the panels' text) are drawn into the frame's Canvas; where a
 * frame asks for a chart (Frame.charts), the matching blessed-contrib widget is placed on the same
 * screen at that rectangle and drawn over the canvas by blessed's render.
 *
 * Only the widget modules used are loaded (blessed-contrib/lib/widget/charts/line), never the
 * package index (maps, pictures, markdown), and only when a frame first asks for a chart: the
 * first frame never waits for it.
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

export type ChartSpec = LineChartSpec;

interface ContribWidget {
  setData(data: unknown): void;
  detach(): void;
  destroy?(): void;
}

type LineFactory = (options: Record<string, unknown>) => ContribWidget;

let line: LineFactory | undefined;

/** Loads the one blessed-contrib module used (synchronously; CommonJS). */
function lineFactory(): LineFactory {
  if (!line) {
    const require = createRequire(import.meta.url);
    line = require('blessed-contrib/lib/widget/charts/line') as LineFactory;
  }
  return line;
}

interface Placed {
  key: string;
  dataKey: string;
  widget: ContribWidget;
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
      const dataKey = JSON.stringify([chart.labels, chart.series, chart.maxY]);
      let item = this.#current.find((existing) => existing.key === key);
      if (!item) {
        const widget = lineFactory()({
          screen: this.#screen,
          top: chart.rect.y,
          left: chart.rect.x,
          width: chart.rect.width,
          height: chart.rect.height,
          showLegend: true,
          legend: { width: 14 },
          wholeNumbersOnly: true,
          numYLabels: 4,
          xLabelPadding: 3,
          xPadding: 5,
          maxY: chart.maxY,
          style: { line: 'yellow', text: 'white', baseline: 'white' },
        });
        this.#screen.append(widget);
        item = { key, dataKey: '', widget };
      }
      if (item.dataKey !== dataKey) {
        item.widget.setData(chart.series.map((series) => ({ title: series.title, x: chart.labels, y: series.values, style: { line: series.color } })));
        item.dataKey = dataKey;
      }
      next.push(item);
    }
    this.#current = next;
  }

  destroy(): void {
    this.sync([]);
  }
}
