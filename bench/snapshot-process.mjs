// (a) `dash-cli snapshot --json --offline` on a warm cache, against `node -e 0`, side by side.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, CORE, HOST, median, ms, mustRun, ROOT, row, sandbox, timed } from './lib.mjs';

const RUNS = 21;

let historyEntries = 0;

/** Adds a year of weekday entries before this week to the sandbox's cache, through dash-core's own writer. */
async function addHistory(box) {
  const dir = join(box.env.XDG_CACHE_HOME, 'dash');
  const file = join(dir, readdirSync(dir).find((name) => /^store-[0-9a-f]+\.json$/.test(name)));
  const cache = JSON.parse(readFileSync(file, 'utf8'));
  const template = cache.store.entries[0];
  const start0 = Date.now() - 372 * 86_400_000;
  for (let day = 0; day < 364; day++) {
    for (const hour of [8, 13]) {
      const start = start0 + day * 86_400_000 + hour * 3_600_000;
      cache.store.entries.push({ ...template, id: `history-${day}-${hour}`, start: new Date(start).toISOString(), end: new Date(start + 4 * 3_600_000).toISOString() });
    }
  }
  historyEntries = cache.store.entries.length;
  const { writeCache } = await import(pathToFileURL(HOST).href);
  await writeCache(file, cache, { merge: false });
}

export async function benchSnapshotProcess() {
  const box = sandbox();
  try {
    const base = [CLI, 'snapshot', '--json', '--config', box.config];
    await mustRun('warming the cache', process.execPath, base, { env: box.env });
    const check = timed(process.execPath, [...base, '--offline'], { env: box.env });
    const parsed = JSON.parse(check.result.stdout);
    if (check.result.status !== 0 || parsed.sources[0].status !== 'ok') throw new Error(`offline snapshot failed: ${check.result.stderr}`);

    const floor = [];
    const offline = [];
    const refresh = [];
    const version = [];
    const status = [];
    const human = [];
    const fresh = [];
    const core = [];
    const zod = [];
    const importing = (url) => ['--input-type=module', '-e', `await import(${JSON.stringify(url)})`];
    const zodUrl = pathToFileURL(join(ROOT, 'node_modules/zod/index.js')).href;
    for (let i = 0; i < RUNS; i++) {
      // Interleaved, so both see the same machine load.
      floor.push(timed(process.execPath, ['-e', '0'], { env: box.env }).ms);
      offline.push(timed(process.execPath, [...base, '--offline'], { env: box.env }).ms);
      status.push(timed(process.execPath, [CLI, 'status', '--offline', '--config', box.config], { env: box.env }).ms);
      human.push(timed(process.execPath, [CLI, 'snapshot', '--offline', '--config', box.config], { env: box.env }).ms);
      if (i % 3 === 1) fresh.push(timed(process.execPath, [CLI, 'status', '--max-age', '1h', '--config', box.config], { env: box.env }).ms);
      if (i % 3 === 0) {
        refresh.push(timed(process.execPath, [...base, '--refresh'], { env: box.env }).ms);
        version.push(timed(process.execPath, [CLI, '--version'], { env: box.env }).ms);
        core.push(timed(process.execPath, importing(pathToFileURL(CORE).href), { env: box.env }).ms);
        zod.push(timed(process.execPath, importing(zodUrl), { env: box.env }).ms);
      }
    }
    // The same, with a year of history in the cache (as watch's trend or --at keep): the hot read
    // takes the recent slice the writer keeps beside the cache, so the year should cost nothing.
    await addHistory(box);
    const floorYear = [];
    const statusYear = [];
    const jsonYear = [];
    for (let i = 0; i < RUNS; i++) {
      floorYear.push(timed(process.execPath, ['-e', '0'], { env: box.env }).ms);
      statusYear.push(timed(process.execPath, [CLI, 'status', '--offline', '--config', box.config], { env: box.env }).ms);
      jsonYear.push(timed(process.execPath, [...base, '--offline'], { env: box.env }).ms);
    }
    const fy = median(floorYear);
    const f = median(floor);
    const o = median(offline);
    const r = median(refresh);
    const ratio = o / f;
    return [
      row('a', 'node -e 0 (the floor of any Node CLI)', ms(f), '', 'info', `median of ${RUNS}`),
      row('a', 'snapshot --json --offline, warm cache', `${ms(o)} = ${ratio.toFixed(2)}× floor`, '≤ 1.50× floor', ratio <= 1.5 ? 'ok' : 'over', `median of ${RUNS}, interleaved with the floor`),
      ...[
        ['status --offline, warm cache', status, RUNS],
        ['status, fresh cache (no --offline)', fresh, fresh.length],
        ['snapshot (human summary) --offline, warm cache', human, RUNS],
      ].map(([name, times, count]) => row('a', name, `${ms(median(times))} = ${(median(times) / f).toFixed(2)}× floor`, '≤ 1.50× floor', median(times) / f <= 1.5 ? 'ok' : 'over', `median of ${count}, interleaved with the floor`)),
      ...[
        ['status --offline, a year of history cached', statusYear],
        ['snapshot --json --offline, a year of history cached', jsonYear],
      ].map(([name, times]) => row('a', name, `${ms(median(times))} = ${(median(times) / fy).toFixed(2)}× floor`, '≤ 1.50× floor', median(times) / fy <= 1.5 ? 'ok' : 'over', `median of ${RUNS}; ${historyEntries} entries in the cache, interleaved with the floor`)),
      row('a', 'snapshot --json --refresh (demo backend synced)', `${ms(r)} = ${(r / f).toFixed(2)}× floor`, '', 'info', `median of ${refresh.length}; loads the plugin host`),
      ...[
        ['where it goes: dash-cli --version (commander + error reporting, which imports dash-core)', version],
        ['where it goes: node importing dash-core only', core],
        ['where it goes: node importing zod only', zod],
      ].map(([name, times]) => row('a', name, `${ms(median(times))} = ${(median(times) / f).toFixed(2)}× floor`, '', 'info', `median of ${times.length}`)),
    ];
  } finally {
    box.cleanup();
  }
}
