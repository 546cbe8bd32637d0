/**
 * [[outputs]] in a real `dash-cli serve`: config errors name file:line; outputs get only the event
 * types they ask for, and every entry at start and after changes; an output that throws, hangs or
 * crashes in its own timer blocks neither the server nor the other outputs.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DASH_EVENT_TYPES } from 'dash-core';
import { checkConfig } from 'dash-core/host';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, REPO, runCli } from './support/cli.js';
import { fetchText, fileClockConfig, serveDir, startServe, writeState } from './support/serve.js';
import { newSecret, Receiver } from './support/webhook-receiver.js';

const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const FILE_OUTPUT = JSON.stringify(join(FIXTURES, 'plugins', 'file-output-plugin.mjs'));

function lines(file: string): { output: string; instance: string; kind: string; type?: string; ids?: string[] }[] {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line)) : [];
}

async function waitFor(test: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('[[outputs]] config', () => {
  it('defaults: the id from the plugin shorthand, every event type, the host name as instance; ${VAR}s substituted', () => {
    const { config, issues } = checkConfig(
      {
        backends: [{ plugin: 'demo' }],
        outputs: [
          { plugin: 'webhook', url: 'http://127.0.0.1:1/', secret: '${HOOK_SECRET}' },
          { plugin: 'dash-plugin-slack', events: ['goal.reached', 'clock.in'], instance: 'laptop' },
          { plugin: './outputs/my-output.mjs', id: 'mine' },
        ],
      },
      { env: { HOOK_SECRET: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=' } },
    );
    expect(issues).toEqual([]);
    expect(config.outputs.map(({ id, plugin, events, instance }) => ({ id, plugin, events, instance }))).toEqual([
      { id: 'webhook', plugin: 'webhook', events: [...DASH_EVENT_TYPES], instance: hostname() },
      // In the vocabulary's order, whatever order the file lists them in.
      { id: 'slack', plugin: 'dash-plugin-slack', events: ['clock.in', 'goal.reached'], instance: 'laptop' },
      { id: 'mine', plugin: './outputs/my-output.mjs', events: [...DASH_EVENT_TYPES], instance: hostname() },
    ]);
    expect(config.outputs[0]!.options).toEqual({ url: 'http://127.0.0.1:1/', secret: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=' });
    expect(config.outputs[0]!.fromEnv).toEqual([{ path: 'secret', value: 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=' }]);
  });

  it('Dash-owned keys are checked: events must be known types, instance not empty', () => {
    const { issues } = checkConfig({ backends: [{ plugin: 'demo' }], outputs: [{ plugin: 'webhook', events: 'clock.in', instance: '' }, { id: 'x' }] }, { env: {} });
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['outputs[0].events', 'outputs[0].instance', 'outputs[1].plugin']));
  });

  it('every problem at once, each with file:line; a secret is never echoed; the influxdb output checks its own options', async () => {
    const home = serveDir();
    try {
      const { config } = fileClockConfig(
        home.dir,
        [
          '',
          '[[outputs]]',
          'plugin = "webhook"',
          'url = "ftp://example.com"',
          'secret = "hunter2-is-my-password"',
          'events = ["clock.in", "clock.sideways"]',
          '',
          '[[outputs]]',
          'plugin = "webhook"',
          'url = "http://127.0.0.1:9/"',
          'secret = "${DASH_UNSET_SECRET}"',
          '',
          '[[outputs]]',
          'plugin = "webhook"',
          'id = "short"',
          'url = "http://127.0.0.1:9/"',
          'secret = "whsec_c2hvcnQ="',
          '',
          '[[outputs]]',
          'plugin = "influxdb"',
          '',
          '[[outputs]]',
          'plugin = "nope"',
          '',
        ].join('\n'),
      );
      const result = await runCli(['outputs', '--config', config], { cwd: home.dir, env: home.env });
      expect(result.code).toBe(2);
      const at = (line: number) => `${config}:${line}:1:`;
      // The file-clock config is 11 lines long; the outputs start at line 13.
      expect(result.stderr).toContain(`${at(17)} outputs[0].events[1]: must be one of clock.in, clock.out, goal.reached, source.status`);
      expect(result.stderr).toContain(`${at(15)} outputs[0].url: must be an http:// or https:// URL`);
      expect(result.stderr).toContain(`${at(16)} outputs[0].secret: must be a Standard Webhooks secret`);
      expect(result.stderr).toContain(`outputs[1].id: "webhook" is already the id of outputs[0]`);
      expect(result.stderr).toContain('outputs[1].secret: environment variable DASH_UNSET_SECRET is not set');
      expect(result.stderr).toContain('outputs[2].secret: is too short: a Standard Webhooks secret holds 24 to 64 random bytes');
      expect(result.stderr).toContain('outputs[3].url: is required: the database\'s base URL');
      expect(result.stderr).toContain('outputs[4].plugin: output "nope" is not built in (webhook, influxdb are) and dash-plugin-nope is not installed');
      expect(result.stderr).not.toContain('c2hvcnQ');
      expect(result.stderr).not.toContain('hunter2');
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      home.cleanup();
    }
  });
});

describe('an installed dash-plugin-* that provides an output', () => {
  it('resolves like a backend plugin: one package, its backend as the default export and its output as `output`', async () => {
    const home = serveDir();
    try {
      const pkg = join(home.dir, 'node_modules', 'dash-plugin-both');
      mkdirSync(pkg, { recursive: true });
      symlinkSync(join(REPO, 'packages', 'dash-core'), join(home.dir, 'node_modules', 'dash-core'), 'dir');
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'dash-plugin-both', version: '1.2.3', type: 'module', main: 'index.js' }));
      writeFileSync(
        join(pkg, 'index.js'),
        [
          "import { DASH_PLUGIN_API_VERSION, defineBackendPlugin, defineOutputPlugin, z } from 'dash-core';",
          "export default defineBackendPlugin({ name: 'dash-plugin-both', apiVersion: DASH_PLUGIN_API_VERSION, optionsSchema: z.strictObject({}),",
          '  createBackend: (options, context) => ({ async sync() { context.store.markSynced(context.now()); } }) });',
          "export const output = defineOutputPlugin({ name: 'dash-plugin-both', apiVersion: DASH_PLUGIN_API_VERSION, optionsSchema: z.strictObject({ level: z.number() }),",
          "  createOutput: (options) => ({ state: () => ({ status: 'queued', queued: options.level, delivered: 0, failingSince: null, lastError: null }) }) });",
          '',
        ].join('\n'),
      );
      const config = join(home.dir, 'dash.toml');
      writeFileSync(config, '[[backends]]\nplugin = "both"\n\n[[outputs]]\nplugin = "both"\nlevel = 7\n');
      const result = await runCli(['outputs', '--json', '--config', config], { cwd: home.dir, env: home.env });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({
        outputs: [{ id: 'both', plugin: 'both', events: [...DASH_EVENT_TYPES], state: { status: 'queued', queued: 7, delivered: 0, failingSince: null, lastError: null }, error: null }],
      });
      expect(result.code).toBe(0);
    } finally {
      home.cleanup();
    }
  });
});

describe('the output runner in serve', () => {
  const cleanups: (() => Promise<unknown> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('filters events per output, sends entries at start and after changes, and one bad output blocks nothing', async () => {
    const home = serveDir();
    cleanups.push(() => home.cleanup());
    const secret = newSecret();
    const receiver = new Receiver(secret);
    await receiver.listen();
    cleanups.push(() => receiver.close());
    const good = join(home.dir, 'good.jsonl');
    const outputs = [
      ['hang', 'hanging'],
      ['throw', 'throwing'],
      ['crash', 'crashing'],
    ]
      .map(([mode, id]) => `[[outputs]]\nplugin = ${FILE_OUTPUT}\nid = "${id}"\nfile = ${JSON.stringify(join(home.dir, `${id}.jsonl`))}\nmode = "${mode}"\n`)
      .join('\n');
    const { config, state } = fileClockConfig(
      home.dir,
      `\n${outputs}\n[[outputs]]\nplugin = "webhook"\nurl = "${receiver.url}"\nsecret = "${secret}"\n\n` +
        `[[outputs]]\nplugin = ${FILE_OUTPUT}\nid = "good"\nfile = ${JSON.stringify(good)}\nevents = ["clock.out"]\ninstance = "laptop"\n`,
    );
    const done = { id: 'done-1', start: iso(Date.now() - 7_200_000), end: iso(Date.now() - 3_600_000), project: null };
    writeState(state, { entries: [done], running: null });
    const served = await startServe(['--config', config], { env: home.env, cwd: home.dir });
    cleanups.push(() => served.stop());

    // The backfill: every entry the store holds, once the first sync is in.
    await waitFor(() => lines(good).some((line) => line.kind === 'entries' && line.ids?.includes('done-1')), 10_000, 'the backfill').catch((error: Error) => {
      throw new Error(`${error.message}; serve said: ${served.stderr()}; good: ${JSON.stringify(lines(good))}; config: ${readFileSync(config, "utf8")}`);
    });

    const start = Date.now() - 600_000;
    const running = { id: 'run-1', start: iso(start), end: null, project: null };
    writeState(state, { entries: [done], running });
    await receiver.until((d) => d.some((x) => x.type === 'clock.in'), 5_000);
    writeState(state, { entries: [done, { ...running, end: iso(Date.now()) }], running: null });
    await receiver.until((d) => d.some((x) => x.type === 'clock.out'), 5_000);
    await waitFor(() => lines(good).some((line) => line.kind === 'event'), 5_000, 'the good output’s event');
    await waitFor(() => lines(good).some((line) => line.kind === 'entries' && line.ids?.includes('run-1')), 5_000, 'entries after the change');

    // The good output asked for clock.out only, and names this install as configured.
    expect(lines(good).filter((line) => line.kind === 'event').map((line) => line.type)).toEqual(['clock.out']);
    expect(new Set(lines(good).map((line) => line.instance))).toEqual(new Set(['laptop']));
    // The webhook (every type by default) got the source's status too.
    expect(receiver.deliveries.map((d) => d.type)).toEqual(expect.arrayContaining(['source.status', 'clock.in', 'clock.out']));
    // The server is alive and answers at once.
    expect((await fetchText(`${served.base}/healthz`)).status).toBe(200);
    expect(served.stderr()).toMatch(/\[output throwing\] warning: event\(clock\.in\) failed: this output always throws/);
    expect(served.stderr()).toMatch(/\[output crashing\] warning: crashed: a crash in the output's own timer/);
    expect(served.child.exitCode).toBeNull();
    expect(await served.stop()).toBe(130);
  });
});
