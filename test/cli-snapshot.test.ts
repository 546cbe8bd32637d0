/**
 * `dash-cli snapshot` end to end: the built CLI in a real process, with the built-in demo, a
 * plugin loaded by relative path from test/fixtures, broken configs and a failing backend.
 * Run `npm run build` first.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FIXTURES, runCli } from './support/cli.js';

// ---------------------------------------------------------------- the contract of the README (Snapshot JSON, Exit codes)

const seconds = z.number().int().nonnegative();
const nullableSeconds = seconds.nullable();
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const isoUtc = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
const ProjectRef = z.object({
  key: z.string().regex(/^[^:]+:/),
  name: z.string(),
  client: z.string().nullable(),
  color: z.string().nullable(),
  source: z.string(),
});
const Project = ProjectRef.extend({ seconds, billableSeconds: seconds });
const Weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
const SnapshotSchema = z.object({
  schemaVersion: z.literal(1),
  generatedAt: isoUtc,
  timezone: z.string().min(1),
  weekStart: Weekday,
  week: z.object({
    start: localDate,
    end: localDate,
    totalSeconds: seconds,
    billableSeconds: seconds,
    goalSeconds: nullableSeconds,
    billableGoalSeconds: nullableSeconds,
    projects: z.array(Project),
  }),
  days: z
    .array(
      z.object({
        date: localDate,
        totalSeconds: seconds,
        billableSeconds: seconds,
        goalSeconds: nullableSeconds,
        billableGoalSeconds: nullableSeconds,
        projects: z.array(Project),
        hours: z.array(z.object({ hour: z.number().int().min(0).max(23), minutes: z.array(z.string().nullable()).length(60) })).min(23).max(25),
      }),
    )
    .length(7),
  clockedIn: z.array(
    z.object({
      source: z.string(),
      project: ProjectRef.nullable(),
      description: z.string(),
      start: z.string().datetime({ offset: true }),
      elapsedSeconds: seconds,
    }),
  ),
  sources: z.array(
    z.object({
      id: z.string(),
      plugin: z.string(),
      status: z.enum(['ok', 'syncing', 'stale', 'error', 'rate-limited']),
      lastSyncAt: z.string().datetime({ offset: true }).nullable(),
      error: z.object({ code: z.string(), message: z.string() }).nullable(),
    }),
  ),
});
type Snapshot = z.output<typeof SnapshotSchema>;

/** Parses stdout as a snapshot and checks every invariant of the contract. */
function checkSnapshot(stdout: string): Snapshot {
  const snapshot = SnapshotSchema.parse(JSON.parse(stdout));
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  expect(sum(snapshot.week.projects.map((project) => project.seconds))).toBe(snapshot.week.totalSeconds);
  expect(sum(snapshot.week.projects.map((project) => project.billableSeconds))).toBe(snapshot.week.billableSeconds);
  expect(sum(snapshot.days.map((day) => day.totalSeconds))).toBe(snapshot.week.totalSeconds);
  expect(sum(snapshot.days.map((day) => day.billableSeconds))).toBe(snapshot.week.billableSeconds);
  expect(snapshot.days[0]!.date).toBe(snapshot.week.start);
  expect(snapshot.days[6]!.date).toBe(snapshot.week.end);
  for (const day of snapshot.days) {
    expect(sum(day.projects.map((project) => project.seconds))).toBe(day.totalSeconds);
    expect(sum(day.projects.map((project) => project.billableSeconds))).toBe(day.billableSeconds);
    const keys = new Set(day.projects.map((project) => project.key));
    for (const hour of day.hours) for (const cell of hour.minutes) if (cell !== null) expect(keys.has(cell)).toBe(true);
    // A tracked minute has at least one tracked second: there are never more tracked minutes than seconds/1.
    const tracked = day.hours.flatMap((hour) => hour.minutes).filter((cell) => cell !== null).length;
    expect(tracked).toBeLessThanOrEqual(day.totalSeconds);
    expect(tracked * 60).toBeGreaterThanOrEqual(day.totalSeconds);
  }
  for (const project of snapshot.week.projects) {
    const perDay = sum(snapshot.days.map((day) => day.projects.find((item) => item.key === project.key)?.seconds ?? 0));
    expect(perDay).toBe(project.seconds);
  }
  return snapshot;
}

const AT = '2026-11-18T15:00:00Z'; // a Wednesday
const NO_STACK = /^\s{4}at /m;

