/**
 * The InfluxDB output against real databases started here on 127.0.0.1 random ports, in temp
 * dirs: Debian's InfluxDB 1.6 (`influxd`, v1 API, queried back with InfluxQL) and
 * VictoriaMetrics (`victoria-metrics`, written through /api/v2/write and /write, read back with
 * /api/v1/export and /api/v1/query). The Output is driven directly with a real OutputContext.
 * - a DST week (Europe/Berlin, the week of 2026-10-25) exported and read back: per-day and
 *   per-project totals equal dash-core's buildSnapshot of the same store;
 * - the database killed mid-export (and Dash restarted while it is down), then started again on
 *   the same data dir: every point once, sums equal;
 * - edits and deletions upstream follow the README's rule (tombstones / delete_series);
 * - three instances writing to one VictoriaMetrics: sums per `instance` equal each one's snapshot.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localDateOf, weekOf, type EntryInput, type Output, type TimeEntry } from 'dash-core';
import { buildSnapshot, Store, type Snapshot } from 'dash-core/host';
import { createInfluxOutput, InfluxOptionsSchema, type InfluxTuning } from '../packages/dash-cli/src/outputs/influxdb/index.js';
import { normalizeName, normalizeString } from '../packages/dash-cli/src/outputs/influxdb/line-protocol.js';
import { REPO } from './support/cli.js';
import { numRuns } from './support/fc-seed.js';
import { describeWith } from './support/tools.js';
import {
  influxDatabase,
  influxQuery,
  INFLUXD,
  outputContext,
  tempDir,
  victoriaDatabase,
  victoriaExport,
  VICTORIA_METRICS,
  waitFor,
  type Database,
} from './support/influx.js';

const ZONE = 'Europe/Berlin';
/** The week of Sunday 2026-10-25, when Berlin's clocks go back from 03:00 CEST to 02:00 CET: 169 hours. */
const WEEK = weekOf(Date.parse('2026-10-25T12:00:00Z') / 1000, ZONE, 'monday');
const WEEK_FROM = WEEK[0]!.start;
const WEEK_TO = WEEK[6]!.end;
const NOW = new Date('2026-11-02T12:00:00Z');
const GOALS = { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null };
const TUNING: InfluxTuning = { backoff: { firstMs: 50, maxMs: 400 } };

const PROJECTS = [
  { key: 'acme', name: 'Acme, "web" = site', client: 'Acme Inc.' },
  { key: 'oss', name: 'Open source \\ tools\\lib', client: null },
  { key: 'uni', name: 'Ünïcode 🚀 project', client: 'Client=Big, Co' },
  null,
];

