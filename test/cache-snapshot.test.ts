/**
 * `dash-cli snapshot` and the persisted cache, end to end: real CLI processes, a tiny plugin in
 * a temp folder that fetches its entries from a real HTTP server on 127.0.0.1, every request
 * counted. (Independent of the Toggl plugin on purpose.)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheFileFor, readCacheSync } from 'dash-core/host';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/env.js';
import { zoneWithRecentHoursInWeek } from './support/week-zone.js';

const CLI = resolve(import.meta.dirname, '../packages/dash-cli/dist/bin.cjs');

const PLUGIN = `
import { appendFileSync } from 'node:fs';
// Leaves a mark each time a process loads the plugin (the cached path must not).
if (process.env.PLUGIN_MARK) appendFileSync(process.env.PLUGIN_MARK, 'loaded\\n');
const schema = { '~standard': { version: 1, vendor: 'test', validate: (value) => ({ value }) } };
export default {
  name: 'dash-plugin-fakehttp',
  apiVersion: 1,
  pollInterval: 300,
  optionsSchema: schema,
  createBackend(options, context) {
    return {
      async sync({ from, to, signal }) {
        const since = context.store.getCursor() ?? '';
        const response = await fetch(options.url + '/entries?since=' + since, { signal });
        if (!response.ok) {
          const error = new Error('the fake server said ' + response.status);
          Object.assign(error, { isDashError: true, code: 'NETWORK' });
          throw error;
        }
        const body = await response.json();
        context.store.replaceRange({ from, to }, body.entries);
        context.store.setRunning(body.running);
        context.store.setCursor(body.cursor);
      },
    };
  },
};
`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let root: string;
let config: string;
let env: NodeJS.ProcessEnv;
let server: Server;
let requests = 0;
let failWith: number | null = null;

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function run(args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, 'snapshot', '--config', config, ...args], { env, cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function counted(args: string[]): Promise<Run & { requests: number }> {
  const before = requests;
  const result = await run(args);
  return { ...result, requests: requests - before };
}

function cacheFile(): string {
  return cacheFileFor(config, env);
}

beforeAll(async () => {
  server = createServer((request, response) => {
    requests++;
    if (failWith !== null) {
      response.writeHead(failWith).end('nope');
      return;
    }
    // Two hours ago for an hour, and a timer started ten minutes ago: in the current week of the
    // config's zone (see week-zone.ts).
    const now = Math.floor(Date.now() / 1000);
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        entries: [{ id: 'e1', start: iso(now - 7200), end: iso(now - 3600), project: { key: 'p', name: 'Project' }, billable: true }],
        running: { id: 'r1', start: iso(now - 600), end: null, project: { key: 'p', name: 'Project' } },
        cursor: `c${requests}`,
      }),
    );
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  root = await mkdtemp(join(tmpdir(), 'dash-cache-e2e-'));
  config = join(root, 'dash.toml');
  await writeFile(join(root, 'plugin.mjs'), PLUGIN);
  await writeFile(config, `timezone = "${zoneWithRecentHoursInWeek()}"\n\n[[backends]]\nplugin = "./plugin.mjs"\nid = "fake"\nurl = "http://127.0.0.1:${port}"\n`);
  env = isolatedEnv(root, {
    PLUGIN_MARK: join(root, 'plugin-loads.txt'),
    // Reports every CommonJS module the process loads whose path mentions blessed.
    NODE_OPTIONS: `--require ${join(root, 'watch-blessed.cjs')}`,
  });
  await writeFile(
    join(root, 'watch-blessed.cjs'),
    `const Module = require('node:module');\nconst load = Module._load;\nModule._load = function (request, ...rest) {\n  if (/blessed/.test(request)) require('node:fs').appendFileSync(${JSON.stringify(join(root, 'blessed-loads.txt'))}, request + '\\n');\n  return load.call(this, request, ...rest);\n};\n`,
  );
});

async function marks(name: string): Promise<number> {
  try {
    return (await readFile(join(root, name), 'utf8')).split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

afterAll(async () => {
  await new Promise((closed) => server.close(closed));
  await rm(root, { recursive: true, force: true });
});

beforeEach(async () => {
  failWith = null;
  await rm(join(root, 'cache'), { recursive: true, force: true });
});

describe('snapshot with the cache', () => {
  it('--offline with no cache makes no request, says so and exits 3 (the JSON still prints)', async () => {
    const result = await counted(['--json', '--offline']);
    expect(result.requests).toBe(0);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/no cached data for fake yet \(--offline never syncs\)/);
    const snapshot = JSON.parse(result.stdout);
    expect(snapshot.sources).toEqual([expect.objectContaining({ id: 'fake', status: 'stale', lastSyncAt: null })]);
    expect(snapshot.week.totalSeconds).toBe(0);
  });

  it('syncs once, then serves from the cache within --max-age; --max-age 0 and --refresh sync; --offline never', async () => {
    const first = await counted(['--json']);
    expect(first).toMatchObject({ code: 0, requests: 1 });
    const synced = JSON.parse(first.stdout);
    expect(synced.week.totalSeconds).toBeGreaterThanOrEqual(3600);
    expect((await stat(cacheFile())).isFile()).toBe(true);

    const cached = await counted(['--json']);
    expect(cached).toMatchObject({ code: 0, requests: 0, stderr: '' });
    const fromCache = JSON.parse(cached.stdout);
    expect(fromCache.sources[0]).toMatchObject({ id: 'fake', status: 'ok', lastSyncAt: synced.sources[0].lastSyncAt });
    // The same data; the running timer keeps counting from its cached start.
    expect(fromCache.clockedIn[0].start).toBe(synced.clockedIn[0].start);
    expect(fromCache.week.projects).toHaveLength(1);
    expect(fromCache.week.totalSeconds - synced.week.totalSeconds).toBeGreaterThanOrEqual(0);
    expect(fromCache.week.totalSeconds - synced.week.totalSeconds).toBeLessThan(30);

    expect(await counted(['--json', '--max-age', '5m'])).toMatchObject({ code: 0, requests: 0 });
    expect(await counted(['--json', '--max-age', '0'])).toMatchObject({ code: 0, requests: 1 });
    expect(await counted(['--json', '--refresh'])).toMatchObject({ code: 0, requests: 1 });
    // The backend's cursor survived each process: the next sync was incremental.
    expect(readCacheSync(cacheFile())).toMatchObject({ status: 'ok', cache: { store: { sources: [{ id: 'fake', cursor: expect.stringMatching(/^c\d+$/) }] } } });

    const offline = await counted(['--json', '--offline']);
    expect(offline).toMatchObject({ code: 0, requests: 0 });
    expect(JSON.parse(offline.stdout).sources[0].status).toBe('ok');
    // Older than --max-age: shown, but marked stale since it was last heard from.
    const old = await counted(['--json', '--offline', '--max-age', '0']);
    expect(old).toMatchObject({ code: 0, requests: 0 });
    const stale = JSON.parse(old.stdout).sources[0];
    expect(stale.status).toBe('stale');
    // (staleSince has whole seconds)
    expect(Date.parse(stale.staleSince)).toBeGreaterThanOrEqual(Math.floor(Date.parse(stale.lastSyncAt) / 1000) * 1000);
  });

  it('the cached path loads no plugin, and no snapshot ever loads blessed', async () => {
    expect(await counted(['--json'])).toMatchObject({ code: 0, requests: 1 });
    const loads = await marks('plugin-loads.txt');
    expect(loads).toBeGreaterThanOrEqual(1);
    expect(await counted(['--json'])).toMatchObject({ code: 0, requests: 0 });
    expect(await counted(['--offline'])).toMatchObject({ code: 0, requests: 0 });
    expect(await marks('plugin-loads.txt')).toBe(loads);
    expect(await counted(['--refresh'])).toMatchObject({ code: 0, requests: 1 });
    expect(await marks('plugin-loads.txt')).toBe(loads + 1);
    expect(await marks('blessed-loads.txt')).toBe(0);
  });

  it('a failing backend is not asked again within --max-age (exit 3 from the cache)', async () => {
    failWith = 500;
    const failed = await counted(['--json']);
    expect(failed).toMatchObject({ code: 3, requests: 1 });
    expect(failed.stderr).toMatch(/fake: the fake server said 500/);
    const again = await counted(['--json']);
    expect(again).toMatchObject({ code: 3, requests: 0 });
    expect(JSON.parse(again.stdout).sources[0]).toMatchObject({ status: 'error', error: { code: 'NETWORK' } });
    failWith = null;
    expect(await counted(['--json', '--refresh'])).toMatchObject({ code: 0, requests: 1 });
  });

  it('a corrupt cache is ignored with a warning and rebuilt', async () => {
    expect(await counted(['--json'])).toMatchObject({ code: 0, requests: 1 });
    await writeFile(cacheFile(), '{"format":"dash-cache","version":1,"sav');
    const result = await counted(['--json']);
    expect(result).toMatchObject({ code: 0, requests: 1 });
    expect(result.stderr).toMatch(/warning: ignoring the cache .*not valid JSON.*it will be rebuilt/);
    expect(readCacheSync(cacheFile()).status).toBe('ok');
    const quiet = await counted(['--json']);
    expect(quiet).toMatchObject({ code: 0, requests: 0, stderr: '' });
  });

  it('an old-version cache is ignored with a warning and rebuilt', async () => {
    expect(await counted(['--json'])).toMatchObject({ code: 0, requests: 1 });
    const text = await readFile(cacheFile(), 'utf8');
    await writeFile(cacheFile(), text.replace('"version":1,', '"version":0,'));
    const result = await counted(['--json']);
    expect(result).toMatchObject({ code: 0, requests: 1 });
    expect(result.stderr).toMatch(/cache version 0, this dash uses 1/);
    expect(readCacheSync(cacheFile()).status).toBe('ok');
  });

  it('--at neither reads nor writes the cache', async () => {
    const at = new Date().toISOString();
    expect(await counted(['--json', '--at', at])).toMatchObject({ code: 0, requests: 1 });
    expect(readCacheSync(cacheFile()).status).toBe('missing');
    expect(await counted(['--json', '--at', at])).toMatchObject({ code: 0, requests: 1 });
  });

  it('--offline --refresh is a usage error', async () => {
    const result = await counted(['--offline', '--refresh']);
    expect(result).toMatchObject({ code: 2, requests: 0 });
    expect(result.stderr).toMatch(/--offline and --refresh contradict each other/);
  });

  it('concurrent snapshot processes leave a valid cache', async () => {
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all([run(['--json', '--refresh']), run(['--json', '--refresh']), run(['--json', '--offline'])]);
      expect(results.slice(0, 2).map((result) => result.code)).toEqual([0, 0]);
      expect([0, 3]).toContain(results[2]!.code);
      for (const result of results) expect(() => JSON.parse(result.stdout)).not.toThrow();
      const read = readCacheSync(cacheFile());
      expect(read.status).toBe('ok');
    }
    expect(await counted(['--json'])).toMatchObject({ code: 0, requests: 0 });
  });
});
