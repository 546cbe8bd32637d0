/**
 * blessed-contrib on the dashboard's screen (contrib.ts): the trend's line chart placed where the
 * frame asks, drawn over the canvas by blessed's render (read back with screen.screenshot), its
 * data replaced in place, and removed when the frame no longer asks for it. Only the line widget's
 * module is loaded, never blessed-contrib's index.
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Canvas } from '../src/watch/canvas.js';
import { ContribLayer, type LineChartSpec } from '../src/watch/contrib.js';
import { Terminal } from '../src/watch/terminal.js';
import { trendChart } from '../src/watch/trend-panel.js';

const require = createRequire(import.meta.url);
const terminals: Terminal[] = [];
afterEach(() => terminals.splice(0).forEach((terminal) => terminal.destroy()));

function terminal(width: number, height: number): Terminal {
  const input = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode() {} });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: width, rows: height });
  output.resume();
  const created = new Terminal({ input, output, terminal: 'xterm-256color' });
  terminals.push(created);
  return created;
}

const screenText = (t: Terminal) => ((t.screen as unknown as { screenshot(): string }).screenshot()).replace(/\x1b\[[0-9;]*m/g, '');

const weeks = Array.from({ length: 12 }, (_, index) => ({ start: `2026-09-${String(7 + (index % 4) * 7).padStart(2, '0')}`, totalSeconds: (30 + (index % 5) * 2) * 3600, billableSeconds: 20 * 3600, goalSeconds: 40 * 3600 }));

describe('ContribLayer', () => {
  it('places the line chart over the canvas, replaces its data, removes it when not asked for', () => {
    const t = terminal(100, 30);
    t.setFrameSource((width, height) => {
      const canvas = new Canvas(width, height);
      canvas.put(0, 0, 'CANVAS TITLE');
      return canvas;
    });
    const layer = new ContribLayer(t.screen as never);
    const chart = trendChart(weeks, { x: 0, y: 2, width: 100, height: 26 }, false) as LineChartSpec;
    expect(chart.series.map((series) => series.title)).toEqual(['worked', 'billable', 'goal']);
    layer.sync([chart]);
    t.render();
    const drawn = screenText(t);
    expect(drawn).toContain('CANVAS TITLE');
    expect(drawn).toMatch(/[⠁-⣿]{5}/); // drawille's braille line
    expect(drawn).toContain('worked');
    expect(drawn).toContain('goal');
    expect(drawn).toContain('7 Sep');
    expect(layer.size).toBe(1);

    // New data, same place: the same widget, redrawn.
    layer.sync([{ ...chart, labels: chart.labels.map((label) => label.replace('Sep', 'Oct')) }]);
    t.render();
    expect(screenText(t)).toContain('7 Oct');
    expect(layer.size).toBe(1);

    layer.sync([]);
    t.render();
    const after = screenText(t);
    expect(after).not.toMatch(/[⠁-⣿]{5}/);
    expect(after).toContain('CANVAS TITLE');
    expect(layer.size).toBe(0);
  });

  it('no chart in monochrome or without room; the package index is never loaded', () => {
    expect(trendChart(weeks, { x: 0, y: 0, width: 100, height: 26 }, true)).toBeNull();
    expect(trendChart(weeks, { x: 0, y: 0, width: 40, height: 26 }, false)).toBeNull();
    expect(trendChart(weeks, { x: 0, y: 0, width: 100, height: 6 }, false)).toBeNull();
    const index = require.resolve('blessed-contrib');
    expect(require.cache[index]).toBeUndefined();
    expect(Object.keys(require.cache).some((file) => file.includes('blessed-contrib/lib/widget/map'))).toBe(false);
  });
});
