// (h) outputs: the webhook's outbox drained by a real `dash-cli serve` into a loopback receiver
// (events per second, one at a time, in order), and `dash-cli outputs` reading a 1,000-event
// outbox from disk, whole process, side by side with `node -e 0`.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { CLI, cliHasCommand, median, ms, ROOT, row, sandbox, skip, timed } from './lib.mjs';

const EVENTS = 1000;
const RUNS = 7;
const FILE_PLUGIN = join(ROOT, 'test/fixtures/plugins/file-clock-plugin.mjs');
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

/** A box whose config has the file-clock backend and a webhook to `url`, with `EVENTS` events queued. */
function boxWithOutbox(url) {
  const box = sandbox('dash-bench-outputs-');
  const state = join(box.root, 'state.json');
  writeFileSync(state, JSON.stringify({ entries: [], running: null }));
  writeFileSync(
    box.config,
    `timezone = "UTC"\n[[backends]]\nplugin = ${JSON.stringify(FILE_PLUGIN)}\nid = "clock"\nfile = ${JSON.stringify(state)}\n\n` +
      `[[outputs]]\nplugin = "webhook"\nid = "hook"\nurl = "${url}"\nsecret = "${SECRET}"\n`,
  );
  const outbox = join(box.env.XDG_DATA_HOME, 'dash', 'outputs', 'hook', 'outbox');
  mkdirSync(outbox, { recursive: true });
  const now = Date.now();
  for (let i = 0; i < EVENTS; i++) {
    const id = `evt_${i.toString(16).padStart(32, '0')}`;
    const body = JSON.stringify({ type: 'clock.in', timestamp: new Date(now).toISOString(), data: { source: 'clock', entry: { id: `e${i}` } } });
    writeFileSync(join(outbox, `${id}.json`), JSON.stringify({ id, type: 'clock.in', body, queuedAt: now, seq: i, attempts: 0, nextAttemptAt: 0, failingSince: null, lastError: null }));
  }
  return box;
}

async function drainRate() {
  let received = 0;
  let done;
  const all = new Promise((resolve) => (done = resolve));
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(204).end();
      if (++received === EVENTS) done(performance.now());
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const box = boxWithOutbox(`http://127.0.0.1:${server.address().port}/hook`);
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--config', box.config], { env: box.env, stdio: 'ignore' });
  try {
    const timer = setTimeout(() => done(Number.NaN), 120_000);
    const finished = await all;
    clearTimeout(timer);
    return (finished - started) / 1000;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    server.close();
    box.cleanup();
  }
}

export async function benchOutputs() {
  if (!cliHasCommand('outputs')) return [skip('j', 'outputs', '', 'this build has no `dash-cli outputs`')];
  const seconds = await drainRate();
  const rows = [
    row('j', `webhook: ${EVENTS} queued events delivered by serve (start included)`, `${seconds.toFixed(1)} s, ${Math.round(EVENTS / seconds)} events/s`, 'info', 'info', 'one at a time, oldest first, an fsync per event'),
  ];
  // A receiver that is down: the outbox is only read.
  const box = boxWithOutbox('http://127.0.0.1:9/hook');
  try {
    const node = [];
    const outputs = [];
    for (let i = 0; i < RUNS; i++) {
      node.push(timed(process.execPath, ['-e', '0']).ms);
      const run = timed(process.execPath, [CLI, 'outputs', '--config', box.config], { env: box.env });
      if (!/1000 queued/.test(run.result.stdout)) throw new Error(`dash-cli outputs said: ${run.result.stdout}${run.result.stderr}`);
      outputs.push(run.ms);
    }
    rows.push(row('j', `dash-cli outputs with ${EVENTS} queued (whole process)`, `${ms(median(outputs))} (node -e 0: ${ms(median(node))})`, 'info', 'info'));
  } finally {
    box.cleanup();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const item of await benchOutputs()) console.log(`${item.name}: ${item.measured}`);
}
