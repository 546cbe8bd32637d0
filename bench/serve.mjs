// (g) serve: `dash-cli serve` start to listening with a warm cache; GET /api/v1/snapshot
// requests per second on loopback; 1,000 SSE clients: from a store change to the last client
// receiving its event, and the server's RSS with them connected.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import { CLI, cliHasCommand, median, ms, mustRun, ROOT, row, sandbox, skip, sleep } from './lib.mjs';

const STARTS = 7;
const CLIENTS = 1000;
const CHANGES = 20;
const LOAD_SECONDS = 5;
const CONCURRENCY = 32;
// A plugin that mirrors a JSON file into the store (and watches it): a test clocks in by rewriting it.
const FILE_PLUGIN = join(ROOT, 'test/fixtures/plugins/file-clock-plugin.mjs');

function startServe(box, args = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], { env: box.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('serve did not start within 15 s')), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      const found = /(http:\/\/\S+)\/\?token=(\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve({ ms: performance.now() - started, base: found[1], token: found[2] });
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const stop = () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))));
  return { child, ready, stop };
}

function rssMb(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

/** `wrk` (Debian's wrk, a C load generator) when installed: the load is then not the bench process's own JavaScript. */
function wrkAvailable() {
  return spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
}

function loadWithWrk(base, token) {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t1', `-c${CONCURRENCY}`, `-d${LOAD_SECONDS}s`, '-H', `Authorization: Bearer ${token}`, new URL('/api/v1/snapshot', base).href], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const rate = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
      if (!rate) return reject(new Error(`wrk printed no rate: ${out.slice(0, 200)}`));
      resolve({ rate: Number(rate[1]), failed: errors ? Number(errors[1]) : 0, by: 'wrk (1 thread)' });
    });
  });
}

async function loadSnapshot(base, token) {
  if (wrkAvailable()) return loadWithWrk(base, token);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL('/api/v1/snapshot', base);
  let done = 0;
  let failed = 0;
  const end = performance.now() + LOAD_SECONDS * 1000;
  const one = () =>
    new Promise((resolve) => {
      const request = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
        response.on('data', () => {});
        response.on('end', () => (response.statusCode === 200 ? done++ : failed++, resolve()));
      });
      request.on('error', () => (failed++, resolve()));
    });
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) await one();
  }));
  agent.destroy();
  return { rate: done / ((performance.now() - started) / 1000), failed, by: 'a Node loop in the bench process (install wrk for a load generator that is not JavaScript)' };
}

/**
 * A bare SSE client on a socket: finds `event: <type>` lines in the raw bytes as they arrive
 * (Buffer.indexOf, nothing decoded or kept), so what is timed is when the bytes reach the client,
 * not how fast this process could parse a thousand snapshots.
 */
