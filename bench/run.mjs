#!/usr/bin/env node
// `npm run bench`: Dash's performance budgets, measured on this machine. Prints a table and
// writes BENCHMARKS.md. Not part of `npm test`. Figures are medians of several runs; figures
// that compare two things are measured side by side (interleaved) in the same run, as ratios.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { benchAggregation } from './aggregation.mjs';
import { benchApiCost } from './api-cost.mjs';
import { cleanBuild } from './build.mjs';
import { benchFirstFrame } from './first-frame.mjs';
import { benchInfluxOutput } from './influx-output.mjs';
import { benchPluginCoreHook } from './plugin-core-hook.mjs';
import { ROOT } from './lib.mjs';
import { benchOutputs } from './outputs.mjs';
import { benchRender } from './render.mjs';
import { benchServe } from './serve.mjs';
import { benchSnapshotProcess } from './snapshot-process.mjs';
import { benchStatusFollow } from './status-follow.mjs';
import { benchWatchRest } from './watch-rest.mjs';

const SUITES = [
  ['a', 'snapshot, whole process', benchSnapshotProcess],
  ['b', 'aggregation scale', benchAggregation],
  ['c', 'watch at rest', benchWatchRest],
  ['d', 'render', benchRender],
  ['e', 'API cost', benchApiCost],
  ['f', 'first frame', benchFirstFrame],
  ['g', 'serve', benchServe],
  ['h', 'status --follow at rest', benchStatusFollow],
  ['i', 'one dash-core for every plugin', benchPluginCoreHook],
  ['j', 'outputs', benchOutputs],
  ['k', 'influxdb output', benchInfluxOutput],
];

