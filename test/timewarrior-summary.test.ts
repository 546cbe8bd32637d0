/**
 * The Timewarrior example plugin against the real `timew` (Debian package timewarrior): the same
 * intervals, recorded by `timew track`/`start`, must give the same totals in
 * `dash-cli snapshot --json` as in `timew summary`, per day, per tag and for the week, and a
 * `timew start` must reach a running host within seconds (fs.watch, no polling).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PluginHost, prepareBackends, Store, type Snapshot } from 'dash-core/host';
import { describeWith, TIMEWARRIOR } from './support/tools.js';
import { inherited } from './support/env.js';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'packages/dash-cli/dist/bin.cjs');
const PLUGIN = join(ROOT, 'examples/dash-plugin-timewarrior');
const ZONE = 'Europe/Berlin';

const temp: string[] = [];
function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

/** A fresh Timewarrior database and a `timew` that uses it, in ZONE. */
function timewarrior() {
  const home = tempDir('dash-timew-home-');
  const db = join(home, 'timewdb');
  mkdirSync(db);
  const env = { ...inherited(), HOME: home, TIMEWARRIORDB: db, TZ: ZONE, LANG: 'C' };
  const timew = (...args: string[]) => execFileSync('timew', [...args, ':yes'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { home, db, env, timew };
}

function seconds(hms: string): number {
  const [h, m, s] = hms.split(':').map(Number);
  return h! * 3600 + m! * 60 + s!;
}

/** `timew summary` → seconds per local date (summing the Time column) and the grand total. */
function parseSummary(text: string): { days: Record<string, number>; total: number } {
  const days: Record<string, number> = {};
  let date: string | undefined;
  let total = 0;
  for (const line of text.split('\n')) {
    const dated = /^W\d+\s+(\d{4}-\d{2}-\d{2})\s/.exec(line);
    if (dated) date = dated[1];
    const row = /(\d+:\d\d:\d\d)\s+(\d+:\d\d:\d\d)\s+(\d+:\d\d:\d\d)(?:\s+(\d+:\d\d:\d\d))?\s*$/.exec(line);
    if (row && date) days[date] = (days[date] ?? 0) + seconds(row[3]!);
    const grand = /^\s+(\d+:\d\d:\d\d)\s*$/.exec(line);
    if (grand) total = seconds(grand[1]!);
  }
  return { days, total };
}

function writeConfig(dir: string, extra = ''): string {
  const file = join(dir, 'config.toml');
  writeFileSync(
    file,
    [
      `timezone = "${ZONE}"`,
      '',
      '[[backends]]',
      `plugin = ${JSON.stringify(PLUGIN)}`,
      'id = "timew"',
      'billable_tags = ["billable"]',
      extra,
      '',
      '[backends.projects]',
      'acme = { name = "Acme website", client = "Acme Corp", color = "#06aaf5" }',
      '',
    ].join('\n'),
  );
  return file;
}

function snapshot(config: string, at: string, env: Record<string, string | undefined>): Snapshot {
  const result = spawnSync(process.execPath, [CLI, 'snapshot', '--json', '--config', config, '--at', at], {
    env: { ...env, XDG_CONFIG_HOME: join(env.HOME!, '.config'), XDG_DATA_HOME: join(env.HOME!, '.local/share'), XDG_CACHE_HOME: join(env.HOME!, '.cache'), NO_COLOR: '1' },
    encoding: 'utf8',
  });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as Snapshot;
}

// The tests run the built CLI and plugin like a user would, against the real `timew`.
describeWith([TIMEWARRIOR], 'the Timewarrior example against timew', () => {
  describe.each([
    {
      name: 'an ordinary week (midnight crossing, seconds, no tags, annotation, billable tag)',
      week: ['2026-11-16', '2026-11-23'],
      at: '2026-11-22T20:00:00Z',
      intervals: [
        ['2026-11-16T07:00:00Z', '2026-11-16T11:15:10Z', 'acme', 'billable'],
        ['2026-11-16T12:00:00Z', '2026-11-16T12:40:00Z'],
        ['2026-11-17T08:05:00Z', '2026-11-17T16:59:59Z', 'globex', 'rate limiter'],
        ['2026-11-19T21:30:00Z', '2026-11-20T01:30:00Z', 'acme', 'billable'],
        ['2026-11-20T08:15:00Z', '2026-11-20T09:30:00Z', 'acme', 'tag 2'],
        ['2026-11-21T10:00:00Z', '2026-11-21T10:45:30Z', 'oss'],
        // The Sunday before, 23:30 local, to Monday 00:45 local: only the Monday part is this week's.
        ['2026-11-15T22:30:00Z', '2026-11-15T23:45:00Z', 'globex'],
      ],
    },
    {
      name: 'the week summer time ends (Sunday has 25 hours)',
      week: ['2026-10-19', '2026-10-26'],
      at: '2026-10-25T22:00:00Z',
      intervals: [
        ['2026-10-19T07:00:00Z', '2026-10-19T11:15:10Z', 'globex', 'billable'],
        ['2026-10-24T22:30:00Z', '2026-10-25T02:30:00Z', 'acme'],
        ['2026-10-25T09:00:00Z', '2026-10-25T09:00:59Z', 'acme', 'billable'],
      ],
    },
  ])('$name', ({ week, at, intervals }) => {
    let summary: { days: Record<string, number>; total: number };
    let tagTotals: Record<string, number>;
    let snap: Snapshot;

    beforeAll(() => {
      const tw = timewarrior();
      for (const [start, end, ...tags] of intervals) tw.timew('track', start!, '-', end!, ...tags);
      if (intervals.length > 2) tw.timew('annotate', '@2', 'reviewing "the" #diff');
      summary = parseSummary(tw.timew('summary', week[0]!, '-', week[1]!));
      tagTotals = Object.fromEntries(['acme', 'globex', 'billable'].map((tag) => [tag, parseSummary(tw.timew('summary', week[0]!, '-', week[1]!, tag)).total]));
      const configDir = tempDir('dash-timew-config-');
      // The database comes from $TIMEWARRIORDB, as it does for `timew` itself.
      snap = snapshot(writeConfig(configDir), at, { ...tw.env, TZ: 'UTC' });
    });

    it('has data to compare (the summary is not empty)', () => {
      expect(summary.total).toBeGreaterThan(3600);
      expect(Object.keys(summary.days).length).toBeGreaterThan(1);
    });

    it('gives the same total per day as timew summary', () => {
      const dash = Object.fromEntries(snap.days.filter((day) => day.totalSeconds > 0).map((day) => [day.date, day.totalSeconds]));
      expect(dash).toEqual(summary.days);
    });

    it('gives the same week total as timew summary', () => {
      expect(snap.week.totalSeconds).toBe(summary.total);
    });

    it('gives the same totals per tag (projects, billable) as timew summary <tag>', () => {
      const project = (key: string) => snap.week.projects.find((item) => item.key === `timew:${key}`)?.seconds ?? 0;
      expect(project('acme')).toBe(tagTotals.acme);
      expect(project('globex')).toBe(tagTotals.globex);
      expect(snap.week.billableSeconds).toBe(tagTotals.billable);
      expect(snap.week.projects.find((item) => item.key === 'timew:acme')).toMatchObject({ name: 'Acme website', client: 'Acme Corp', color: '#06aaf5' });
    });

    it('reports the backend healthy and nobody clocked in', () => {
      expect(snap.sources).toEqual([expect.objectContaining({ id: 'timew', plugin: 'dash-plugin-timewarrior', status: 'ok', error: null })]);
      expect(snap.clockedIn).toEqual([]);
    });
  });

  describe('running timers', () => {
    it('shows an open interval (timew start) as clocked in, in snapshot --json', () => {
      const tw = timewarrior();
      tw.timew('start', '2min', 'ago', 'acme', 'billable');
      const configDir = tempDir('dash-timew-config-');
      const snap = snapshot(writeConfig(configDir, `database = ${JSON.stringify(tw.db)}`), new Date().toISOString(), { ...tw.env, TIMEWARRIORDB: undefined });
      expect(snap.clockedIn).toHaveLength(1);
      expect(snap.clockedIn[0]).toMatchObject({ source: 'timew', project: { key: 'timew:acme', name: 'Acme website' } });
      expect(snap.clockedIn[0]!.elapsedSeconds).toBeGreaterThanOrEqual(115);
      expect(snap.clockedIn[0]!.elapsedSeconds).toBeLessThan(200);
    });

    it('follows timew start and stop through run() within seconds, without polling', async () => {
      const tw = timewarrior();
      const configDir = tempDir('dash-timew-config-');
      const loaded = loadConfig(writeConfig(configDir, `database = ${JSON.stringify(tw.db)}`), {});
      const backends = await prepareBackends(loaded);
      const store = new Store();
      const host = new PluginHost({ store, backends, timeZone: ZONE, weekStart: 'monday', configDir, dataHome: join(tw.home, 'data') });
      const until = (test: () => boolean, what: string, ms = 5_000) =>
        new Promise<number>((resolvePromise, reject) => {
          const started = Date.now();
          if (test()) return resolvePromise(0);
          const timer = setTimeout(() => {
            store.off('change', check);
            reject(new Error(`${what}: not seen within ${ms} ms`));
          }, ms);
          function check() {
            if (!test()) return;
            clearTimeout(timer);
            store.off('change', check);
            resolvePromise(Date.now() - started);
          }
          store.on('change', check);
        });
      try {
        await host.start();
        await until(() => store.source('timew')?.status === 'ok', 'first read');
        expect(store.runningEntries()).toEqual([]);

        const started = Date.now();
        tw.timew('start', '1min', 'ago', 'acme', 'billable');
        const startLatency = await until(() => store.runningEntries().length === 1, 'timew start');
        expect(store.runningEntries()[0]).toMatchObject({ source: 'timew', project: { key: 'acme', name: 'Acme website' }, billable: true, end: null });
        expect(Date.now() - started).toBeLessThan(3_000);

        tw.timew('stop');
        const stopLatency = await until(() => store.runningEntries().length === 0, 'timew stop');
        const entries = store.entriesBetween(new Date(started - 120_000), new Date(Date.now() + 60_000)).filter((entry) => entry.source === 'timew');
        expect(entries).toHaveLength(1);
        expect(entries[0]!.end).not.toBeNull();
        expect(startLatency + stopLatency).toBeLessThan(6_000);
      } finally {
        await host.stop();
      }
    });
  });
});
