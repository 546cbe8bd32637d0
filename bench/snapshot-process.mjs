// (a) `dash-cli snapshot --json --offline` on a warm cache, against `node -e 0`, side by side.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CLI, CORE, median, ms, mustRun, ROOT, row, sandbox, timed } from './lib.mjs';

const RUNS = 21;

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
