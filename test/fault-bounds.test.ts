/**
 * Fault suite, issue 10 items 6, 7 and 10, through the built CLI (`npm run build` first) and the
 * fake Toggl: every number from a user or a server is bounded, garbage is a usage error (exit 2,
 * one line, no stack), a bad entry is skipped alone, a failed sync on a cached store reports
 * staleSince, and a killed writer's temp file is removed by a later run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { cacheFileFor } from 'dash-core/host';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { isolatedEnv } from './support/env.js';
import { startFakeToggl, type FakeToggl } from './support/fake-toggl.js';

const TOKEN = 'fault0bounds0token0a1b2c3d4e5f607';
/** Wednesday 18 Nov 2026, 12:00 UTC: the week is Mon 16 – Sun 22 Nov. */
const AT = '2026-11-18T12:00:00Z';

let dir: string;
let config: string;
let toggl: FakeToggl;

async function start(now?: () => Date): Promise<void> {
  toggl = await startFakeToggl({ token: TOKEN, ...(now ? { now } : {}) });
  await writeFile(
    config,
    ['timezone = "UTC"', '', '[[backends]]', 'plugin = "toggl"', 'api_token = "${TOGGL_API_TOKEN}"', `api_url = "${toggl.url}"`, ''].join('\n'),
  );
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-fault-bounds-'));
  config = join(dir, 'dash.toml');
});

afterEach(async () => {
  await toggl?.close();
  await rm(dir, { recursive: true, force: true });
});

function dash(args: string[]): Promise<CliResult> {
  return runCli(['--config', config, ...args], { cwd: dir, env: isolatedEnv(dir, { TOGGL_API_TOKEN: TOKEN }) });
}

function cacheFile(): string {
  return cacheFileFor(config, isolatedEnv(dir));
}

/** One line on stderr, the usage exit code, no stack trace. */
function expectUsage(result: CliResult, message: string): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')[0]).toBe(`dash-cli: ${message}`);
  expect(result.stderr).not.toMatch(/\n\s+at |Error:|TimeoutOverflowWarning/);
}

describe('bounded input from the command line (exit 2)', () => {
  it.each([
    [['snapshot', '--json', '--at', '+275760-09-13T00:00:00Z'], '--at "+275760-09-13T00:00:00Z" is not an ISO 8601 instant between 1970 and 9999'],
    [['snapshot', '--json', '--at', '0'], '--at "0" is not an ISO 8601 instant between 1970 and 9999'],
    [['snapshot', '--json', '--at', '2026-11-18'], '--at "2026-11-18" is not an ISO 8601 instant between 1970 and 9999'],
    [['snapshot', '--json', '--at', '2026-02-30T10:00:00Z'], '--at "2026-02-30T10:00:00Z" is not an ISO 8601 instant between 1970 and 9999'],
    [['snapshot', '--json', '--timeout', '25d'], '--timeout "25d" is longer than the maximum, 10m'],
    [['snapshot', '--json', '--timeout', '0'], '--timeout "0" must be at least 1s'],
    [['snapshot', '--json', '--max-age', '400d'], '--max-age "400d" is longer than the maximum, 7d'],
    [['snapshot', '--json', '--offline', '--max-age', '99999999999999999999'], '--max-age "99999999999999999999" is longer than the maximum, 7d'],
    [['doctor', '--timeout', '25d'], '--timeout "25d" is longer than the maximum, 10m'],
    [['watch', '--at', '0'], '--at "0" is not an ISO 8601 instant between 1970 and 9999'],
  ])('%j', async (args, message) => {
    await start();
    expectUsage(await dash(args), message);
    expect(toggl.requests).toEqual([]);
  });
});

interface Snapshot {
  week: { totalSeconds: number };
  clockedIn: unknown[];
  sources: { id: string; status: string; lastSyncAt: string | null; staleSince: string | null; rateLimitedUntil: string | null; error: { code: string } | null }[];
}

function entry(id: number, start: string, stop: string | null, duration?: number) {
  return {
    id,
    workspace_id: toggl.workspaceId,
    project_id: null,
    billable: false,
    start,
    stop,
    duration: duration ?? (stop === null ? -1 : (Date.parse(stop) - Date.parse(start)) / 1000),
    description: `entry ${id}`,
    tags: [],
    at: AT,
    server_deleted_at: null,
  };
}

