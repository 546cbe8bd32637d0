/**
 * End to end: the built CLI (`dash-cli snapshot --json`) with `plugin = "toggl"` pointed at the
 * fake Toggl, finding dash-plugin-toggl through its own install (the workspace symlink).
 * Run `npm run build` first.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isolatedEnv } from './support/env.js';
import { startFakeToggl, type FakeToggl } from './support/fake-toggl.js';

const CLI = fileURLToPath(new URL('../packages/dash-cli/dist/bin.cjs', import.meta.url));
/** Wednesday 18 Nov 2026, 13:00 in Berlin (CET, UTC+1): the week is Mon 16 – Sun 22 Nov. */
const AT = '2026-11-18T12:00:00Z';
const TOKEN = 'e2e0toggl0token0a1b2c3d4e5f60718';

let dir: string;
let toggl: FakeToggl;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dash-toggl-e2e-'));
  toggl = await startFakeToggl({ token: TOKEN, now: () => new Date(AT) });
  toggl.addProject({ id: 101, name: 'Acme website', color: '#06aaf5', client_name: 'Acme Corp', billable: true });
  toggl.addProject({ id: 102, name: 'Open source', color: '#2da608', client_name: null, billable: false });
  // Mon 09:00–12:30 CET, billable project: 12 600 s.
  toggl.addEntry({ id: 1, start: '2026-11-16T08:00:00Z', stop: '2026-11-16T11:30:00Z', project_id: 101, description: 'Checkout' });
  // Mon 13:00–13:45 CET, no project: 2 700 s.
  toggl.addEntry({ id: 2, start: '2026-11-16T12:00:00Z', stop: '2026-11-16T12:45:00Z', description: 'Call with accountant' });
  // Sun 22:00 → Mon 02:00 CET: only the 7 200 s after midnight are in this week.
  toggl.addEntry({ id: 3, start: '2026-11-15T21:00:00Z', stop: '2026-11-16T01:00:00Z', project_id: 102, description: 'Release' });
  // Tue 22:30 → Wed 01:15 CET: 5 400 s on Tuesday, 4 500 s on Wednesday.
  toggl.addEntry({ id: 4, start: '2026-11-17T21:30:00Z', stop: '2026-11-18T00:15:00Z', project_id: 102, description: 'Review' });
  // Tue 10:00–11:00 CET, deleted: counts for nothing.
  toggl.addEntry({ id: 5, start: '2026-11-17T09:00:00Z', stop: '2026-11-17T10:00:00Z', project_id: 101, server_deleted_at: '2026-11-17T10:30:00+00:00' });
});