// ---------------------------------------------------------------- tests

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dash-cli-snapshot-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('dash-cli snapshot --demo', () => {
  it('--json satisfies the contract, and --at makes it reproducible', async () => {
    const first = await runCli(['snapshot', '--json', '--demo', '--at', AT], { tz: 'Europe/Berlin' });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const snapshot = checkSnapshot(first.stdout);
    expect(snapshot.generatedAt).toBe(AT);
    expect(snapshot.timezone).toBe('Europe/Berlin'); // the system zone (TZ) when no config names one
    expect(snapshot.week.start).toBe('2026-11-16');
    expect(snapshot.week.end).toBe('2026-11-22');
    expect(snapshot.days.every((day) => day.hours.length === 24 && day.hours.every((hour) => hour.minutes.length === 60))).toBe(true);
    expect(snapshot.days.map((day) => day.hours[0]!.hour)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    // Demo goals: 40 h a week, 8 h a day on workdays.
    expect(snapshot.week.goalSeconds).toBe(40 * 3600);
    expect(snapshot.days.map((day) => day.goalSeconds)).toEqual([8, 8, 8, 8, 8, 0, 0].map((hours) => hours * 3600));
    // The demo timer started 47 minutes before --at.
    expect(snapshot.clockedIn).toHaveLength(1);
    expect(snapshot.clockedIn[0]).toMatchObject({ source: 'demo', elapsedSeconds: 47 * 60, start: '2026-11-18T14:13:00Z' });
    expect(snapshot.clockedIn[0]!.project?.key).toBe('demo:globex');
    // Nothing after --at: Thursday to Sunday are empty.
    expect(snapshot.days.slice(3).every((day) => day.totalSeconds === 0)).toBe(true);
    expect(snapshot.week.totalSeconds).toBeGreaterThan(10 * 3600);
    expect(snapshot.sources).toEqual([
      expect.objectContaining({ id: 'demo', plugin: 'dash-plugin-demo', status: 'ok', lastSyncAt: '2026-11-18T15:00:00.000Z', error: null }),
    ]);

    const second = await runCli(['snapshot', '--json', '--demo', '--at', AT], { tz: 'Europe/Berlin' });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it('a DST week in New York has a 25-hour Sunday', async () => {
    const result = await runCli(['snapshot', '--json', '--demo', '--at', '2026-11-01T20:00:00Z'], { tz: 'America/New_York' });
    expect(result.code).toBe(0);
    const snapshot = checkSnapshot(result.stdout);
    expect(snapshot.week.end).toBe('2026-11-01');
    expect(snapshot.days[6]!.hours.map((hour) => hour.hour).slice(0, 4)).toEqual([0, 1, 1, 2]);
    expect(snapshot.days[6]!.hours).toHaveLength(25);
  });

  it('--demo with a config keeps its time zone and goals but not its backends', async () => {
    const result = await runCli(['snapshot', '--json', '--demo', '--at', AT, '--config', join(FIXTURES, 'configs', 'relative-plugin.toml')]);
    expect(result.code).toBe(0);
    const snapshot = checkSnapshot(result.stdout);
    expect(snapshot.timezone).toBe('Europe/Berlin');
    expect(snapshot.week.goalSeconds).toBe(5 * 7.5 * 3600);
    expect(snapshot.sources.map((source) => source.id)).toEqual(['demo']);
  });

  it('prints a human summary without --json', async () => {
    const result = await runCli(['snapshot', '--demo', '--at', AT], { tz: 'UTC' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Week 2026-11-16 – 2026-11-22 (UTC)');
    expect(result.stdout).toMatch(/Worked\s+\d+h \d\dm \/ 40h 00m/);
    expect(result.stdout).toContain('Clocked in (demo): Globex API — Pairing on the API client, 47m');
    expect(result.stdout).toContain('demo: ok');
    expect(() => JSON.parse(result.stdout)).toThrow();
  });
});

describe('dash-cli snapshot with a config', () => {
  it('loads a plugin given as a relative path and shows its entries', async () => {
    const result = await runCli(['snapshot', '--json', '--at', AT, '--config', join(FIXTURES, 'configs', 'relative-plugin.toml')]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const snapshot = checkSnapshot(result.stdout);
    expect(snapshot.timezone).toBe('Europe/Berlin');
    expect(snapshot.week.projects).toEqual([
      { key: 'fixture:fx', name: 'Relative plugin project', client: 'Fixture Ltd', color: '#123456', source: 'fixture', seconds: 7200, billableSeconds: 7200 },
    ]);
    expect(snapshot.days.find((day) => day.date === '2026-11-18')!.totalSeconds).toBe(7200);
    expect(snapshot.week.goalSeconds).toBe(5 * 7.5 * 3600);
    expect(snapshot.sources).toEqual([expect.objectContaining({ id: 'fixture', plugin: 'dash-plugin-fixture', status: 'ok', error: null })]);
    // 12:00-14:00 UTC is 13:00-15:00 in Berlin.
    const wednesday = snapshot.days.find((day) => day.date === '2026-11-18')!;
    expect(wednesday.hours[13]!.minutes.every((cell) => cell === 'fixture:fx')).toBe(true);
    expect(wednesday.hours[15]!.minutes.every((cell) => cell === null)).toBe(true);
  });

  it('finds ./dash.toml (once trusted: see fault-trust.test.ts) and $DASH_CONFIG', async () => {
    const dir = await mkdtemp(join(scratch, 'cwd-'));
    const plugin = join(FIXTURES, 'plugins', 'fixture-plugin.mjs');
    await writeFile(join(dir, 'dash.toml'), `[[backends]]\nplugin = ${JSON.stringify(plugin)}\nid = "local"\n`);
    const data = { XDG_DATA_HOME: join(dir, 'data') };
    expect((await runCli(['trust'], { cwd: dir, env: data })).code).toBe(0);
    const local = await runCli(['snapshot', '--json', '--at', AT], { cwd: dir, env: data });
    expect(local.code).toBe(0);
    expect(checkSnapshot(local.stdout).sources.map((source) => source.id)).toEqual(['local']);
    const viaEnv = await runCli(['snapshot', '--json', '--at', AT], { env: { DASH_CONFIG: join(FIXTURES, 'configs', 'relative-plugin.toml') } });
    expect(viaEnv.code).toBe(0);
    expect(checkSnapshot(viaEnv.stdout).sources.map((source) => source.id)).toEqual(['fixture']);
  });

  it('a failing backend: exit 3, its error in sources[], the other source still there, the secret never shown', async () => {
    const secret = 'fixture-secret-9f8e7d6c';
    for (const extra of [[], ['--verbose']]) {
      const result = await runCli(['snapshot', '--json', '--at', AT, '--config', join(FIXTURES, 'configs', 'partial-failure.toml'), ...extra], {
        env: { FIXTURE_TOKEN: secret },
      });
      expect(result.code).toBe(3);
      const snapshot = checkSnapshot(result.stdout);
      expect(snapshot.sources).toEqual([
        expect.objectContaining({ id: 'works', status: 'ok', error: null }),
        expect.objectContaining({
          id: 'broken',
          status: 'error',
          error: { code: 'NETWORK', message: 'request failed: 503 from https://api.example.test/?token=***' },
        }),
      ]);
      expect(snapshot.week.projects.map((project) => [project.key, project.seconds])).toEqual([['works:fx', 7200]]);
      expect(result.stderr).toContain('broken: request failed: 503');
      if (extra.length > 0) expect(result.stderr).toContain('[broken] warning: calling the API with token ***');
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
      // A stack only with --verbose: the plugin's own frames, masked like everything else.
      if (extra.length === 0) expect(result.stderr).not.toMatch(NO_STACK);
      else expect(result.stderr).toMatch(/broken: sync failed: NETWORK: request failed: 503 from https:\/\/api\.example\.test\/\?token=\*\*\*\n {4}at /);
    }
    const summary = await runCli(['snapshot', '--at', AT, '--config', join(FIXTURES, 'configs', 'partial-failure.toml')], { env: { FIXTURE_TOKEN: secret } });
    expect(summary.code).toBe(3);
    expect(summary.stdout).toContain('broken: error: request failed: 503 from https://api.example.test/?token=*** [NETWORK]');
    expect(summary.stdout + summary.stderr).not.toContain(secret);
  });
});

describe('dash-cli snapshot: backends that misbehave', () => {
  it('a hanging backend times out (exit 3) and a leftover timer does not keep the process alive', async () => {
    const started = Date.now();
    const result = await runCli(['snapshot', '--json', '--timeout', '1s', '--at', AT, '--config', join(FIXTURES, 'configs', 'hang-and-linger.toml')], {
      timeoutMs: 15_000,
    });
    expect(result.signal).toBeNull();
    expect(result.code).toBe(3);
    expect(Date.now() - started).toBeLessThan(8_000);
    const snapshot = checkSnapshot(result.stdout);
    expect(snapshot.sources).toEqual([
      expect.objectContaining({ id: 'lingers', status: 'ok' }),
      expect.objectContaining({ id: 'hangs', status: 'error', error: { code: 'BACKEND_TIMEOUT', message: 'no answer within 1s' } }),
    ]);
    expect(snapshot.week.totalSeconds).toBe(7200);
    expect(result.stderr).toContain('hangs: no answer within 1s');
  });
});

describe('dash-cli snapshot: exit codes 4 and 130', () => {
  it('a backend that needs sign-in: exit 4, the other data still printed', async () => {
    const dir = await mkdtemp(join(scratch, 'auth-'));
    const plugin = join(FIXTURES, 'plugins', 'fixture-plugin.mjs');
    await writeFile(
      join(dir, 'dash.toml'),
      `[[backends]]\nplugin = ${JSON.stringify(plugin)}\nid = "fine"\n\n[[backends]]\nplugin = ${JSON.stringify(plugin)}\nid = "needs-auth"\nmode = "auth"\n`,
    );
    const result = await runCli(['snapshot', '--json', '--at', AT, '--config', join(dir, 'dash.toml')]);
    expect(result.code).toBe(4);
    const snapshot = checkSnapshot(result.stdout);
    expect(snapshot.sources[1]).toMatchObject({ id: 'needs-auth', status: 'error', error: { code: 'AUTH_REQUIRED' } });
    expect(snapshot.week.totalSeconds).toBe(7200);
    expect(result.stderr).toContain('run dash-cli auth needs-auth');
  });

  it('Ctrl-C while a backend hangs: exit 130 at once', async () => {
    const started = Date.now();
    const result = await runCli(['snapshot', '--json', '--verbose', '--timeout', '30s', '--at', AT, '--config', join(FIXTURES, 'configs', 'hang-and-linger.toml')], {
      interrupt: { signal: 'SIGINT', after: /hangs: sync/ },
      timeoutMs: 15_000,
    });
    expect(result.code).toBe(130);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(result.stderr).not.toMatch(NO_STACK);
  });
});

describe('dash-cli snapshot: user errors exit 2 with where and what, no stack trace', () => {
  const config = (name: string) => join(FIXTURES, 'configs', name);

  async function fails(args: string[], env: Record<string, string> = {}) {
    const result = await runCli(args, { env });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.stderr).not.toContain('internal error');
    return result.stderr;
  }

  it('bad TOML: file:line:col', async () => {
    const stderr = await fails(['snapshot', '--json', '--config', config('bad-toml.toml')]);
    expect(stderr).toMatch(new RegExp(`${config('bad-toml.toml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5:\\d+: invalid TOML`));
    expect(stderr).toContain('weekly = = 40');
  });

  it('unknown key: its path and line', async () => {
    const stderr = await fails(['snapshot', '--config', config('unknown-key.toml')]);
    expect(stderr).toContain(`${config('unknown-key.toml')}:5:1: goals.weekley: unknown key`);
  });

  it('missing environment variable: its name and the key', async () => {
    const stderr = await fails(['snapshot', '--json', '--config', config('missing-env.toml')]);
    expect(stderr).toContain(`${config('missing-env.toml')}:6:1: backends[0].token: environment variable DASH_FIXTURE_UNSET_TOKEN is not set`);
  });

  it('unknown plugin: the install command', async () => {
    const stderr = await fails(['snapshot', '--json', '--config', config('unknown-plugin.toml')]);
    expect(stderr).toContain(`${config('unknown-plugin.toml')}:4:1: backends[0].plugin: plugin "nonexistent-fixture"`);
    expect(stderr).toContain('npm install dash-plugin-nonexistent-fixture');
  });

  it('--config naming a missing file', async () => {
    const stderr = await fails(['snapshot', '--config', join(scratch, 'nope.toml')]);
    expect(stderr).toContain(join(scratch, 'nope.toml'));
    expect(stderr).toContain('file not found');
  });

  it('no config and no --demo: the hint', async () => {
    const stderr = await fails(['snapshot', '--json']);
    expect(stderr).toContain('no config file found');
    expect(stderr).toMatch(/hint: .*dash-cli snapshot --demo/);
  });

  it('a bad --at', async () => {
    const stderr = await fails(['snapshot', '--demo', '--at', 'yesterday-ish']);
    expect(stderr).toContain('--at "yesterday-ish" is not an ISO 8601 instant between 1970 and 9999');
  });

  it('an unknown option', async () => {
    const stderr = await fails(['snapshot', '--jsonn']);
    expect(stderr).toContain("unknown option '--jsonn'");
  });
});

describe('dash-cli --help', () => {
  it('explains the commands, config and exit codes', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: dash-cli');
    expect(result.stdout).toContain('snapshot');
    expect(result.stdout).toContain('$DASH_CONFIG');
    expect(result.stdout).toMatch(/3\s+partial data/);
    const snapshot = await runCli(['snapshot', '--help']);
    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toContain('--json');
    expect(snapshot.stdout).toContain('--at <iso-time>');
  });
});