describe('bounded input from a server', () => {
  it('one entry with an out-of-range, unparsable or inverted time is skipped alone; the valid ones are shown', async () => {
    await start(() => new Date(AT));
    toggl.script({
      path: '/me/time_entries',
      body: [
        entry(1, '2026-11-16T09:00:00Z', '2026-11-16T10:00:00Z'),
        entry(2, '+275760-09-13T00:00:00Z', null, 3600),
        entry(3, 'not a date', '2026-11-16T12:00:00Z', 3600),
        entry(4, '2026-11-17T09:00:00Z', null, 1e15),
        entry(5, '2026-11-17T10:00:00Z', '2026-11-17T10:30:00Z'),
      ],
    });
    const result = await dash(['snapshot', '--json', '--at', AT]);
    expect(result.stderr).toBe('dash-cli: warning: toggl: skipped 3 invalid entries from the backend (--verbose names them)\n');
    expect(result.code).toBe(0);
    const snap = JSON.parse(result.stdout) as Snapshot;
    expect(snap.week.totalSeconds).toBe(3_600 + 1_800);
    expect(snap.sources[0]).toMatchObject({ status: 'ok', error: null });

    toggl.script({ path: '/me/time_entries', body: [entry(1, '2026-11-16T09:00:00Z', '2026-11-16T10:00:00Z'), entry(2, '+275760-09-13T00:00:00Z', null, 3600)] });
    const verbose = await dash(['snapshot', '--json', '--at', AT, '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toContain('[toggl] skipped an invalid entry (id 2): start must be an ISO 8601 date-time with an offset between 1970 and 9999');
    expect(verbose.stderr).toContain('dash-cli: warning: toggl: skipped 1 invalid entry from the backend\n');
  });

  it('a 402 with X-Toggl-Quota-Resets-In: 999999999999 blocks for at most an hour (Toggl\'s window)', async () => {
    await start();
    toggl.script({ path: '/me/time_entries', status: 402, body: 'quota', headers: { 'x-toggl-quota-remaining': '0', 'x-toggl-quota-resets-in': '999999999999' } });
    const before = Date.now();
    const result = await dash(['snapshot', '--json']);
    expect(result.code).toBe(3);
    const source = (JSON.parse(result.stdout) as Snapshot).sources[0]!;
    expect(source.status).toBe('rate-limited');
    const until = Date.parse(source.rateLimitedUntil!);
    expect(until).toBeGreaterThan(before + 3_590_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // What is kept for the next run (the plugin's own quota state) is clamped too.
    const cache = JSON.parse(await readFile(cacheFile(), 'utf8')) as { store: { sources: { cursor: { quota: { blocked: { until: number } } } }[] } };
    expect(cache.store.sources[0]!.cursor.quota.blocked.until).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });
});

describe('staleSince after a failed sync (README "Source status")', () => {
  it('a failed sync on a cached store shows the cached data with staleSince = the last successful sync', async () => {
    await start();
    toggl.addEntry({ id: 7, start: new Date(Date.now() - 2 * 3_600_000).toISOString(), stop: new Date(Date.now() - 3_600_000).toISOString() });
    const first = await dash(['snapshot', '--json']);
    expect(first.code).toBe(0);
    const synced = (JSON.parse(first.stdout) as Snapshot).sources[0]!;
    expect(synced).toMatchObject({ status: 'ok', staleSince: null });

    toggl.token = 'another-token-the-backend-does-not-have';
    const failed = await dash(['snapshot', '--json', '--refresh']);
    expect(failed.code).toBe(4);
    const source = (JSON.parse(failed.stdout) as Snapshot).sources[0]!;
    expect(source).toMatchObject({ status: 'error', error: { code: 'AUTH_REQUIRED' }, lastSyncAt: synced.lastSyncAt, staleSince: synced.lastSyncAt });

    // The next run served from the cache says the same.
    const cached = await dash(['snapshot', '--json']);
    expect((JSON.parse(cached.stdout) as Snapshot).sources[0]).toMatchObject({ status: 'error', staleSince: synced.lastSyncAt });
  });
});

describe('leftover temp files', () => {
  it('a later run removes the 13 MB temp file of a writer killed mid-write, and leaves a live writer\'s alone', async () => {
    await start();
    expect((await dash(['snapshot', '--json'])).code).toBe(0);
    const file = cacheFile();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const orphan = `${file}.${dead}-mk2x1a-0.tmp`;
    await writeFile(orphan, Buffer.alloc(13 * 1024 * 1024, 0x20));
    const live = `${file}.${process.pid}-mk2x1a-0.tmp`;
    await writeFile(live, '{');

    expect((await dash(['snapshot', '--json', '--refresh'])).code).toBe(0);
    expect(existsSync(orphan)).toBe(false);
    expect((await readdir(dirname(file))).filter((name) => name.endsWith('.tmp'))).toEqual([basename(live)]);
  });

  it('the same holds for the token files of plugins (one atomic writer)', async () => {
    const { writeFileAtomic } = await import('dash-core');
    const folder = join(dir, 'data');
    await mkdir(folder, { recursive: true });
    const target = join(folder, 'tokens.json');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(`${target}.${dead}-mk2x1a-3.tmp`, 'half a token');
    await writeFileAtomic(target, '{"ok":true}');
    expect(await readdir(folder)).toEqual(['tokens.json']);
  });
});