afterEach(async () => {
  await toggl.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function snapshot(extra: string[] = []): Promise<Run> {
  const config = join(dir, 'dash.toml');
  await writeFile(
    config,
    [
      'timezone = "Europe/Berlin"',
      'week_start = "monday"',
      '',
      '[goals]',
      'weekly = 40',
      '',
      '[[backends]]',
      'plugin = "toggl"',
      'api_token = "${TOGGL_API_TOKEN}"',
      `api_url = "${toggl.url}"`,
      '',
    ].join('\n'),
  );
  const env = isolatedEnv(dir, { TOGGL_API_TOKEN: TOKEN });
  // Asynchronous: the fake server answers from this process.
  const child = spawn(process.execPath, [CLI, 'snapshot', '--json', '--config', config, '--at', AT, ...extra], { cwd: dir, env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

interface Snapshot {
  week: { start: string; end: string; totalSeconds: number; billableSeconds: number; projects: { key: string; name: string; seconds: number; billableSeconds: number; color: string | null; client: string | null }[] };
  days: { date: string; totalSeconds: number; billableSeconds: number }[];
  clockedIn: { source: string; project: { key: string; name: string } | null; description: string; start: string; elapsedSeconds: number }[];
  sources: { id: string; plugin: string; status: string; error: unknown; lastSyncAt: string | null }[];
}

function parse(run: Run): Snapshot {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Snapshot;
}

const days = (snap: Snapshot) => Object.fromEntries(snap.days.map((day) => [day.date, [day.totalSeconds, day.billableSeconds]]));

describe('dash-cli snapshot --json with plugin = "toggl"', () => {
  it('gives exact totals with a timer started in the Toggl apps (duration = −start)', async () => {
    // Wed 12:15 CET, running since: 2 700 s at 13:00 CET.
    toggl.addEntry({ id: 6, start: '2026-11-18T11:15:00Z', project_id: 101, description: 'Started in the app' });
    expect(toggl.entries.get(6)!.duration).toBe(-Date.parse('2026-11-18T11:15:00Z') / 1000);
    const snap = parse(await snapshot());

    expect(snap.week).toMatchObject({ start: '2026-11-16', end: '2026-11-22', totalSeconds: 35_100, billableSeconds: 15_300 });
    expect(days(snap)).toEqual({
      '2026-11-16': [22_500, 12_600],
      '2026-11-17': [5_400, 0],
      '2026-11-18': [7_200, 2_700],
      '2026-11-19': [0, 0],
      '2026-11-20': [0, 0],
      '2026-11-21': [0, 0],
      '2026-11-22': [0, 0],
    });
    const projects = Object.fromEntries(snap.week.projects.map((project) => [project.key, [project.name, project.seconds, project.billableSeconds]]));
    expect(projects).toEqual({
      'toggl:101': ['Acme website', 15_300, 15_300],
      'toggl:102': ['Open source', 17_100, 0],
      'toggl:': [expect.any(String), 2_700, 0],
    });
    expect(snap.week.projects.find((project) => project.key === 'toggl:101')).toMatchObject({ color: '#06aaf5', client: 'Acme Corp' });
    expect(snap.clockedIn).toEqual([
      expect.objectContaining({
        source: 'toggl',
        project: expect.objectContaining({ key: 'toggl:101', name: 'Acme website' }),
        description: 'Started in the app',
        start: '2026-11-18T11:15:00Z',
        elapsedSeconds: 2_700,
      }),
    ]);
    expect(snap.sources).toEqual([expect.objectContaining({ id: 'toggl', plugin: 'dash-plugin-toggl', status: 'ok', error: null })]);
    // One request: the week (from the day before) with meta; the running entry came with it.
    expect(toggl.requests.map((request) => [request.path, request.query])).toEqual([
      ['/me/time_entries', { start_date: '2026-11-14T23:00:00Z', end_date: '2026-11-22T23:00:00Z', meta: 'true' }],
    ]);
  });

  it('gives exact totals with a timer started through the API (duration = −1)', async () => {
    // Wed 12:30 CET, no project, running for 1 800 s at 13:00 CET.
    toggl.addEntry({ id: 7, start: '2026-11-18T11:30:00Z', duration: -1, description: 'Started via API' });
    const snap = parse(await snapshot());
    expect(snap.week).toMatchObject({ totalSeconds: 34_200, billableSeconds: 12_600 });
    expect(days(snap)['2026-11-18']).toEqual([6_300, 0]);
    expect(snap.clockedIn).toEqual([
      expect.objectContaining({ source: 'toggl', project: null, start: '2026-11-18T11:30:00Z', elapsedSeconds: 1_800 }),
    ]);
  });

  it('asks /current when the week shows nothing running, and says "not clocked in"', async () => {
    const snap = parse(await snapshot());
    expect(snap.clockedIn).toEqual([]);
    expect(snap.week.totalSeconds).toBe(35_100 - 2_700);
    expect(toggl.requests.map((request) => request.path)).toEqual(['/me/time_entries', '/me/time_entries/current']);
  });

  it('retries a 5xx inside a one-shot snapshot and still prints the week', async () => {
    toggl.script({ status: 503, raw: 'upstream unavailable' });
    const snap = parse(await snapshot());
    expect(toggl.requests.map((request) => request.status)).toEqual([503, 200, 200]);
    expect(snap.week.totalSeconds).toBe(35_100 - 2_700);
  });

  it('never prints the token, even with --verbose', async () => {
    toggl.addEntry({ id: 6, start: '2026-11-18T11:15:00Z', project_id: 101 });
    const run = await snapshot(['--verbose']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/GET \/me\/time_entries\?start_date=.* → 200/);
    const basic = Buffer.from(`${TOKEN}:api_token`).toString('base64');
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(TOKEN);
      expect(output).not.toContain(basic);
    }
  });

  it('masks the token and its Basic credentials when Toggl echoes them in an error, with --verbose too', async () => {
    const basic = Buffer.from(`${TOKEN}:api_token`).toString('base64');
    toggl.script({ status: 400, raw: `bad token ${TOKEN} in Basic ${basic}` });
    const run = await snapshot(['--verbose']);
    expect(run.code).toBe(3);
    const snap = JSON.parse(run.stdout) as Snapshot & { sources: { error: { code: string; message: string } }[] };
    expect(snap.sources[0]!.error).toEqual({ code: 'API_ERROR', message: 'Toggl rejected the request (HTTP 400): bad token *** in Basic ***' });
    expect(run.stderr).toContain('Toggl rejected the request (HTTP 400): bad token *** in Basic ***');
    expect(run.stderr).toMatch(/GET \/me\/time_entries\?start_date=.* → 400/);
    for (const output of [run.stdout, run.stderr]) {
      expect(output).not.toContain(TOKEN);
      expect(output).not.toContain(basic);
    }
  });

  it('exits 4 with AUTH_REQUIRED and the fix when the token is wrong, without echoing it', async () => {
    toggl.token = 'a-different-token-0000';
    const wrong = await snapshot();
    expect(wrong.code).toBe(4);
    const snap = JSON.parse(wrong.stdout) as Snapshot;
    expect(snap.sources[0]).toMatchObject({ status: 'error', error: { code: 'AUTH_REQUIRED' } });
    expect(wrong.stderr).toMatch(/track\.toggl\.com\/profile/);
    expect(wrong.stdout + wrong.stderr).not.toContain(TOKEN);
  });

  it('exits 3 and shows "rate-limited until" when the quota is used up', async () => {
    toggl.useQuota(30);
    const run = await snapshot();
    expect(run.code).toBe(3);
    const snap = JSON.parse(run.stdout) as Snapshot & { sources: { rateLimitedUntil: string | null; error: { code: string; message: string } }[] };
    expect(snap.sources[0]).toMatchObject({ status: 'rate-limited', rateLimitedUntil: '2026-11-18T13:00:00.000Z' });
    expect(snap.sources[0]!.error.message).toMatch(/^rate-limited until 14:00: /);
    expect(toggl.requests).toHaveLength(1);
  });
});
