/**
 * The webhook output end to end: a real `dash-cli serve` (built) with a local plugin whose file
 * the test rewrites to clock in and out, and a real receiver on 127.0.0.1 that checks every
 * delivery with the `standardwebhooks` library. Retries are scaled down with the test-only knobs
 * DASH_OUTPUT_RETRY_BASE_MS and DASH_OUTPUT_TIMEOUT_MS (users get 5 s and 15 s).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from './support/cli.js';
import { Tmux } from './support/tmux.js';
import { describeWith, TMUX } from './support/tools.js';
import { fetchText, fileClockConfig, serveDir, startServe as startServeProcess, writeState, type Served } from './support/serve.js';
import { newSecret, Receiver, type Answer } from './support/webhook-receiver.js';

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Setup {
  home: ReturnType<typeof serveDir>;
  config: string;
  state: string;
  env: Record<string, string>;
  secret: string;
  outbox: string;
}

function setup(receiverUrl: string, events = '["clock.in", "clock.out"]'): Setup {
  const home = serveDir();
  const secret = newSecret();
  const { config, state } = fileClockConfig(
    home.dir,
    `\n[[outputs]]\nplugin = "webhook"\nid = "hook"\nurl = "${receiverUrl}"\nsecret = "\${DASH_WEBHOOK_SECRET}"\nevents = ${events}\n`,
  );
  writeState(state, { entries: [], running: null });
  const env = { ...home.env, DASH_WEBHOOK_SECRET: secret, DASH_OUTPUT_RETRY_BASE_MS: '100', DASH_OUTPUT_TIMEOUT_MS: '800' };
  return { home, config, state, env, secret, outbox: join(home.env.XDG_DATA_HOME!, 'dash', 'outputs', 'hook', 'outbox') };
}

const running = (id: string, startMs: number) => ({ id, start: iso(startMs), end: null, project: { key: 'acme', name: 'Acme' }, description: 'work', billable: true });

function queuedFiles(outbox: string): string[] {
  return existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith('.json')) : [];
}

/**
 * serve, once its backend has synced: the file-clock plugin starts watching its file right after
 * its first read, so a change made before that would go unseen.
 */
async function startServe(args: readonly string[], options: { env: Record<string, string>; cwd: string }): Promise<Served> {
  const served = await startServeProcess(args, options);
  const until = Date.now() + 15_000;
  for (;;) {
    const reply = await fetchText(`${served.base}/api/v1/snapshot`, { headers: { authorization: `Bearer ${served.token}` } }).catch(() => undefined);
    const sources = reply?.status === 200 ? (JSON.parse(reply.body) as { sources: { lastSyncAt: string | null }[] }).sources : [];
    if (sources.length > 0 && sources.every((source) => source.lastSyncAt !== null)) return served;
    if (Date.now() > until) throw new Error(`serve did not sync: ${served.stderr()}`);
    await sleep(50);
  }
}

/** The attempts made at the (one) queued event so far. */
function attempts(outbox: string): number {
  try {
    return (JSON.parse(readFileSync(join(outbox, queuedFiles(outbox)[0]!), 'utf8')) as { attempts: number }).attempts;
  } catch {
    return 0;
  }
}

/**
 * Every event sent and no attempt in flight: no record and no claim left in the outbox. Every
 * delivery goes through the outbox, so from here on no host can send anything more (in place of
 * a fixed wait before "nothing else arrived").
 */
function drained(outbox: string): Promise<void> {
  return waitFor(() => !existsSync(outbox) || readdirSync(outbox).length === 0, 10_000, 'the outbox to empty');
}