/** A deterministic pseudo-random sequence (mulberry32). */
function random(variant: number): () => number {
  let state = variant >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

/**
 * The DST week's entries for some sources: a few a day, none across local midnight and none
 * overlapping another (Dash's totals count overlapping time once and split entries at
 * midnight; a point is the entry as it is: README, "InfluxDB and Grafana"), one over the fold
 * (Sunday 01:30 CEST to 02:15 CET, 105 minutes), hostile names and descriptions.
 */
function dstWeek(variant: number, sources: string[] = ['toggl']): Record<string, EntryInput[]> {
  const next = random(variant);
  const bySource: Record<string, EntryInput[]> = Object.fromEntries(sources.map((source) => [source, []]));
  const pick = () => bySource[sources[Math.floor(next() * sources.length)]!]!;
  for (const day of WEEK) {
    let at = day.start + Math.floor(next() * 4) * 3600;
    if (day.date === '2026-10-25') {
      pick().push({ id: 'fold', start: '2026-10-25T01:30:00+02:00', end: '2026-10-25T02:15:00+01:00', project: PROJECTS[0], billable: true, description: 'over the fold' });
      at = Date.parse('2026-10-25T02:15:00+01:00') / 1000 + 60;
    }
    for (let index = 0; index < 6; index++) {
      const length = 300 + Math.floor(next() * 7200);
      if (at + length > day.end) break;
      const project = PROJECTS[Math.floor(next() * PROJECTS.length)]!;
      pick().push({
        id: `${day.date}-${index}`,
        start: iso(at),
        end: iso(at + length),
        project,
        billable: next() < 0.5,
        description: index % 3 === 0 ? `fix "bug" #${index}\nin C:\\src, then = done` : '',
      });
      at += length + 600 + Math.floor(next() * 3600);
    }
  }
  return bySource;
}

/** `weeks` DST-like weeks going back from the DST week, one source. */
function manyWeeks(variant: number, weeks: number): EntryInput[] {
  return Array.from({ length: weeks }, (_, week) =>
    dstWeek(variant + week).toggl!.map((entry) => ({
      ...entry,
      id: `${week}-${entry.id}`,
      start: iso(Date.parse(entry.start) / 1000 - week * 7 * 86400),
      end: iso(Date.parse(entry.end!) / 1000 - week * 7 * 86400),
    })),
  ).flat();
}

function storeWith(sources: Record<string, EntryInput[]>): Store {
  const store = new Store();
  for (const [source, entries] of Object.entries(sources)) store.addSource(source, 'local').upsert(entries);
  return store;
}

const all = (store: Store): TimeEntry[] => store.toJSON().entries;
const snapshotOf = (store: Store): Snapshot => buildSnapshot(store, { now: NOW, week: new Date(WEEK_FROM * 1000), timeZone: ZONE, weekStart: 'monday', goals: GOALS });

/** Per-project week totals of a snapshot, keyed `source|project name` ('' for no project). */
function projectTotals(snapshot: Snapshot): Record<string, number> {
  return Object.fromEntries(snapshot.week.projects.map((project) => [`${project.source}|${project.key.endsWith(':') ? '' : normalizeName(project.name, 'key')}`, project.seconds]));
}

const settled = (out: Output, timeoutMs = 30_000) => waitFor('everything acknowledged', () => (out.state().queued === 0 && out.state().status === 'ok' ? true : undefined), timeoutMs);

/** The README's Grafana queries (section "InfluxDB and Grafana"), run as written. */
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const GRAFANA_INFLUXQL = /```sql\n(SELECT sum\("seconds"\)[^\n]+)\n```/.exec(README)![1]!;
const GRAFANA_PROMQL = /`(sum by \(instance\) \(sum_over_time\(dash_entry_seconds\[1d\]\)\) \/ 3600)`/.exec(README)![1]!;

const cleanups: (() => unknown)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startOutput(raw: Record<string, unknown>, dataDir: string, instance = 'laptop'): Promise<Output> {
  const out = await createInfluxOutput(InfluxOptionsSchema.parse(raw), outputContext(dataDir, { instance }), TUNING);
  cleanups.push(() => out.dispose?.());
  return out;
}

it('.ci/run installs the databases these tests drive (they fail, not skip, in CI)', () => {
  const ci = readFileSync(join(REPO, '.ci/run'), 'utf8');
  for (const tool of [INFLUXD, VICTORIA_METRICS]) expect(ci).toContain(`command -v ${tool.program} >/dev/null 2>&1 || missing+=(${tool.aptPackage})`);
});

describeWith([INFLUXD], 'InfluxDB output → a real InfluxDB 1.6 (v1 API, InfluxQL)', () => {
  let db: Database;
  const home = tempDir('dash-influxd-');
  const create = (name: string) => influxQuery(db.url, name, `CREATE DATABASE ${name}`);
  const sum = async (database: string, where = 'deleted = false') => {
    const series = await influxQuery(db.url, database, `SELECT sum(seconds), count(seconds) FROM dash_entry WHERE ${where}`);
    return { seconds: Number(series[0]?.values[0]?.[1] ?? 0), points: Number(series[0]?.values[0]?.[2] ?? 0) };
  };

  beforeAll(async () => {
    db = await influxDatabase(home.dir);
    await db.start();
    cleanups.push(home.cleanup, () => db.stop());
  }, 60_000);

  it('a DST week: per-day (tz Europe/Berlin) and per-project totals equal buildSnapshot\'s; strings come back exact', async () => {
    await create('week');
    const store = storeWith(dstWeek(1, ['toggl', 'local-file']));
    const out = await startOutput({ url: db.url, database: 'week' }, tempDir('dash-influx-out-').dir);
    // `dash-cli outputs test`: an empty write checks the database exists.
    expect(await out.test!(AbortSignal.timeout(5000))).toMatchObject({ ok: true });
    const missing = await startOutput({ url: db.url, database: 'missing' }, tempDir('dash-influx-out-').dir);
    expect(await missing.test!(AbortSignal.timeout(5000))).toEqual({ ok: false, message: `an empty write: ${new URL(db.url).host} answered 404: database not found: "missing"` });
    await out.entries!(all(store));
    await settled(out);
    const snapshot = snapshotOf(store);
    expect(snapshot.days.find((day) => day.date === '2026-10-25')!.totalSeconds).toBeGreaterThan(6300);

    const range = `time >= ${WEEK_FROM}s AND time < ${WEEK_TO}s`;
    const days = await influxQuery(db.url, 'week', `SELECT sum(seconds) FROM dash_entry WHERE deleted = false AND ${range} GROUP BY time(1d) tz('${ZONE}')`);
    const perDay = Object.fromEntries(days[0]!.values.map(([time, seconds]) => [localDateOf(Number(time), ZONE), Number(seconds ?? 0)]));
    expect(perDay).toEqual(Object.fromEntries(snapshot.days.map((day) => [day.date, day.totalSeconds])));

    const projects = await influxQuery(db.url, 'week', `SELECT sum(seconds) FROM dash_entry WHERE ${range} GROUP BY source, project`);
    const perProject = Object.fromEntries(projects.map((series) => [`${series.tags!.source}|${series.tags!.project}`, Number(series.values[0]![1])]));
    expect(perProject).toEqual(projectTotals(snapshot));

    const billable = await influxQuery(db.url, 'week', `SELECT sum(seconds) FROM dash_entry WHERE billable = 'true' AND ${range}`);
    expect(Number(billable[0]!.values[0]![1])).toBe(snapshot.week.billableSeconds);

    const described = await influxQuery(db.url, 'week', `SELECT description, seconds FROM dash_entry WHERE entry = '2026-10-21-0' AND source = 'toggl'`);
    const original = all(store).find((entry) => entry.id === '2026-10-21-0' && entry.source === 'toggl')!;
    expect(described[0]!.values[0]![1]).toBe(normalizeString(original.description));
    const fold = await influxQuery(db.url, 'week', `SELECT seconds FROM dash_entry WHERE entry = 'fold' GROUP BY source`);
    expect(fold.map((series) => series.values[0]![1])).toEqual([6300]);
    const names = await influxQuery(db.url, 'week', 'SHOW TAG VALUES FROM dash_entry WITH KEY = "project"');
    expect(names[0]!.values.map((row) => row[1]).sort()).toEqual(PROJECTS.flatMap((project) => (project ? [normalizeName(project.name, 'key')] : [])).sort());
  });

  it('a team of three in one database: the README\'s Grafana query gives each instance\'s hours per day as its snapshot has them', async () => {
    await create('dash');
    const team = [
      { instance: 'ana', store: storeWith(dstWeek(31)) },
      { instance: 'ben', store: storeWith(dstWeek(32, ['upwork', 'toggl'])) },
      { instance: 'cy', store: storeWith({ timewarrior: dstWeek(33).toggl!.slice(0, 12) }) },
    ];
    const outputs = await Promise.all(team.map((member) => startOutput({ url: db.url, database: 'dash' }, tempDir('dash-influx-out-').dir, member.instance)));
    await Promise.all(outputs.map((out, index) => out.entries!(all(team[index]!.store))));
    await Promise.all(outputs.map((out) => settled(out)));
    // Grafana puts the dashboard's range in $timeFilter.
    const series = await influxQuery(db.url, 'dash', GRAFANA_INFLUXQL.replace('$timeFilter', `time >= ${WEEK_FROM}s AND time < ${WEEK_TO}s`));
    const got = Object.fromEntries(series.map((one) => [one.tags!.instance, Object.fromEntries(one.values.map(([time, hours]) => [localDateOf(Number(time), ZONE), Number(hours ?? 0)]))]));
    const want = Object.fromEntries(team.map((member) => [member.instance, Object.fromEntries(snapshotOf(member.store).days.map((day) => [day.date, day.totalSeconds / 3600]))]));
    expect(Object.keys(got).sort()).toEqual(['ana', 'ben', 'cy']);
    for (const instance of Object.keys(want)) {
      for (const [date, hours] of Object.entries(want[instance]!)) expect(got[instance]![date], `${instance} ${date}`).toBeCloseTo(hours, 9);
    }
  });

  it('influxd killed mid-export, Dash restarted while it is down, influxd back on the same data dir: nothing missing, nothing doubled', async () => {
    await create('down');
    // 150 weeks of entries, about 4,500 points in batches of 100, so the kill lands mid-export.
    const inputs = manyWeeks(100, 150);
    const store = storeWith({ toggl: inputs });
    const expected = all(store).reduce((total, entry) => total + (Date.parse(entry.end!) - Date.parse(entry.start)) / 1000, 0);
    const dataDir = tempDir('dash-influx-out-').dir;
    const options = { url: db.url, database: 'down', batch_size: 100 };
    const first = await startOutput(options, dataDir);
    void first.entries!(all(store));
    await waitFor('a first batch acknowledged', () => (first.state().delivered > 0 ? true : undefined), 30_000);
    await db.kill();
    const atKill = first.state();
    expect(atKill.delivered).toBeGreaterThan(0);
    expect(atKill.queued).toBeGreaterThan(0);
    await waitFor('the output failing', () => (first.state().status === 'failing' ? true : undefined));
    expect(first.state().lastError!.code).toBe('NETWORK');
    // Dash stops while the database is down; the next Dash resumes from the data dir.
    await first.dispose!();
    // What was pending at the kill, and what influxd acknowledged just before it (sent again, harmlessly).
    const left = first.state().queued;
    expect(left).toBeGreaterThanOrEqual(atKill.queued);
    const second = await startOutput(options, dataDir);
    expect(second.state().queued).toBe(left);
    await db.start();
    await settled(second, 60_000);
    await second.entries!(all(store));
    expect(second.state().queued).toBe(0);
    expect(await sum('down')).toEqual({ seconds: expected, points: inputs.length });
    expect(await sum('down', 'deleted = true')).toEqual({ seconds: 0, points: 0 });
  }, 120_000);

  it('a second full backfill (the data dir lost) doubles nothing: the same point overwrites itself', async () => {
    await create('twice');
    const store = storeWith(dstWeek(22));
    for (let round = 0; round < 2; round++) {
      const out = await startOutput({ url: db.url, database: 'twice' }, tempDir('dash-influx-out-').dir);
      await out.entries!(all(store));
      await settled(out);
      await out.dispose!();
    }
    expect(await sum('twice')).toEqual({ seconds: snapshotOf(store).week.totalSeconds, points: all(store).length });
  });

  it('any sequence of edits, deletions and restores upstream (fast-check): after each round the database sums what the store holds', async () => {
    const edit = fc.record({
      kind: fc.constantFrom('move', 'project', 'billable', 'describe', 'shorten', 'delete', 'restore', 'add'),
      pick: fc.nat(),
      minutes: fc.integer({ min: -90, max: 90 }),
    });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(edit, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }), async (rounds) => {
        const database = `prop${run++}`;
        await create(database);
        const store = storeWith(dstWeek(40 + run, ['toggl', 'upwork']));
        const out = await startOutput({ url: db.url, database }, tempDir('dash-influx-out-').dir);
        await out.entries!(all(store));
        const deleted: TimeEntry[] = [];
        let added = 0;
        for (const round of rounds) {
          for (const change of round) {
            const entries = all(store);
            const entry = entries[change.pick % entries.length]!;
            const handle = store.handle(entry.source);
            const start = Date.parse(entry.start) / 1000;
            const end = Date.parse(entry.end!) / 1000;
            if (change.kind === 'move') handle.upsert([{ ...entry, start: iso(start + change.minutes * 60), end: iso(end + change.minutes * 60) }]);
            else if (change.kind === 'project') handle.upsert([{ ...entry, project: PROJECTS[change.pick % PROJECTS.length] }]);
            else if (change.kind === 'billable') handle.upsert([{ ...entry, billable: !entry.billable }]);
            else if (change.kind === 'describe') handle.upsert([{ ...entry, description: `round ${change.minutes}` }]);
            else if (change.kind === 'shorten') handle.upsert([{ ...entry, end: iso(start + 60 + Math.abs(change.minutes)) }]);
            else if (change.kind === 'delete' && entries.filter((item) => item.source === entry.source).length > 1) {
              handle.remove([entry.id]);
              deleted.push(entry);
            } else if (change.kind === 'restore' && deleted.length > 0) {
              const back = deleted.splice(change.pick % deleted.length, 1)[0]!;
              store.handle(back.source).upsert([back]);
            } else if (change.kind === 'add') handle.upsert([{ ...entry, id: `added-${added++}`, start: iso(start + 30), end: iso(start + 30 + 600 + change.pick % 3000) }]);
          }
          await out.entries!(all(store));
          await settled(out);
          const want: Record<string, number> = {};
          for (const entry of all(store)) {
            const key = `${entry.source}|${entry.project ? normalizeName(entry.project.name, 'key') : ''}`;
            want[key] = (want[key] ?? 0) + (Date.parse(entry.end!) - Date.parse(entry.start)) / 1000;
          }
          const series = await influxQuery(db.url, database, 'SELECT sum(seconds) FROM dash_entry WHERE deleted = false GROUP BY source, project');
          const got = Object.fromEntries(series.map((one) => [`${one.tags!.source}|${one.tags!.project}`, Number(one.values[0]![1])]));
          expect(got).toEqual(want);
          expect(await sum(database)).toEqual({ seconds: Object.values(want).reduce((a, b) => a + b, 0), points: all(store).length });
        }
        await out.dispose!();
      }),
      { numRuns: numRuns(6) },
    );
  }, 120_000);

  it('edits and deletions upstream: moved or re-tagged points leave a tombstone, deleted ones become one; totals follow the store', async () => {
    await create('edits');
    const store = storeWith(dstWeek(7));
    const out = await startOutput({ url: db.url, database: 'edits' }, tempDir('dash-influx-out-').dir);
    await out.entries!(all(store));
    await settled(out);
    const before = all(store);
    const handle = store.handle('toggl');
    const [described, moved, retagged, deleted] = before;
    handle.upsert([
      { ...described!, description: 'edited' },
      { ...moved!, start: iso(Date.parse(moved!.start) / 1000 - 60) },
      { ...retagged!, project: PROJECTS[2], billable: !retagged!.billable },
    ]);
    handle.remove([deleted!.id]);
    await out.entries!(all(store));
    await settled(out);

    const snapshot = snapshotOf(store);
    expect(await sum('edits')).toEqual({ seconds: snapshot.week.totalSeconds, points: before.length - 1 });
    expect(await sum('edits', 'deleted = true')).toEqual({ seconds: 0, points: 3 });
    const range = `time >= ${WEEK_FROM}s AND time < ${WEEK_TO}s`;
    const projects = await influxQuery(db.url, 'edits', `SELECT sum(seconds) FROM dash_entry WHERE deleted = false AND ${range} GROUP BY source, project`);
    const perProject = Object.fromEntries(projects.map((series) => [`${series.tags!.source}|${series.tags!.project}`, Number(series.values[0]![1])]));
    expect(perProject).toEqual(Object.fromEntries(Object.entries(projectTotals(snapshot)).filter(([, seconds]) => seconds > 0)));
    const edited = await influxQuery(db.url, 'edits', `SELECT description FROM dash_entry WHERE entry = '${described!.id}'`);
    expect(edited[0]!.values).toHaveLength(1);
    expect(edited[0]!.values[0]![1]).toBe('edited');
    const gone = await influxQuery(db.url, 'edits', `SELECT seconds, deleted FROM dash_entry WHERE entry = '${deleted!.id}'`);
    expect(gone[0]!.values.map((row) => row.slice(1))).toEqual([[0, true]]);
    // Restored upstream: the tombstone is overwritten, deleted=false again.
    handle.upsert([deleted!]);
    await out.entries!(all(store));
    await settled(out);
    const back = await influxQuery(db.url, 'edits', `SELECT seconds, deleted FROM dash_entry WHERE entry = '${deleted!.id}'`);
    expect(back[0]!.values.map((row) => row.slice(1))).toEqual([[(Date.parse(deleted!.end!) - Date.parse(deleted!.start)) / 1000, false]]);
  });
});