const only = process.argv.slice(2);
const started = new Date();
const loadBefore = os.loadavg();
const rows = [];
const t0 = performance.now();
try {
  for (const [id, title, run] of SUITES) {
    if (only.length > 0 && !only.includes(id)) continue;
    const t = performance.now();
    process.stderr.write(`bench (${id}) ${title} …`);
    try {
      rows.push(...(await run()));
    } catch (error) {
      rows.push({ id, name: title, measured: `failed: ${String(error?.message ?? error).split('\n')[0]}`, budget: '', status: 'fail', note: '' });
    }
    process.stderr.write(` ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
} finally {
  cleanBuild();
}
const totalSeconds = (performance.now() - t0) / 1000;
const loadAfter = os.loadavg();

const STATUS = { ok: 'met', over: 'OVER', info: '', skip: 'skipped', fail: 'FAILED' };
const cpu = os.cpus();
const machine = [
  `- CPU: ${cpu[0]?.model ?? 'unknown'}, ${cpu.length} cores`,
  `- Memory: ${Math.round(os.totalmem() / 2 ** 30)} GB; ${os.type()} ${os.release()} (${os.arch()})`,
  `- Node ${process.version}`,
  `- Date: ${started.toISOString()}`,
  `- Load average (1 min) at start ${loadBefore[0].toFixed(2)}, at end ${loadAfter[0].toFixed(2)}` +
    (Math.max(loadBefore[0], loadAfter[0]) > cpu.length * 0.5 ? ' — the machine was not idle (other engineers\' builds and tests share these 2 cores); absolute timings may be inflated, side-by-side ratios less so' : ''),
  `- Whole run: ${totalSeconds.toFixed(0)} s`,
];

const escape = (text) => String(text).replace(/\|/g, '\\|');
const table = [
  '| | benchmark | measured | budget | status | notes |',
  '| --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.id} | ${escape(r.name)} | ${escape(r.measured)} | ${escape(r.budget)} | ${STATUS[r.status] ?? r.status} | ${escape(r.note)} |`),
];

const NOTES = `## How it is measured

- **(a)** a config with the built-in demo backend in a throw-away HOME/XDG tree; one \`snapshot --json\` warms
  the cache, then \`node -e 0\` and \`dash-cli snapshot --json --offline\` run alternately, 21 times each
  (wall time of the whole process, spawn included for both; the fast path, see below). \`--refresh\` (a real sync
  through the plugin host) is shown for comparison.
- **(b)** one process per size (fresh heap): a store holding the same current week (120 entries and a running
  timer) plus 1 k / 100 k / 1 M entries of history, then \`buildSnapshot\` of the current week, median of 25 after
  5 warm-ups; two rounds per size, interleaved. The store indexes entries by UTC start day, so only the week's
  buckets are read.
- **(c)** \`dash-cli watch --demo\` in a private tmux server at 120×40; after a 5 s warm-up, CPU (utime+stime from
  /proc/<pid>/stat) over 60 s and RSS (VmRSS from /proc/<pid>/status) every 5 s. The demo's timer is running.
- **(d)** the dashboard renderer (packages/dash-cli/src/watch, compiled with esbuild) on the demo week, with the
  panels' data (the week's entries rebuilt from the minute grid, twelve trend weeks):
  the frame (\`renderDashboard\`) and the frame written through the blessed screen with every cell dirty, with
  the blessed-contrib widgets the frame asks for (the pace's gauges, the event log with 14 lines) drawn by the
  same render, to a fake TTY stream of that size; median of 31.
- **(e)** the Toggl backend's \`run()\` (what \`watch\` runs) at default settings against the fake Toggl on a
  simulated clock (the plugin's test rig), with the cache attached; then a restart two simulated minutes later
  that restores the cache and runs until its first wait.
- **(f)** launching \`dash-cli watch\` (config with the demo backend, cache warmed by a snapshot) in tmux until the
  screen shows the running timer and the footer; tmux's own start-up excluded.
- **(g)** \`dash-cli serve --port 0\` on loopback: start = spawn to the printed address (printed once listening), demo config,
  cache warmed by a snapshot, median of 7; req/s = 32 keep-alive connections looping \`GET /api/v1/snapshot\` for 5 s from the
  bench process (the demo week has a running timer, so every answer is built and serialised anew); SSE = 1,000 raw socket
  clients, then 20 store changes (the file-clock test plugin's file rewritten: fs.watch → plugin → store → domain event), latency
  from the rewrite to each client reading its \`clock.in\`/\`clock.out\`; RSS = VmRSS of the serve process.

## The cache (what the figures rely on)

- One file per config file: \`$XDG_CACHE_HOME/dash/store-<sha256(config path)[0..16]>.json\` (\`~/.cache/dash\`),
  mode 0600; \`--demo\` has its own. It holds \`Store.toJSON()\` (entries, running timers, each source's status and
  its backend's \`cursor\`, where the Toggl plugin keeps its \`since\` and quota state) plus, per source, a
  fingerprint of its [[backends]] entry (plugin + options, an HMAC under the install key), when it was last heard from, the
  range synced and the plugin's poll interval.
- Writes are debounced (watch) and atomic: a temp file in the same folder, fsync, rename, fsync of the folder. A
  crash or a full disk leaves the previous file whole; a leftover temp file is ignored and swept a minute later.
  A corrupt, truncated or other-version file is ignored with a warning and rewritten by the next sync.
- Two processes (a status bar's \`snapshot\` and a \`watch\`): every write is a whole file; before renaming, a writer
  re-reads the file and, per source, keeps whichever side heard from that backend last (its entries and cursor
  together). Two writes racing in the same instant: the last rename wins, whole. There is no lock: it is a cache.
- \`snapshot\` serves from the cache when every backend was heard from within \`--max-age\` (default: the plugin's
  poll interval, at least 60 s — Toggl: 5 min) for a range covering this week; a backend waiting out a rate
  limit is not asked again before it lifts. \`--offline\` never creates a backend (sources older than the max age
  show as \`stale\`; a backend with nothing cached yet gives exit code 3). \`--refresh\` always syncs. \`--at\` neither
  reads nor writes the cache unless \`--offline\` is given (then it computes from the cached entries).

## What keeps the budgets

- **(a) the snapshot process**: the executable is \`dist/bin.cjs\`, CommonJS with the cache reader
  (packages/dash-cli/src/fast-read.ts, packages/dash-cli/src/snapshot/cached-week.ts) bundled in, so a status
  bar's call loads one file and never starts Node's ESM loader (that alone was ~9 ms). Before anything else,
  \`util.parseArgs\` recognises exactly the read flags; the config's snapshot settings, backend fingerprints and
  this and next week's calendar (day bounds, hour rows) come from the *config record* saved in the cache
  folder, valid while the config file's stat, the variables it references, the locale and (if it relies on it)
  the system zone are unchanged; the cache (or its recent slice) is read into a zod-free view. So no zod, TOML,
  commander, ICU time zones or node:crypto is loaded. There is one read path: without a valid record the
  command loads and validates the config, saves the record, and reads the cache through the same
  \`readCachedWeek\` (test/cache-fast-snapshot.test.ts checks the cold and the warm read print the same bytes).
  Projects of equal time are ordered by code unit, not by ICU collation (whose start-up alone cost ~6 ms).
- **(c) and (f) watch**: the first frame comes from the cache and the same record as the snapshot fast path
  (packages/dash-cli/src/snapshot/cached-week.ts), rendered by the dashboard's own renderer and drawn by the
  executable itself (bin.cjs, CommonJS; packages/dash-cli/src/watch/first-frame.ts) with plain escape
  sequences, before the ESM CLI, commander, blessed, zod, the config's validation or any plugin is loaded
  (~75 ms of module loading and ~25 ms of blessed's set-up that the frame no longer waits for); then the
  session opens and blessed's terminal takes over (test/cache-watch.test.ts shows the cached week while a
  plugin still takes 4 s to load, and checks the two drawings agree cell for cell and colour for colour).
  string-width is required only for a text that needs it (loading it compiles its emoji patterns, ~45 ms).
  The calendar is computed with Intl (no luxon: ~40 ms and a few MB less); the CommonJS dependencies
  (commander, blessed, eventemitter3) are loaded with \`require\`; plugins load undici (~100 ms) with their
  first request. What is left before the first frame: Node's start, reading the cache and ICU's start-up
  for the labels. "no cache" has no record either, so it waits for the whole session.
`;

const markdown = `# Benchmarks

Written by \`npm run bench\` (bench/run.mjs). Budgets come from the performance issue; "met"/"OVER" compare
this run's figure with its budget.

## Machine

${machine.join('\n')}

## Results

${table.join('\n')}

${NOTES}`;

// A partial run (`node bench/run.mjs a d`) only prints: BENCHMARKS.md always holds a whole run.
if (only.length === 0) writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown);
process.stdout.write(`\n${machine.join('\n')}\n\n`);
const widths = [2, 60, 44, 24, 8];
const pad = (text, width) => (String(text).length > width ? `${String(text).slice(0, width - 1)}…` : String(text).padEnd(width));
process.stdout.write(`${['', 'benchmark', 'measured', 'budget', 'status'].map((h, i) => pad(h, widths[i])).join(' ')}\n`);
for (const r of rows) process.stdout.write(`${[r.id, r.name, r.measured, r.budget, STATUS[r.status] ?? r.status].map((cell, i) => pad(cell, widths[i])).join(' ')}\n`);
process.stdout.write(`\nnotes:\n${rows.filter((r) => r.note).map((r) => `  (${r.id}) ${r.name}: ${r.note}`).join('\n')}\n`);
process.stdout.write(only.length === 0 ? `\nwrote BENCHMARKS.md (${totalSeconds.toFixed(0)} s)\n` : `\npartial run (${totalSeconds.toFixed(0)} s): BENCHMARKS.md not written\n`);
