// (d) render: a full redraw of the dashboard at 120×40 and 200×60: the frame (renderDashboard)
// and the frame written through blessed to a terminal stream (every cell dirty).
import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { bundle } from './build.mjs';
import { CLI, median, ms, mustRun, ROOT, row, sandbox, skip } from './lib.mjs';

const SIZES = [
  [120, 40],
  [200, 60],
];
const RUNS = 31;

async function demoSnapshot() {
  const box = sandbox();
  try {
    const { result } = await mustRun('the demo snapshot', process.execPath, [CLI, 'snapshot', '--json', '--config', box.config], { env: box.env });
    return JSON.parse(result.stdout);
  } finally {
    box.cleanup();
  }
}

function fakeTty(columns, rows) {
  const output = new PassThrough();
  Object.assign(output, { isTTY: true, columns, rows });
  output.resume(); // discard, like a fast terminal would
  const input = new PassThrough();
  Object.assign(input, { isTTY: true, setRawMode: () => input });
  return { input, output };
}

/** The week's entries as the panels get them, rebuilt from the minute grid (one per run of a project). */
function entriesFromGrid(snapshot) {
  const entries = [];
  for (const day of snapshot.days) {
    day.hours.forEach((hour) => {
      const start = Date.parse(hour.start) / 1000;
      hour.minutes.forEach((key, minute) => {
        const at = start + minute * 60;
        const last = entries.at(-1);
        if (key === null) return;
        if (last && last.projectKey === key && last.end === at) last.end = at + 60;
        else {
          const name = snapshot.week.projects.find((project) => project.key === key)?.name ?? key;
          entries.push({ source: key.split(':')[0], id: `${at}`, start: at, end: at + 60, running: false, projectKey: key, projectName: name, description: name, billable: true });
        }
      });
    });
  }
  return entries;
}

/** Twelve weeks for the trend panel: this one and eleven like it. */
function trendOf(snapshot) {
  return Array.from({ length: 12 }, (_, index) => ({ start: snapshot.week.start, totalSeconds: Math.round(snapshot.week.totalSeconds * (0.8 + (index % 4) * 0.1)), billableSeconds: snapshot.week.billableSeconds, goalSeconds: snapshot.week.goalSeconds }));
}

export async function benchRender() {
  const names = SIZES.map(([w, h]) => `full redraw at ${w}×${h}`);
  const budget = '≤ 8 ms';
  if (!existsSync(join(ROOT, 'packages/dash-cli/src/watch/render.ts'))) return names.map((name) => skip('d', name, budget, 'no watch renderer (packages/dash-cli/src/watch/render.ts)'));
  let render;
  let terminalModule;
  let contribModule;
  try {
    render = await bundle('render', 'packages/dash-cli/src/watch/render.ts');
    terminalModule = existsSync(join(ROOT, 'packages/dash-cli/src/watch/terminal.ts'))
      ? await bundle('terminal', 'packages/dash-cli/src/watch/terminal.ts', { external: ['blessed', 'blessed-contrib'] })
      : undefined;
    contribModule = existsSync(join(ROOT, 'packages/dash-cli/src/watch/contrib.ts'))
      ? await bundle('contrib', 'packages/dash-cli/src/watch/contrib.ts', { external: ['blessed', 'blessed-contrib'] })
      : undefined;
  } catch (error) {
    return names.map((name) => skip('d', name, budget, `cannot compile the renderer: ${String(error.message ?? error).split('\n')[0]}`));
  }
  if (typeof render.renderDashboard !== 'function') return names.map((name) => skip('d', name, budget, 'render.ts has no renderDashboard()'));
  const snapshot = await demoSnapshot();
  const today = Math.max(0, snapshot.days.findIndex((day) => day.date === snapshot.today));
  // A log as a morning's run fills it: the start, syncs, a clock in and out, a goal.
  const logLines = Array.from({ length: 14 }, (_, n) => ({ time: `09:${String(n * 4).padStart(2, '0')}`, text: ['demo ok', '▶ demo clocked in (since 09:02)', '■ demo clocked out after 1h 05m', '✔ daily goal reached: 8h 01m'][n % 4], tone: 'ok' }));
  const view = { snapshot, now: new Date(snapshot.generatedAt), selectedDay: today, weekOffset: 0, help: false, mono: false, notice: null, panel: null, entries: entriesFromGrid(snapshot), trend: trendOf(snapshot), log: { lines: logLines, total: logLines.length } };
  const rows = [];
  // Warm the JIT on every size first, so the first size measured is not the one that pays for it.
  for (let i = 0; i < 30; i++) for (const [width, height] of SIZES) render.renderDashboard(view, width, height);
  for (const [width, height] of SIZES) {
    const frameTimes = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      render.renderDashboard(view, width, height);
      frameTimes.push(performance.now() - start);
    }
    const frame = median(frameTimes);
    let full;
    let note = `frame only (renderDashboard): ${ms(frame)}; median of ${RUNS}`;
    if (terminalModule?.Terminal) {
      const { input, output } = fakeTty(width, height);
      const saved = process.env.TERM;
      process.env.TERM = 'xterm-256color';
      const terminal = new terminalModule.Terminal({ input, output, terminal: 'xterm-256color' });
      process.env.TERM = saved;
      // blessed-contrib's widgets the frame asks for (gauges, the log), drawn by the same render.
      const contrib = contribModule?.ContribLayer ? new contribModule.ContribLayer(terminal.screen) : undefined;
      let widgets = 0;
      try {
        terminal.setFrameSource((w, h) => {
          const frame = render.renderDashboard(view, w, h);
          contrib?.sync(frame.charts);
          widgets = contrib?.size ?? 0;
          return frame.canvas;
        });
        const times = [];
        for (let i = 0; i < RUNS + 5; i++) {
          // Every cell dirty: what a resize or a new week costs, not blessed's usual diff.
          terminal.screen.realloc?.();
          const start = performance.now();
          terminal.render();
          if (i >= 5) times.push(performance.now() - start);
        }
        full = median(times);
        note += `; frame + ${widgets} blessed-contrib widget${widgets === 1 ? '' : 's'} + blessed writing every cell: ${ms(full)}`;
      } finally {
        contrib?.destroy();
        terminal.destroy();
      }
    }
    const value = full ?? frame;
    rows.push(row('d', `full redraw at ${width}×${height}${full === undefined ? ' (frame only)' : ''}`, ms(value), budget, value <= 8 ? 'ok' : 'over', note));
  }
  return rows;
}