describeWith([INFLUXD], 'InfluxDB output → a real InfluxDB 1.6 with auth-enabled: basic auth and a retention policy', () => {
  let db: Database;
  const home = tempDir('dash-influxd-auth-');
  const admin = { username: 'admin', password: 'adm in"pw' };

  beforeAll(async () => {
    db = await influxDatabase(home.dir, { auth: true });
    await db.start();
    cleanups.push(home.cleanup, () => db.stop());
    // The first user may be created without credentials; everything after needs them.
    await influxQuery(db.url, 'dash', `CREATE USER admin WITH PASSWORD 'adm in"pw' WITH ALL PRIVILEGES`);
    await influxQuery(db.url, 'dash', 'CREATE DATABASE dash', admin);
    await influxQuery(db.url, 'dash', 'CREATE RETENTION POLICY "year" ON "dash" DURATION 10000d REPLICATION 1', admin);
    await influxQuery(db.url, 'dash', `CREATE USER dash WITH PASSWORD 's3cret pw'`, admin);
    await influxQuery(db.url, 'dash', 'GRANT WRITE ON "dash" TO "dash"', admin);
  }, 60_000);

  it('writes with username/password (HTTP basic auth) into the retention policy; a wrong password is AUTH_REQUIRED, not retried', async () => {
    const store = storeWith(dstWeek(51));
    const out = await startOutput({ url: db.url, database: 'dash', username: 'dash', password: 's3cret pw', retention_policy: 'year' }, tempDir('dash-influx-out-').dir);
    expect(await out.test!(AbortSignal.timeout(5000))).toMatchObject({ ok: true });
    await out.entries!(all(store));
    await settled(out);
    const inPolicy = await influxQuery(db.url, 'dash', 'SELECT sum(seconds), count(seconds) FROM "dash"."year"."dash_entry"', admin);
    expect(inPolicy[0]!.values[0]!.slice(1)).toEqual([snapshotOf(store).week.totalSeconds, all(store).length]);
    expect(await influxQuery(db.url, 'dash', 'SELECT count(seconds) FROM "dash"."autogen"."dash_entry"', admin)).toEqual([]);

    const wrong = await startOutput({ url: db.url, database: 'dash', username: 'dash', password: 'nope' }, tempDir('dash-influx-out-').dir);
    expect(await wrong.test!(AbortSignal.timeout(5000))).toMatchObject({ ok: false, message: expect.stringContaining('401') });
    await wrong.entries!(all(store));
    const state = await waitFor('failing', () => (wrong.state().status === 'failing' ? wrong.state() : undefined));
    expect(state.lastError).toMatchObject({ code: 'AUTH_REQUIRED', message: expect.stringMatching(/writing \d+ points: 127\.0\.0\.1:\d+ answered 401: authorization failed/) });
    expect(state.lastError!.message).not.toContain('nope');
    expect(state.queued).toBe(all(store).length);
  });
});