async function waitFor(test: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('webhook output: signed, in order, exactly once per id', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function receiver(secret: string, answer?: (n: number) => Answer): Promise<Receiver> {
    const r = new Receiver(secret);
    if (answer) {
      let n = 0;
      r.answer(() => answer(n++));
    }
    await r.listen();
    cleanups.push(() => r.close());
    return r;
  }

  /**
   * A config whose webhook points at a port, and a receiver on that port that verifies with the
   * config's secret, answering with `answer`; both are cleaned up after the test.
   */
  async function configAndReceiver(answer?: Parameters<Receiver['answer']>[0]): Promise<{ s: Setup; r: Receiver }> {
    const placeholder = await receiver(newSecret());
    const s = setup(placeholder.url);
    cleanups.push(() => s.home.cleanup());
    await placeholder.close();
    const r = new Receiver(s.secret);
    if (answer) r.answer(answer);
    await r.listen(placeholder.port);
    cleanups.push(() => r.close());
    return { s, r };
  }

  async function serve(s: Setup): Promise<Served> {
    const served = await startServe(['--config', s.config], { env: s.env, cwd: s.home.dir });
    cleanups.push(async () => void (await served.stop()));
    return served;
  }

  it('clock-in and clock-out from a local plugin arrive signed (standardwebhooks verifies them) and in order', async () => {
    const { s, r } = await configAndReceiver();
    const served = await serve(s);

    const start = Date.now() - 600_000;
    writeState(s.state, { entries: [], running: running('run-1', start) });
    await r.until((d) => d.length >= 1);
    const end = iso(Date.now());
    writeState(s.state, { entries: [{ ...running('run-1', start), end }], running: null });
    await r.until((d) => d.length >= 2);
    await drained(s.outbox);

    expect(r.deliveries.map((d) => d.type)).toEqual(['clock.in', 'clock.out']);
    for (const delivery of r.deliveries) {
      expect(delivery.verifyError).toBeUndefined();
      expect(delivery.verified).toBe(true);
      expect(delivery.id).toMatch(/^evt_[0-9a-f]{32}$/);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(delivery.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
      expect(Object.keys(JSON.parse(delivery.body) as object)).toEqual(['type', 'timestamp', 'data']);
    }
    expect(r.deliveries[0]!.data).toMatchObject({ source: 'clock', entry: { id: 'run-1', start: iso(start), description: 'work', billable: true } });
    expect(r.deliveries[1]!.data).toMatchObject({ source: 'clock', entry: { id: 'run-1', end }, seconds: (Date.parse(end) - Date.parse(iso(start))) / 1000 });
    // Delivered: the outbox is empty, and the secret was never printed.
    expect(queuedFiles(s.outbox)).toEqual([]);
    expect(served.stderr() + served.stdout()).not.toContain(s.secret.slice('whsec_'.length));

    const listed = await runCli(['outputs', '--json', '--config', s.config], { env: s.env, cwd: s.home.dir });
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ outputs: [{ id: 'hook', plugin: 'webhook', state: { status: 'ok', queued: 0, delivered: 2 } }] });
  });

  it('a receiver failing (500, a hang past the timeout, a reset) then recovering gets every event once per id, in order', async () => {
    const faults: Answer[] = [{ status: 500 }, 'hang', 'reset', { status: 503, headers: { 'retry-after': '1' } }];
    let n = 0;
    const { s, r } = await configAndReceiver(() => faults[n++] ?? { status: 200 });
    await serve(s);

    const start = Date.now() - 300_000;
    writeState(s.state, { entries: [], running: running('run-2', start) });
    // While the first event is being retried, the clock-out queues behind it.
    await r.until((d) => d.length >= 2, 10_000);
    writeState(s.state, { entries: [{ ...running('run-2', start), end: iso(Date.now()) }], running: null });
    await r.until((d) => r.acknowledged().length >= 2, 20_000);
    await drained(s.outbox);

    expect(r.deliveries.map((d) => d.answered)).toEqual(['500', 'hang', 'reset', '503', '200', '200']);
    const [first, ...rest] = r.deliveries;
    // Every retry of the first event carries its id; each attempt is signed for its own second.
    expect(rest.slice(0, 4).every((d) => d.id === first!.id)).toBe(true);
    expect(r.deliveries.every((d) => d.verified)).toBe(true);
    expect(r.acknowledged()).toHaveLength(new Set(r.acknowledged()).size);
    expect(r.deliveries.filter((d) => d.answered === '200').map((d) => d.type)).toEqual(['clock.in', 'clock.out']);
    // Retry-After: 1 was waited for.
    const at = (d: (typeof r.deliveries)[number]) => Number(d.headers['webhook-timestamp']);
    expect(at(r.deliveries[4]!) - at(r.deliveries[3]!)).toBeGreaterThanOrEqual(1);
    expect(queuedFiles(s.outbox)).toEqual([]);
  });

  it('kill -9 of the host while the event waits in the outbox (receiver down): delivered after the restart', async () => {
    const placeholder = await receiver(newSecret());
    const port = placeholder.port;
    const s = setup(placeholder.url);
    cleanups.push(() => s.home.cleanup());
    await placeholder.close();
    // The next retry a minute away: the restart must not wait for it.
    s.env.DASH_OUTPUT_RETRY_BASE_MS = '60000';
    const first = await serve(s);

    const start = Date.now() - 120_000;
    writeState(s.state, { entries: [], running: running('run-3', start) });
    // In the outbox, and its first attempt failed (the receiver is down).
    await waitFor(() => queuedFiles(s.outbox).length === 1 && attempts(s.outbox) >= 1, 10_000, 'a failed attempt at the queued event');
    expect(await first.stop('SIGKILL')).toBeNull();

    const r = new Receiver(s.secret);
    await r.listen(port);
    cleanups.push(() => r.close());
    const listed = await runCli(['outputs', '--config', s.config], { env: s.env, cwd: s.home.dir });
    expect(listed.stdout).toMatch(/^hook {2}webhook {2}failing since \d{4}-\d\d-\d\dT[\d:.]+Z, 1 queued; last error: cannot reach the receiver \(ECONNREFUSED\)\n$/);
    expect(listed.code).toBe(3);

    const restartedAt = Date.now();
    await serve(s);
    await r.until((d) => d.length >= 1, 10_000);
    expect(Date.now() - restartedAt).toBeLessThan(10_000);
    await drained(s.outbox);
    expect(r.deliveries.map((d) => [d.type, d.verified, d.answered])).toEqual([['clock.in', true, '204']]);
    expect(r.deliveries[0]!.data).toMatchObject({ entry: { id: 'run-3', start: iso(start) } });
    expect(queuedFiles(s.outbox)).toEqual([]);
  });

  it('kill -9 in the middle of an attempt (its claim left behind): the restarted host takes the claim over and delivers', async () => {
    let hang = true;
    const { s, r } = await configAndReceiver(() => (hang ? 'hang' : { status: 200 }));
    // A long request timeout: the attempt is still in flight when the host dies.
    const first = await startServe(['--config', s.config], { env: { ...s.env, DASH_OUTPUT_TIMEOUT_MS: '60000' }, cwd: s.home.dir });
    cleanups.push(async () => void (await first.stop()));

    writeState(s.state, { entries: [], running: running('run-6', Date.now() - 30_000) });
    await r.until((d) => d.length === 1);
    expect(readdirSync(s.outbox).filter((name) => name.endsWith('.lock'))).toHaveLength(1);
    expect(await first.stop('SIGKILL')).toBeNull();

    hang = false;
    await serve(s);
    await r.until((d) => d.some((x) => x.answered === '200'));
    await drained(s.outbox);
    expect(r.deliveries.map((d) => d.answered)).toEqual(['hang', '200']);
    expect(r.deliveries[1]!.id).toBe(r.deliveries[0]!.id);
    expect(readdirSync(s.outbox)).toEqual([]);
  });

  it('an event the receiver never takes is dropped with a warning once past the maximum age (scaled down here)', async () => {
    const { s, r } = await configAndReceiver(() => ({ status: 500 }));
    // A base of 0.2 ms scales 24 h down to 3.5 s (and the 1 h cap to 0.14 s).
    const served = await startServe(['--config', s.config], { env: { ...s.env, DASH_OUTPUT_RETRY_BASE_MS: '0.2' }, cwd: s.home.dir });
    cleanups.push(async () => void (await served.stop()));

    writeState(s.state, { entries: [], running: running('run-7', Date.now() - 30_000) });
    await r.until((d) => d.length >= 3);
    await waitFor(() => /dropped clock\.in evt_[0-9a-f]{32}: not delivered within 24 h \(the receiver answered 500/.test(served.stderr()), 15_000, 'the drop warning');
    expect(queuedFiles(s.outbox)).toEqual([]);
    const attempts = r.deliveries.length;
    await drained(s.outbox);
    expect(r.deliveries.length).toBe(attempts);
    expect(new Set(r.deliveries.map((d) => d.id)).size).toBe(1);
  });

  it('410 Gone disables the output: no more deliveries, and `outputs` and the state say disabled', async () => {
    const { s, r } = await configAndReceiver(() => ({ status: 410 }));
    const served = await serve(s);

    const start = Date.now() - 60_000;
    writeState(s.state, { entries: [], running: running('run-4', start) });
    await r.until((d) => d.length >= 1).catch((error: Error) => {
      throw new Error(`${error.message}; serve said: ${served.stderr()}`);
    });
    // Once the host has taken the 410 in, the clock-out is not even queued.
    const stateFile = join(s.outbox, '..', 'state.json');
    await waitFor(() => existsSync(stateFile) && /"disabled":\{/.test(readFileSync(stateFile, 'utf8')), 5_000, 'the disabled state on disk');
    writeState(s.state, { entries: [{ ...running('run-4', start), end: iso(Date.now()) }], running: null });
    await sleep(1_500);
    expect(r.deliveries.map((d) => d.answered)).toEqual(['410']);
    expect(queuedFiles(s.outbox).map((name) => (JSON.parse(readFileSync(join(s.outbox, name), 'utf8')) as { type: string }).type)).toEqual(['clock.in']);
    expect(served.stderr()).toMatch(/disabled: the receiver answered 410 Gone/);

    const listed = await runCli(['outputs', '--json', '--config', s.config], { env: s.env, cwd: s.home.dir });
    expect(listed.code).toBe(3);
    expect(JSON.parse(listed.stdout)).toMatchObject({ outputs: [{ id: 'hook', state: { status: 'disabled', lastError: { code: 'GONE' } } }] });

    const doctor = await runCli(['doctor', '--config', s.config], { env: s.env, cwd: s.home.dir });
    expect(doctor.stdout).toContain('✗ output hook (webhook): disabled: the receiver answered 410 Gone');
    expect(doctor.code).toBe(3);

    // A test delivery the receiver accepts re-enables it.
    r.answer(() => ({ status: 200, body: 'welcome back\nsecond line' }));
    const tested = await runCli(['outputs', 'test', 'hook', '--config', s.config], { env: s.env, cwd: s.home.dir });
    expect(tested.stdout).toBe('hook: ok: the receiver answered 200: welcome back\n');
    expect(tested.code).toBe(0);
    expect(r.deliveries.at(-1)).toMatchObject({ type: 'dash.test', verified: true, data: { output: 'hook' } });
    const after = await runCli(['outputs', '--json', '--config', s.config], { env: s.env, cwd: s.home.dir });
    expect(JSON.parse(after.stdout)).toMatchObject({ outputs: [{ state: { status: expect.not.stringMatching(/disabled/) } }] });
    // The running host notices with its next event, and sends what stayed queued first.
    writeState(s.state, { entries: [], running: running('run-4b', Date.now() - 30_000) });
    await r.until((d) => d.filter((x) => x.type === 'clock.in' && x.answered === '200').length === 2);
    await drained(s.outbox);
    const events = r.deliveries.filter((d) => d.type !== 'dash.test');
    expect(events.map((d) => [d.type, (d.data as { entry: { id: string } }).entry.id, d.answered])).toEqual([
      ['clock.in', 'run-4', '410'],
      ['clock.in', 'run-4', '200'],
      ['clock.in', 'run-4b', '200'],
    ]);
    expect(events[1]!.id).toBe(events[0]!.id);
  });

  it('two hosts on one data dir deliver each id once', async () => {
    const { s, r } = await configAndReceiver();
    await Promise.all([serve(s), serve(s)]);

    for (let round = 0; round < 3; round++) {
      const start = Date.now() - 60_000 * (round + 1);
      writeState(s.state, { entries: [], running: running(`run-5-${round}`, start) });
      await r.until((d) => d.filter((x) => x.type === 'clock.in').length > round);
      writeState(s.state, { entries: [{ ...running(`run-5-${round}`, start), end: iso(Date.now()) }], running: null });
      await r.until((d) => d.filter((x) => x.type === 'clock.out').length > round);
    }
    await drained(s.outbox);
    const ids = r.deliveries.map((d) => d.id);
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(r.deliveries.every((d) => d.verified)).toBe(true);
    expect(r.deliveries.map((d) => d.type)).toEqual(['clock.in', 'clock.out', 'clock.in', 'clock.out', 'clock.in', 'clock.out']);
  });
});

describeWith([TMUX], 'webhook output in watch (a real terminal, tmux)', () => {
  it('watch delivers too, and a watch and a serve on one data dir deliver each event once', async () => {
    const placeholder = new Receiver(newSecret());
    await placeholder.listen();
    const s = setup(placeholder.url);
    await placeholder.close();
    const r = new Receiver(s.secret);
    await r.listen(placeholder.port);
    const tmux = Tmux.start({
      width: 120,
      height: 40,
      cwd: s.home.dir,
      env: { ...s.env, TERM: 'xterm-256color' },
      command: `${process.execPath} ${CLI} watch --config ${s.config}; echo "DASH-EXIT:$?"; exec sleep 60`,
    });
    let served: Served | undefined;
    try {
      await tmux.waitFor(/ok · synced/);
      const start = Date.now() - 900_000;
      writeState(s.state, { entries: [], running: running('run-w', start) });
      await r.until((d) => d.some((x) => x.type === 'clock.in'));
      expect(r.deliveries.map((d) => [d.type, d.verified])).toEqual([['clock.in', true]]);

      // Now a serve beside it: both see the clock-out, the receiver gets it once.
      served = await startServe(['--config', s.config], { env: s.env, cwd: s.home.dir });
      writeState(s.state, { entries: [{ ...running('run-w', start), end: iso(Date.now()) }], running: null });
      await r.until((d) => d.some((x) => x.type === 'clock.out'));
      const again = Date.now() - 60_000;
      writeState(s.state, { entries: [{ ...running('run-w', start), end: iso(Date.now()) }], running: running('run-w2', again) });
      await r.until((d) => d.filter((x) => x.type === 'clock.in').length === 2);
      await drained(s.outbox);
      expect(r.deliveries.map((d) => d.type)).toEqual(['clock.in', 'clock.out', 'clock.in']);
      expect(new Set(r.deliveries.map((d) => d.id)).size).toBe(3);
      expect(r.deliveries.every((d) => d.verified)).toBe(true);

      tmux.send('q');
      await tmux.waitFor(/DASH-EXIT:0/);
    } finally {
      tmux.kill();
      await served?.stop();
      await r.close();
      s.home.cleanup();
    }
  });
});
