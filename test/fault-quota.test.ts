/**
 * Fault suite, issue 10 item 8, through the built CLI (`npm run build` first) and the fake Toggl
 * (which counts requests): syncs of one config are single-flight across processes, and every
 * command, doctor included, honours a saved rate-limit block and keeps one it runs into.
 * (The debounced `r` of watch is tested on the app: packages/dash-cli/test/app-refresh.test.ts.)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheFileFor } from 'dash-core/host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { startFakeToggl, type FakeToggl } from './support/fake-toggl.js';

const TOKEN = 'fault0quota0token0a1b2c3d4e5f6071';

let dir: string;
let config: string;
let toggl: FakeToggl;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-fault-quota-'));
  config = join(dir, 'dash.toml');
  toggl = await startFakeToggl({ token: TOKEN });
  await writeFile(
    config,
    ['timezone = "UTC"', '', '[[backends]]', 'plugin = "toggl"', 'api_token = "${TOGGL_API_TOKEN}"', `api_url = "${toggl.url}"`, ''].join('\n'),
  );
  toggl.addEntry({ id: 7, start: new Date(Date.now() - 2 * 3_600_000).toISOString(), stop: new Date(Date.now() - 3_600_000).toISOString() });
});

afterEach(async () => {
  await toggl.close();
  await rm(dir, { recursive: true, force: true });
});

function dash(args: string[]): Promise<CliResult> {
  return runCli(['--config', config, ...args], { cwd: dir, env: isolatedEnv(dir, { TOGGL_API_TOKEN: TOKEN }), timeoutMs: 60_000 });
}

interface Snapshot {
  sources: { id: string; status: string; lastSyncAt: string | null; rateLimitedUntil: string | null; error: { code: string; message: string } | null }[];
}

/** Makes the cached Toggl data an hour old: the next snapshot must sync (incrementally). */
async function expireCache(): Promise<void> {
  const file = cacheFileFor(config, isolatedEnv(dir));
  const cache = JSON.parse(await readFile(file, 'utf8')) as { sources: Record<string, { checkedAt: string }> };
  cache.sources.toggl!.checkedAt = new Date(Date.now() - 3_600_000).toISOString();
  await writeFile(file, JSON.stringify(cache));
}

describe('single-flight syncs across processes', () => {
  it('twenty snapshots starting together on an expired cache make one sync\'s requests, and all print its result', { timeout: 90_000 }, async () => {
    const first = await dash(['snapshot', '--json']);
    expect(first.code).toBe(0);
    await expireCache();
    // What one sync of an expired cache asks: the changes since the last one.
    toggl.delayMs = 300;
    const before = toggl.requests.length;
    const runs = await Promise.all(Array.from({ length: 20 }, () => dash(['snapshot', '--json'])));
    const asked = toggl.requests.slice(before);
    expect(asked.map((request) => request.path)).toEqual(['/me/time_entries']);
    expect(asked[0]!.query.since).toBeDefined();
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
    }
    const synced = new Set(runs.map((run) => (JSON.parse(run.stdout) as Snapshot).sources[0]!.lastSyncAt));
    expect(synced.size).toBe(1);
    expect([...synced][0]).not.toBe((JSON.parse(first.stdout) as Snapshot).sources[0]!.lastSyncAt);
  });

  it('a lock left by a killed process does not block: its pid is gone, the next run syncs', async () => {
    expect((await dash(['snapshot', '--json'])).code).toBe(0);
    await expireCache();
    const file = cacheFileFor(config, isolatedEnv(dir));
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(`${file}.lock`, JSON.stringify({ pid: dead, at: Date.now(), until: Date.now() + 600_000 }));
    const before = toggl.requests.length;
    const run = await dash(['snapshot', '--json']);
    expect(run.code).toBe(0);
    expect(toggl.requests.length - before).toBe(1);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

const QUOTA_GONE = { status: 402, body: 'You have hit your hourly limit for API calls.', headers: { 'x-toggl-quota-remaining': '0', 'x-toggl-quota-resets-in': '1800' } };

describe('a saved rate-limit block is honoured by every command', () => {
  it('doctor sends nothing while a block saved by snapshot lasts, and says until when', async () => {
    toggl.script({ path: '/me/time_entries', ...QUOTA_GONE });
    const blocked = await dash(['snapshot', '--json']);
    expect(blocked.code).toBe(3);
    expect((JSON.parse(blocked.stdout) as Snapshot).sources[0]).toMatchObject({ status: 'rate-limited', error: { code: 'RATE_LIMITED' } });

    const before = toggl.requests.length;
    const doctor = await dash(['doctor']);
    expect(toggl.requests.length).toBe(before);
    expect(doctor.code).toBe(3);
    expect(doctor.stdout).toMatch(/✗ toggl \(dash-plugin-toggl [^)]*\): RATE_LIMITED: rate-limited until /);
  });

  it('doctor keeps a block it runs into: the next doctor and snapshot send nothing', async () => {
    toggl.script({ path: '/me', ...QUOTA_GONE });
    const first = await dash(['doctor', '--json']);
    expect(first.code).toBe(3);
    expect(toggl.count('/me')).toBe(1);
    const verdict = (JSON.parse(first.stdout) as { backends: { code: string; message: string }[] }).backends[0]!;
    expect(verdict.code).toBe('RATE_LIMITED');
    expect(verdict.message).toMatch(/^rate-limited until \d\d:\d\d: Toggl's hourly API quota is used up/);

    const again = await dash(['doctor', '--json']);
    expect(again.code).toBe(3);
    expect((JSON.parse(again.stdout) as { backends: { message: string }[] }).backends[0]!.message).toBe(verdict.message);
    const snapshot = await dash(['snapshot', '--json']);
    expect(snapshot.code).toBe(3);
    expect((JSON.parse(snapshot.stdout) as Snapshot).sources[0]).toMatchObject({ status: 'rate-limited', error: { code: 'RATE_LIMITED' } });
    expect(toggl.requests.length).toBe(1);
  });
});