describeWith([VICTORIA_METRICS], 'InfluxDB output → a real VictoriaMetrics (line protocol in, export/query out)', () => {
  let db: Database;
  const home = tempDir('dash-victoria-');

  beforeAll(async () => {
    // As the README advises: without it, a point sent twice counts twice (checked by hand: 86 samples for 43 points).
    db = await victoriaDatabase(home.dir, ['-dedup.minScrapeInterval=1s']);
    await db.start();
    cleanups.push(home.cleanup, () => db.stop());
  }, 60_000);

  const flushed = () => fetch(`${db.url}/internal/force_flush`).then((response) => response.text());
  /** Raw `<measurement>_seconds` samples of the selector, once `count` of them are searchable. */
  async function samples(selector: string, count: number): Promise<{ metric: Record<string, string>; value: number; time: number }[]> {
    return waitFor(`${count} samples of ${selector}`, async () => {
      await flushed();
      const rows = (await victoriaExport(db.url, selector)).flatMap((series) => series.values.map((value, index) => ({ metric: series.metric, value, time: series.timestamps[index]! / 1000 })));
      if (rows.length !== count) throw new Error(`${rows.length} so far`);
      return rows;
    });
  }
  async function query(expression: string, at: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const response = await fetch(`${db.url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: expression, time: String(at) }) });
    return ((await response.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }).data.result;
  }

  it('a DST week through /api/v2/write: per-day and per-project totals equal buildSnapshot\'s; the description is a series of zeros', async () => {
    const store = storeWith(dstWeek(3));
    const out = await startOutput({ url: db.url, org: 'team', bucket: 'dash', server: 'victoriametrics' }, tempDir('dash-influx-out-').dir, 'vm-week');
    await out.entries!(all(store));
    await settled(out);
    const entries = all(store);
    const rows = await samples('{__name__="dash_entry_seconds",instance="vm-week"}', entries.length);
    const snapshot = snapshotOf(store);
    const perDay: Record<string, number> = Object.fromEntries(WEEK.map((day) => [day.date, 0]));
    for (const row of rows) perDay[localDateOf(row.time, ZONE)]! += row.value;
    expect(perDay).toEqual(Object.fromEntries(snapshot.days.map((day) => [day.date, day.totalSeconds])));
    const perProject: Record<string, number> = {};
    for (const row of rows) {
      const key = `${row.metric.source}|${row.metric.project ?? ''}`;
      perProject[key] = (perProject[key] ?? 0) + row.value;
    }
    expect(perProject).toEqual(projectTotals(snapshot));
    // The week total through MetricsQL, over the 169-hour week.
    const week = await query('sum(sum_over_time(dash_entry_seconds{instance="vm-week"}[169h]))', WEEK_TO - 1);
    expect(Number(week[0]!.value[1])).toBe(snapshot.week.totalSeconds);
    // VictoriaMetrics keeps numbers only: the string field becomes a series of zeros, deleted=false a 0.
    const descriptions = await samples('{__name__="dash_entry_description",instance="vm-week"}', entries.length);
    expect(new Set(descriptions.map((row) => row.value))).toEqual(new Set([0]));
    const deleted = await samples('{__name__="dash_entry_deleted",instance="vm-week"}', entries.length);
    expect(new Set(deleted.map((row) => row.value))).toEqual(new Set([0]));
  });

  it('killed mid-export and back on the same data dir: every point once', async () => {
    const inputs = manyWeeks(300, 100);
    const store = storeWith({ toggl: inputs });
    const expected = all(store).reduce((total, entry) => total + (Date.parse(entry.end!) - Date.parse(entry.start)) / 1000, 0);
    const out = await startOutput({ url: db.url, database: 'dash', batch_size: 100, server: 'victoriametrics' }, tempDir('dash-influx-out-').dir, 'vm-down');
    void out.entries!(all(store));
    await waitFor('a first batch acknowledged', () => (out.state().delivered > 0 ? true : undefined));
    await db.kill();
    expect(out.state().queued).toBeGreaterThan(0);
    await waitFor('the output failing', () => (out.state().status === 'failing' ? true : undefined));
    await db.start();
    await settled(out, 60_000);
    const rows = await samples('{__name__="dash_entry_seconds",instance="vm-down"}', inputs.length);
    expect(rows.reduce((total, row) => total + row.value, 0)).toBe(expected);
    expect(new Set(rows.map((row) => `${row.metric.entry}@${row.time}`)).size).toBe(inputs.length);
  }, 120_000);

  it('a second full backfill (the data dir lost) doubles nothing: with -dedup.minScrapeInterval VictoriaMetrics keeps one sample', async () => {
    const store = storeWith(dstWeek(21));
    for (let round = 0; round < 2; round++) {
      const out = await startOutput({ url: db.url, org: 'team', bucket: 'dash', server: 'victoriametrics' }, tempDir('dash-influx-out-').dir, 'vm-twice');
      await out.entries!(all(store));
      await settled(out);
      await out.dispose!();
    }
    const rows = await samples('{__name__="dash_entry_seconds",instance="vm-twice"}', all(store).length);
    expect(rows.reduce((total, row) => total + row.value, 0)).toBe(snapshotOf(store).week.totalSeconds);
  });

  it('edits and deletions upstream delete the entry\'s series, then write it again: totals follow the store', async () => {
    const store = storeWith(dstWeek(9));
    const out = await startOutput({ url: db.url, org: 'team', bucket: 'dash', server: 'victoriametrics' }, tempDir('dash-influx-out-').dir, 'vm-edits');
    await out.entries!(all(store));
    await settled(out);
    const before = all(store);
    await samples('{__name__="dash_entry_seconds",instance="vm-edits"}', before.length);
    const handle = store.handle('toggl');
    const [shortened, moved, retagged, deleted] = before;
    handle.upsert([
      { ...shortened!, end: iso(Date.parse(shortened!.start) / 1000 + 120) },
      { ...moved!, start: iso(Date.parse(moved!.start) / 1000 - 60) },
      { ...retagged!, project: PROJECTS[1] },
    ]);
    handle.remove([deleted!.id]);
    await out.entries!(all(store));
    await settled(out);
    const rows = await samples('{__name__="dash_entry_seconds",instance="vm-edits"}', before.length - 1);
    const snapshot = snapshotOf(store);
    expect(rows.reduce((total, row) => total + row.value, 0)).toBe(snapshot.week.totalSeconds);
    expect(rows.find((row) => row.metric.entry === shortened!.id)!.value).toBe(120);
    expect(rows.find((row) => row.metric.entry === moved!.id)!.time).toBe(Date.parse(moved!.start) / 1000 - 60);
    expect(rows.find((row) => row.metric.entry === retagged!.id)!.metric.project).toBe(normalizeName(PROJECTS[1]!.name, 'key'));
    expect(rows.some((row) => row.metric.entry === deleted!.id)).toBe(false);
  });

  it('a team: three instances with different data write to one VictoriaMetrics; sums per instance equal each one\'s snapshot', async () => {
    const team = [
      { instance: 'ana', store: storeWith(dstWeek(11)), options: { url: db.url, org: 'team', bucket: 'dash', server: 'victoriametrics' } },
      { instance: 'ben', store: storeWith(dstWeek(12, ['upwork', 'toggl'])), options: { url: db.url, database: 'team', server: 'victoriametrics' } },
      { instance: 'cy', store: storeWith({ timewarrior: dstWeek(14).toggl!.slice(0, 10) }), options: { url: db.url, org: 'team', bucket: 'dash', server: 'victoriametrics' } },
    ];
    const outputs = await Promise.all(team.map((member) => startOutput(member.options, tempDir('dash-influx-out-').dir, member.instance)));
    await Promise.all(outputs.map((out, index) => out.entries!(all(team[index]!.store))));
    await Promise.all(outputs.map((out) => settled(out)));
    const total = team.reduce((count, member) => count + all(member.store).length, 0);
    const rows = await samples('{__name__="dash_entry_seconds",instance=~"ana|ben|cy"}', total);
    // /write (ben, InfluxDB 1.x style) adds a db label; /api/v2/write adds none.
    expect(new Set(rows.map((row) => `${row.metric.instance}:${row.metric.db ?? '-'}`))).toEqual(new Set(['ana:-', 'ben:team', 'cy:-']));
    const result = await query('sum by (instance) (sum_over_time(dash_entry_seconds{instance=~"ana|ben|cy"}[169h]))', WEEK_TO - 1);
    const perInstance = Object.fromEntries(result.map((row) => [row.metric.instance, Number(row.value[1])]));
    expect(perInstance).toEqual(Object.fromEntries(team.map((member) => [member.instance, snapshotOf(member.store).week.totalSeconds])));
    // The README's Grafana query, evaluated at the end of each day (a 1-day step); the DST day has 25 hours.
    for (const day of WEEK) {
      if (day.end - day.start !== 86400) continue;
      const hours = await query(GRAFANA_PROMQL, day.end - 1);
      const got = Object.fromEntries(hours.map((row) => [row.metric.instance, Number(row.value[1])]));
      for (const member of team) {
        const seconds = snapshotOf(member.store).days.find((item) => item.date === day.date)!.totalSeconds;
        expect(got[member.instance] ?? 0, `${member.instance} ${day.date}`).toBeCloseTo(seconds / 3600, 9);
      }
    }
  });
});
