// (h) the influxdb output: what one store change costs (`entries()` with everything the store
// holds: lock, diff, save when something changed) at 10 k and 100 k entries,
// and a backfill of 10 k / 100 k entries into a real InfluxDB 1.6 (Debian `influxd`, on a loopback
// port, temp dir) until the last batch is acknowledged. Runs alone: `node bench/influx-output.mjs`
// (prints the rows), or from bench/run.mjs as benchInfluxOutput().
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundle } from './build.mjs';
import { median, ms, row, skip } from './lib.mjs';

const SIZES = (process.env.BENCH_INFLUX_SIZES ?? "10000,100000").split(",").map(Number);
const RUNS = 7;

function entries(count, edit = -1) {
  const start = Date.UTC(2024, 0, 1, 8);
  return Array.from({ length: count }, (_, index) => ({
    source: index % 2 ? 'toggl' : 'upwork',
    id: String(index),
    start: new Date(start + index * 3_600_000).toISOString(),
    end: new Date(start + index * 3_600_000 + (index === edit ? 60_000 : 1_800_000)).toISOString(),
    project: { key: `p${index % 7}`, name: `Project ${index % 7}`, client: index % 3 ? 'Acme, Inc.' : null, color: null },
    description: index % 5 ? '' : `task "${index}"`,
    billable: index % 2 === 0,
    tags: [],
  }));
}

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

async function waitUntil(probe, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

async function startInflux(dir) {
  const http = await freePort();
  const rpc = await freePort();
  const config = join(dir, 'influxdb.conf');
  writeFileSync(
    config,
    `reporting-disabled = true\nbind-address = "127.0.0.1:${rpc}"\n[meta]\n  dir = "${dir}/meta"\n[data]\n  dir = "${dir}/data"\n  wal-dir = "${dir}/wal"\n  query-log-enabled = false\n[http]\n  bind-address = "127.0.0.1:${http}"\n  log-enabled = false\n[monitor]\n  store-enabled = false\n[logging]\n  level = "error"\n`,
  );
  const child = spawn('influxd', ['-config', config], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${http}`;
  if (!(await waitUntil(async () => (await fetch(`${url}/ping`)).status === 204, 30_000))) throw new Error('influxd did not start');
  return { url, stop: () => child.kill('SIGTERM') };
}

const context = (dataDir, log) => ({
  id: 'bench',
  instance: 'bench',
  log,
  now: () => new Date(),
  configDir: dataDir,
  dataDir,
  secret: () => {},
  signal: new AbortController().signal,
});

async function settled(out, timeoutMs) {
  if (!(await waitUntil(async () => out.state().queued === 0 && out.state().status === 'ok', timeoutMs))) throw new Error(`not acknowledged: ${JSON.stringify(out.state())}`);
}

export async function benchInfluxOutput() {
  const names = SIZES.flatMap((size) => [`influxdb output: one store change, ${size / 1000} k entries`, `influxdb output: backfill of ${size / 1000} k entries into InfluxDB 1.6`]);
  if (spawnSync('sh', ['-c', 'command -v influxd']).status !== 0) return names.map((name) => skip('k', name, '', 'needs influxd: apt-get install influxdb'));
  const mod = await bundle('influx-output', 'packages/dash-cli/src/outputs/influxdb/index.ts');
  const core = await bundle('influx-core', 'packages/dash-core/src/host/index.ts');
  const dir = mkdtempSync(join(tmpdir(), 'dash-bench-influx-'));
  const influx = await startInflux(join(dir));
  const rows = [];
  try {
    await fetch(`${influx.url}/query?q=${encodeURIComponent('CREATE DATABASE bench')}`, { method: 'POST' });
    for (const size of SIZES) {
      const dataDir = mkdtempSync(join(dir, 'out-'));
      const options = mod.InfluxOptionsSchema.parse({ url: influx.url, database: 'bench' });
      const out = await mod.createInfluxOutput(options, context(dataDir, core.silentLogger));
      const all = entries(size);
      const t = performance.now();
      await out.entries(all);
      await settled(out, 300_000);
      const backfill = performance.now() - t;
      const recordBytes = statSync(join(dataDir, 'record.json')).size;

      const unchanged = [];
      const changed = [];
      for (let run = 0; run < RUNS; run++) {
        let start = performance.now();
        await out.entries(all);
        unchanged.push(performance.now() - start);
        const edited = entries(size, run);
        start = performance.now();
        await out.entries(edited);
        changed.push(performance.now() - start);
        await settled(out, 60_000);
      }
      // Steady state: what was acknowledged more than 10 s ago is no longer kept for re-sending.
      await new Promise((resolve) => setTimeout(resolve, 10_500));
      await out.entries(entries(size, RUNS + 1));
      await settled(out, 60_000);
      const steadyBytes = statSync(join(dataDir, 'record.json')).size;
      await out.dispose();
      rows.push(
        row('k', `influxdb output: one store change, ${size / 1000} k entries`, `${ms(median(unchanged))} unchanged, ${ms(median(changed))} with one edit`, '', 'info', `median of ${RUNS}; the record (${(recordBytes / 1e6).toFixed(1)} MB just after the backfill, ${(steadyBytes / 1e6).toFixed(1)} MB once its re-send window passed) stays in memory, is read again only when another process wrote it, and is written when something changed`),
        row('k', `influxdb output: backfill of ${size / 1000} k entries into InfluxDB 1.6`, `${(backfill / 1000).toFixed(2)} s`, '', 'info', `batches of ${options.batch_size}; ${Math.round(size / (backfill / 1000))} points/s including the record's saves`),
      );
    }
  } finally {
    influx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { cleanBuild } = await import('./build.mjs');
  try {
    for (const result of await benchInfluxOutput()) console.log(`${result.name}: ${result.measured} (${result.note})`);
  } finally {
    cleanBuild();
  }
}
