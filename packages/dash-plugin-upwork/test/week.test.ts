import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { weekOf, type BackendPlugin } from 'dash-core';
import { buildSnapshot } from 'dash-core/host';
import { createTestContext, FakeClock } from 'dash-core/testing';
import upwork from '../src/index.js';
import { FakeUpwork, writeTokenFile, type RawValueForm } from '../../../test/support/fake-upwork.js';

const plugin = upwork as BackendPlugin<unknown>;

let fake: FakeUpwork;
let dir: string;

beforeEach(async () => {
  fake = await FakeUpwork.start();
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-week-'));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function options(extra: Record<string, unknown> = {}): Promise<unknown> {
  const result = await plugin.optionsSchema['~standard'].validate(fake.backendOptions({ token_file: join(dir, 'token.json'), ...extra }));
  if (result.issues) throw new Error(JSON.stringify(result.issues));
  return result.value;
}

/** A week of Upwork time for a freelancer in New York (UTC-5 in November). */
function seedWeek(): void {
  fake.contracts = [
    { id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' },
    { id: '38299120', title: 'Globex API integration', client: 'Globex' },
    { id: '37000001', title: 'Logo design (fixed price)', client: 'Initech', jobType: 'FIXED' },
  ];
  // Sunday 15th 22:00-23:00 New York = Monday 16th UTC: on a UTC day we fetch, but not this local week.
  fake.addSession('38201457', '2026-11-16T03:00:00Z', 60);
  // Monday 09:00-12:00 New York.
  fake.addSession('38201457', '2026-11-16T14:00:00Z', 180, { memo: 'Checkout flow' });
  // Monday 22:00-23:30 New York = Tuesday 17th UTC.
  fake.addSession('38201457', '2026-11-17T03:00:00Z', 90, { memo: 'Checkout flow' });
  // Tuesday 15:00-15:10 New York: over the weekly limit (overtime, not billed).
  fake.addSession('38201457', '2026-11-17T20:00:00Z', 10, { overtime: true, memo: 'Checkout flow' });
  // Wednesday 10:00-11:20 tracked, then 40 minutes of manual time.
  fake.addSession('38299120', '2026-11-18T15:00:00Z', 80, { memo: 'Webhooks' });
  fake.addSession('38299120', '2026-11-18T16:20:00Z', 40, { manual: true, memo: 'Call with client' });
  // Thursday 23:40 - Friday 00:20 New York: split between the two local days.
  fake.addSession('38299120', '2026-11-20T04:40:00Z', 40, { memo: 'Incident' });
  // Friday 12:00-12:50 New York, the newest cell started 10 minutes before "now": clocked in.
  fake.addSession('38201457', '2026-11-20T17:00:00Z', 60, { memo: 'Checkout flow' });
}

const NOW = '2026-11-20T18:00:00Z';
const ZONE = 'America/New_York';

async function syncWeek(extra: Record<string, unknown> = {}, zone = ZONE, now = NOW) {
  const clock = new FakeClock(now);
  const test = createTestContext({ id: 'upwork', plugin: 'dash-plugin-upwork', clock, timeZone: zone, dataDir: join(dir, 'data') });
  await writeTokenFile(join(dir, 'token.json'), fake.issueTokens(), clock.now());
  const backend = await plugin.createBackend(await options(extra), test.context);
  const days = weekOf(Math.floor(clock.now().getTime() / 1000), zone, 'monday');
  const range = { from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000) };
  await backend.sync({ ...range, signal: new AbortController().signal });
  const snapshot = buildSnapshot(test.store, { now: clock.now(), timeZone: zone, weekStart: 'monday', goals: { weekly: 40 * 3600, weeklyBillable: null, daily: null, dailyBillable: null } });
  return { ...test, backend, range, snapshot };
}

describe('a week of Upwork diary cells in America/New_York', () => {
  it('totals every day, project and the running session exactly', async () => {
    seedWeek();
    const { snapshot, logs } = await syncWeek();
    const byDate = Object.fromEntries(snapshot.days.map((day) => [day.date, day.totalSeconds]));
    expect(byDate).toEqual({
      '2026-11-16': 3 * 3600 + 90 * 60, // Monday: 3 h + the 1.5 h that is Tuesday in UTC
      '2026-11-17': 600, // the overtime cell
      '2026-11-18': 80 * 60 + 40 * 60, // tracked + manual
      '2026-11-19': 20 * 60, // 23:40-24:00
      '2026-11-20': 20 * 60 + 3600, // 00:00-00:20 + the running hour (to "now")
      '2026-11-21': 0,
      '2026-11-22': 0,
    });
    expect(snapshot.week.totalSeconds).toBe(16_200 + 600 + 7200 + 1200 + 4800);
    expect(snapshot.week.billableSeconds).toBe(snapshot.week.totalSeconds - 600);
    const projects = Object.fromEntries(snapshot.week.projects.map((project) => [project.name, [project.client, project.seconds]]));
    expect(projects).toEqual({
      'Acme checkout redesign': ['Acme Corp', 16_200 + 600 + 3600],
      'Globex API integration': ['Globex', 7200 + 2400],
    });
    // Stable colors, one per contract.
    const colors = snapshot.week.projects.map((project) => project.color);
    expect(new Set(colors).size).toBe(2);
    expect(colors.every((color) => /^#[0-9a-f]{6}$/.test(color ?? ''))).toBe(true);

    expect(snapshot.clockedIn).toHaveLength(1);
    expect(snapshot.clockedIn[0]).toMatchObject({ source: 'upwork', start: '2026-11-20T17:00:00Z', elapsedSeconds: 3600, description: 'Checkout flow' });
    expect(snapshot.clockedIn[0]!.project?.name).toBe('Acme checkout redesign');
    expect(logs.some((line) => line.includes('clocked in (signal: diary)'))).toBe(true);
  });

  it('marks manual time, overtime and the signal in tags, and merges consecutive cells', async () => {
    seedWeek();
    const { store, range } = await syncWeek();
    const entries = store.entriesBetween(range.from, range.to).filter((entry) => entry.source === 'upwork');
    const manual = entries.filter((entry) => entry.tags.includes('manual'));
    expect(manual.map((entry) => [entry.start, entry.end, entry.description])).toEqual([['2026-11-18T16:20:00Z', '2026-11-18T17:00:00Z', 'Call with client']]);
    const overtime = entries.find((entry) => entry.tags.includes('overtime'))!;
    expect(overtime.billable).toBe(false);
    // Monday's 18 cells are one entry.
    const monday = entries.find((entry) => entry.start === '2026-11-16T14:00:00Z')!;
    expect(monday.end).toBe('2026-11-16T17:00:00Z');
    const running = entries.filter((entry) => entry.end === null);
    expect(running).toHaveLength(1);
    expect(running[0]!.tags).toContain('signal:diary');
    // The Thursday-night session crosses local midnight: still one entry (the snapshot splits it).
    expect(entries.filter((entry) => entry.start === '2026-11-20T04:40:00Z').map((entry) => entry.end)).toEqual(['2026-11-20T05:20:00Z']);
  });

  it('batches aliased requests: ≤ 10 per request, workDays first, fixed-price contracts skipped', async () => {
    seedWeek();
    await syncWeek();
    const diaryRequests = fake.log.filter((item) => item.query.includes('workDiaryContract'));
    for (const request of diaryRequests) expect(Object.keys(request.variables).length).toBeLessThanOrEqual(10);
    const asked = diaryRequests.flatMap((request) => Object.values(request.variables) as { contractId: string; date: string }[]);
    // The New York week spans 8 UTC days (16th..23rd); only days up to today (20th) can have time.
    // workDays said which past days have time; today and yesterday are always fetched.
    expect(asked.map((item) => `${item.contractId}:${item.date}`).sort()).toEqual(
      [
        '38201457:20261116',
        '38201457:20261117',
        '38201457:20261119',
        '38201457:20261120',
        '38299120:20261118',
        '38299120:20261119',
        '38299120:20261120',
      ].sort(),
    );
    expect(asked.some((item) => item.contractId === '37000001')).toBe(false);
    expect(fake.counts.fields.workDays).toBe(2);
  });

  it('totals the same week exactly in Asia/Kolkata (UTC+5:30)', async () => {
    seedWeek();
    const { snapshot } = await syncWeek({}, 'Asia/Kolkata', '2026-11-20T18:00:00Z');
    // Kolkata's week: Mon 16th 00:00 IST = Sun 15th 18:30 UTC, so the Sunday-evening session (16th 03:00Z) counts.
    const byDate = Object.fromEntries(snapshot.days.map((day) => [day.date, day.totalSeconds]));
    expect(byDate).toEqual({
      '2026-11-16': 3600 + 3 * 3600, // 08:30-09:30 and 19:30-22:30 IST
      '2026-11-17': 90 * 60, // 08:30-10:00 IST
      '2026-11-18': 600 + 7200, // the overtime cell (01:30 IST) and 20:30-22:30 IST
      '2026-11-19': 0,
      '2026-11-20': 2400 + 3600, // 10:10-10:50 IST and the running hour from 22:30 IST
      '2026-11-21': 0,
      '2026-11-22': 0,
    });
    expect(snapshot.week.totalSeconds).toBe(14_400 + 5400 + 7800 + 6000);
  });
});

describe('cellDateTime.rawValue forms', () => {
  const forms: RawValueForm[] = ['epoch-seconds', 'epoch-seconds-number', 'epoch-milliseconds', 'iso', 'compact', 'seconds-of-day'];
  for (const form of forms) {
    it(`reads ${form}`, async () => {
      seedWeek();
      fake.rawValueForm = form;
      const { snapshot, logs } = await syncWeek();
      expect(snapshot.week.totalSeconds).toBe(16_200 + 600 + 7200 + 1200 + 4800);
      expect(snapshot.clockedIn[0]?.start).toBe('2026-11-20T17:00:00Z');
      expect(logs.some((line) => line.includes(`cellDateTime read as ${form.replace('-number', '')}`))).toBe(true);
    });
  }
});

describe('a DST week', () => {
  it('counts the 25-hour Sunday when New York falls back (2026-11-01)', async () => {
    fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
    fake.addSession('38201457', '2026-10-26T03:00:00Z', 60); // Sunday Oct 25, 23:00 EDT: the week before
    fake.addSession('38201457', '2026-11-01T05:00:00Z', 120); // 01:00 EDT → 02:00 EST, through the repeated hour
    fake.addSession('38201457', '2026-11-02T04:00:00Z', 60); // 23:00-24:00 EST, still Sunday
    const clock = new FakeClock('2026-11-02T12:00:00Z');
    const test = createTestContext({ id: 'upwork', clock, timeZone: ZONE });
    await writeTokenFile(join(dir, 'token.json'), fake.issueTokens(), clock.now());
    const backend = await plugin.createBackend(await options(), test.context);
    const week = new Date('2026-10-28T12:00:00Z');
    const days = weekOf(Math.floor(week.getTime() / 1000), ZONE, 'monday');
    expect(days[6]!.end - days[6]!.start).toBe(25 * 3600);
    await backend.sync({ from: new Date(days[0]!.start * 1000), to: new Date(days[6]!.end * 1000), signal: new AbortController().signal });
    const snapshot = buildSnapshot(test.store, { now: clock.now(), timeZone: ZONE, weekStart: 'monday', week, goals: { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null } });
    expect(snapshot.days.map((day) => day.totalSeconds)).toEqual([0, 0, 0, 0, 0, 0, 10_800]);
    expect(snapshot.week.totalSeconds).toBe(10_800);
    expect(snapshot.clockedIn).toEqual([]);
  });
});
