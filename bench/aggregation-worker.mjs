// (b) worker: a store with `size` entries of history plus the same current week, then
// buildSnapshot of the current week, timed. Runs in its own process per size (fresh heap).
import { pathToFileURL } from 'node:url';
import { HOST, median } from './lib.mjs';

const size = Number(process.argv[2]);
const { Store, buildSnapshot } = await import(pathToFileURL(HOST).href);

const NOW = Date.parse('2026-11-20T15:30:00Z') / 1000; // a Friday afternoon
const WEEK_START = Date.parse('2026-11-15T23:00:00Z') / 1000; // Monday 00:00 in Berlin
const PROJECTS = Array.from({ length: 8 }, (_, index) => ({ key: `p${index}`, name: `Project ${index}`, client: index % 2 ? 'Client' : null, color: null }));
const iso = (seconds) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');

function entry(id, start, length) {
  return { id, start: iso(start), end: iso(start + length), project: PROJECTS[id.length % 8], description: 'work', billable: start % 2 === 0, tags: [] };
}

const store = new Store();
const handle = store.addSource('bench', 'dash-plugin-bench');
const loadStart = performance.now();
// The current week: the same 120 entries (and a running timer) whatever the history.
const week = [];
for (let i = 0; week.length < 120 && WEEK_START + i * 1800 < NOW - 3600; i++) week.push(entry(`w${i}`, WEEK_START + i * 1800, 1500));
handle.upsert(week);
handle.setRunning({ id: 'running', start: iso(NOW - 2820), end: null, project: PROJECTS[1] });
// History before the week: `size` entries of 8 minutes, every 10 minutes back in time (a million
// reach back 19 years: all inside the store's bounds, which start in 1970).
const BATCH = 10_000;
for (let done = 0; done < size; done += BATCH) {
  const batch = [];
  for (let i = done; i < Math.min(size, done + BATCH); i++) batch.push(entry(`h${i}`, WEEK_START - (i + 1) * 600, 480));
  handle.upsert(batch);
}
const loadMs = performance.now() - loadStart;

const options = {
  now: new Date(NOW * 1000),
  timeZone: 'Europe/Berlin',
  weekStart: 'monday',
  goals: { weekly: 40 * 3600, weeklyBillable: 30 * 3600, daily: 8 * 3600, dailyBillable: 6 * 3600 },
  workdays: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
};
for (let i = 0; i < 5; i++) buildSnapshot(store, options);
const times = [];
let snapshot;
for (let i = 0; i < 25; i++) {
  const start = performance.now();
  snapshot = buildSnapshot(store, options);
  times.push(performance.now() - start);
}
process.stdout.write(
  JSON.stringify({
    size,
    entries: store.size,
    loadMs,
    medianMs: median(times),
    weekSeconds: snapshot.week.totalSeconds,
    rssMb: process.memoryUsage().rss / 2 ** 20,
  }),
);