const EVENT_LINE = Buffer.from('\nevent: ');
function sseClient(base, token, onEvent) {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(`GET /api/v1/events HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    let pending = Buffer.alloc(0);
    let snapshotSeen = false;
    socket.on('data', (chunk) => {
      const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let from = 0;
      let keep = Math.max(0, bytes.length - EVENT_LINE.length);
      for (;;) {
        const at = bytes.indexOf(EVENT_LINE, from);
        if (at < 0) break;
        const end = bytes.indexOf(10, at + EVENT_LINE.length);
        if (end < 0) {
          keep = at;
          break;
        }
        const type = bytes.toString('latin1', at + EVENT_LINE.length, end);
        if (type === 'snapshot' && !snapshotSeen) {
          snapshotSeen = true;
          resolve(socket);
        } else if (type === 'snapshot' || type === 'clock.in' || type === 'clock.out') onEvent(type);
        from = end;
        keep = Math.max(keep, end);
      }
      pending = Buffer.from(bytes.subarray(keep));
    });
    socket.on('error', reject);
  });
}

function writeState(file, state) {
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

const iso = (epochMs) => new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');

export async function benchServe() {
  const names = ['serve, start → listening (warm cache)', 'GET /api/v1/snapshot (warm store, loopback)', `${CLIENTS} SSE clients: store change → last client, p99`, `serve RSS with ${CLIENTS} SSE clients`];
  if (!cliHasCommand('serve')) return names.map((name) => skip('g', name, '', 'dash-cli has no serve command yet'));
  const rows = [];
  const box = sandbox();
  try {
    // (1) start → listening: the demo config of the other benchmarks, its cache warmed first.
    await mustRun('warming the cache', process.execPath, [CLI, 'snapshot', '--json', '--config', box.config], { env: box.env });
    const starts = [];
    for (let i = 0; i < STARTS; i++) {
      const serve = startServe(box, ['--config', box.config]);
      starts.push((await serve.ready).ms);
      await serve.stop();
      await sleep(100);
    }
    const start = median(starts);
    rows.push(row('g', names[0], ms(start), '≤ 300 ms', start <= 300 ? 'ok' : 'over', `median of ${STARTS}: process spawn to the printed address (printed once listening); min ${ms(Math.min(...starts))}`));

    // (2) requests per second on the demo week (a running timer: every answer is built anew).
    const serve = startServe(box, ['--config', box.config]);
    const { base, token } = await serve.ready;
    await sleep(500);
    const load = await loadSnapshot(base, token);
    await serve.stop();
    rows.push(row('g', names[1], `${Math.round(load.rate)} req/s`, '≥ 2,000 req/s', load.rate >= 2000 ? 'ok' : 'over', `${CONCURRENCY} keep-alive connections for ${LOAD_SECONDS} s from ${load.by}; ${load.failed} failed`));

    // (3) 1,000 SSE clients; a plugin clocks in and out by a file the bench rewrites.
    const state = join(box.root, 'state.json');
    const config = join(box.root, 'file.toml');
    writeFileSync(config, `timezone = "UTC"\n[goals]\nweekly = 40\n[[backends]]\nplugin = ${JSON.stringify(FILE_PLUGIN)}\nid = "clock"\nfile = ${JSON.stringify(state)}\n`);
    writeState(state, { entries: [], running: null });
    const live = startServe(box, ['--config', config]);
    const ready = await live.ready;
    let changedAt = 0;
    let expected = '';
    let latencies = [];
    let snapshots = 0;
    const sockets = [];
    const onEvent = (type) => {
      if (type === expected) latencies.push(performance.now() - changedAt);
      else if (type === 'snapshot') snapshots++;
    };
    for (let i = 0; i < CLIENTS; i += 50) {
      sockets.push(...(await Promise.all(Array.from({ length: Math.min(50, CLIENTS - i) }, () => sseClient(ready.base, ready.token, onEvent)))));
    }
    await sleep(500);
    const rss = rssMb(live.child.pid);
    const lasts = [];
    const firsts = [];
    const all = [];
    for (let change = 0; change < CHANGES; change++) {
      latencies = [];
      snapshots = 0;
      expected = change % 2 === 0 ? 'clock.in' : 'clock.out';
      changedAt = performance.now();
      const running = { id: `run-${Math.floor(change / 2)}`, start: iso(Date.now() - 60_000), end: null };
      writeState(state, { entries: [], running: change % 2 === 0 ? running : null });
      const deadline = performance.now() + 5_000;
      while (latencies.length < CLIENTS && performance.now() < deadline) await sleep(1);
      if (latencies.length < CLIENTS) throw new Error(`only ${latencies.length} of ${CLIENTS} clients got ${expected}`);
      lasts.push(Math.max(...latencies));
      firsts.push(Math.min(...latencies));
      all.push(...latencies);
      // The next change once every client has this change's snapshot too (the stream is idle
      // again, as between a user's clock-in and clock-out): each latency is one change's alone.
      while (snapshots < CLIENTS && performance.now() < deadline + 5_000) await sleep(1);
      await sleep(50);
    }
    const rssAfter = rssMb(live.child.pid);
    for (const socket of sockets) socket.destroy();
    await live.stop();
    all.sort((a, b) => a - b);
    const p99 = all[Math.floor(all.length * 0.99)];
    const lastP99 = [...lasts].sort((a, b) => a - b)[Math.min(lasts.length - 1, Math.floor(lasts.length * 0.99))];
    rows.push(row('g', names[2], ms(p99), '≤ 50 ms', p99 <= 50 ? 'ok' : 'over', `${CHANGES} changes (file rewritten → plugin → store → event), each once every client has the previous one's snapshot; per change the first client: median ${ms(median(firsts))}; the last: median ${ms(median(lasts))}, worst ${ms(lastP99)}`));
    const worstRss = Math.max(rss, rssAfter);
    rows.push(row('g', names[3], `${worstRss.toFixed(0)} MB`, '≤ 150 MB', worstRss <= 150 ? 'ok' : 'over', `VmRSS connected (${rss.toFixed(0)} MB) and after the changes (${rssAfter.toFixed(0)} MB)`));
    return rows;
  } finally {
    box.cleanup();
  }
}
