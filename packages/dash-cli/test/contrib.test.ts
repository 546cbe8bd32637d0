/**
 * blessed-contrib on the dashboard's screen (contrib.ts): the trend's line chart and the pace's
 * goal gauges placed where the frame asks, drawn over the canvas by blessed's render (read back with screen.screenshot), its
 * data replaced in place, and removed when the frame no longer asks for it. Only the line widget's
 * module is loaded, never blessed-contrib's index.
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { Canvas } from '../src/watch/canvas.js';
import { ContribLayer, type GaugeSpec, type LineChartSpec } from '../src/watch/contrib.js';
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

  it('goal gauges: the label, billable then the rest as coloured bars of their share, the percents in them; updated in place; over 100 % stays in its box', () => {
    const t = terminal(100, 12);
    t.setFrameSource((width, height) => new Canvas(width, height));
    const layer = new ContribLayer(t.screen as never);
    const gauge = (label: string, segments: GaugeSpec['segments'], x = 2): GaugeSpec => ({ kind: 'gauge', rect: { x, y: 1, width: 45, height: 4 }, label, segments });
    /** The cells of a screen row with a background colour (blessed's attr: bg in the low 9 bits). */
    const backgrounds = (y: number, from: number, to: number) =>
      (t.screen.lines[y] ?? []).slice(from, to).map(([attr]) => attr & 0x1ff).filter((bg) => bg !== 0x1ff);
    layer.sync([gauge('Today · 88% of 8h', [{ share: 0.8, color: 'green' }, { share: 0.08, color: 'cyan' }]), gauge('Week · 63% of 40h', [{ share: 0.63, color: 'cyan' }], 50)]);
    t.render();
    const text = screenText(t);
    expect(text).toContain('Today · 88% of 8h');
    expect(text).toContain('Week · 63% of 40h');
    expect(text).toMatch(/80%.*8%.*63%/s);
    // The bar: 45 − 5 columns for 100 %; green for the billable 80 %, then cyan for the other 8 %.
    for (const y of [3, 4]) {
      const today = backgrounds(y, 2, 47);
      expect(today.filter((bg) => bg === 2).length).toBeGreaterThanOrEqual(Math.floor(0.8 * 40) - 1);
      expect(today.filter((bg) => bg === 2).length).toBeLessThanOrEqual(Math.ceil(0.8 * 40) + 1);
      expect(today.filter((bg) => bg === 6).length).toBeGreaterThanOrEqual(2);
      expect(today.indexOf(6)).toBeGreaterThan(today.lastIndexOf(2));
      const week = backgrounds(y, 50, 95);
      expect(week.every((bg) => bg === 6)).toBe(true);
      expect(Math.abs(week.length - 0.63 * 40)).toBeLessThanOrEqual(1.5);
    }
    expect(layer.size).toBe(2);
    // New data, same places: the same widgets, redrawn; 130 % fills the bar and no further.
    layer.sync([gauge('Today · 130% of 8h', [{ share: 1.3, color: 'green' }]), gauge('Week · 63% of 40h', [{ share: 0.63, color: 'cyan' }], 50)]);
    t.render();
    expect(screenText(t)).toContain('Today · 130% of 8h');
    expect(layer.size).toBe(2);
    const full = backgrounds(3, 0, 100);
    expect(full.filter((bg) => bg === 2).length).toBeGreaterThanOrEqual(39);
    expect(backgrounds(3, 46, 50)).toEqual([]);
    layer.sync([]);
    t.render();
    expect(screenText(t)).not.toContain('Today ·');
  });

  it('the event log: its lines in view, the newest last; new lines appended to the same widget; escaped braces stay text', () => {
    const t = terminal(60, 10);
    t.setFrameSource((width, height) => new Canvas(width, height));
    const layer = new ContribLayer(t.screen as never);
    const rect = { x: 1, y: 1, width: 40, height: 4 };
    const lines = ['{green-fg}09:00 toggl ok{/}', '09:01 {open}red-fg{close}literal', '09:02 third', '09:03 fourth', '09:04 fifth'];
    layer.sync([{ kind: 'log', rect, lines: lines.slice(0, 2), total: 2 }]);
    t.render();
    let text = screenText(t);
    expect(text).toContain('09:00 toggl ok');
    expect(text).toContain('09:01 {red-fg}literal');
    // The tag coloured its line: green (2) on the first row's cells.
    expect((t.screen.lines[1] ?? []).slice(1, 15).map(([attr]) => (attr >> 9) & 0x1ff)).toContain(2);
    layer.sync([{ kind: 'log', rect, lines, total: 5 }]);
    t.render();
    text = screenText(t);
    expect(layer.size).toBe(1);
    // Four rows: the newest four, in order (the first scrolled out of view).
    const shown = text.split('\n').slice(1, 5).map((line) => line.trim());
    expect(shown).toEqual(['09:01 {red-fg}literal', '09:02 third', '09:03 fourth', '09:04 fifth']);
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
