import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackendPlugin } from 'dash-core';
import { buildSnapshot } from 'dash-core/host';
import { createTestContext, FakeClock } from 'dash-core/testing';
import upwork from '../src/index.js';
import { FakeUpwork, writeTokenFile } from '../../../test/support/fake-upwork.js';

const plugin = upwork as BackendPlugin<unknown>;
const NOW = '2026-11-20T18:00:00Z';
const WEEK = { from: new Date('2026-11-16T05:00:00Z'), to: new Date('2026-11-23T05:00:00Z') };
const GOALS = { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null };

let fake: FakeUpwork;
let dir: string;

beforeEach(async () => {
  fake = await FakeUpwork.start();
  fake.contracts = [
    { id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' },
    { id: '38299120', title: 'Globex API integration', client: 'Globex' },
  ];
  fake.addSession('38201457', '2026-11-17T14:00:00Z', 120, { memo: 'Checkout flow' });
  fake.addSession('38299120', '2026-11-18T14:00:00Z', 60);
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-errors-'));
  await writeTokenFile(join(dir, 'token.json'), fake.issueTokens(), new Date(NOW));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function backend(extra: Record<string, unknown> = {}, now = NOW) {
  const clock = new FakeClock(now);
  const test = createTestContext({ id: 'upwork', clock, timeZone: 'America/New_York' });
  const validated = await plugin.optionsSchema['~standard'].validate(fake.backendOptions({ token_file: join(dir, 'token.json'), ...extra }));
  if (validated.issues) throw new Error(JSON.stringify(validated.issues));
  const instance = await plugin.createBackend(validated.value, test.context);
  const sync = () => instance.sync({ ...WEEK, signal: new AbortController().signal });
  const snapshot = () => buildSnapshot(test.store, { now: clock.now(), timeZone: 'America/New_York', weekStart: 'monday', goals: GOALS });
  return { ...test, sync, snapshot };
}

describe('Upwork GraphQL errors', () => {
  it('a permission error on HTTP 200 names the refused fields and the key permission to enable', async () => {
    fake.denied.add('workDiaryContract');
    const { sync } = await backend();
    const error = (await sync().catch((caught: unknown) => caught)) as { code: string; message: string };
    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toContain('Contract.workDiaryTimeCells, DateTime.rawValue');
    expect(error.message).toContain('Fetch workdiary snapshots information');
  });

  it('any other errors[] on HTTP 200 is an error, not an empty week', async () => {
    fake.inject.push({ kind: 'errors', errors: [{ message: 'Exception while fetching data (/user) : Internal error' }] });
    const { sync } = await backend();
    await expect(sync()).rejects.toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('Exception while fetching data') });
  });

  // 429: see conformance.test.ts (a minute since the last limited request, no quick retries).

  it('a bot-check HTML page is retried like a transient failure', async () => {
    fake.inject.push({ kind: 'html' });
    const { sync, snapshot } = await backend();
    await sync();
    expect(snapshot().week.totalSeconds).toBe(3 * 3600);
  });

  it('stays under the configured request rate', async () => {
    const { sync } = await backend({ requests_per_second: 4 });
    const started = Date.now();
    await sync();
    const requests = fake.counts.graphql;
    expect(requests).toBeGreaterThanOrEqual(4);
    // n requests at 4/s take at least (n - 1) × 250 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual((requests - 1) * 250 - 20);
  });
});

describe('Upwork contract discovery', () => {
  it('falls back from talentWorkHistory to vendorContracts', async () => {
    fake.denied.add('talentWorkHistory');
    const { sync, snapshot } = await backend();
    await sync();
    expect(fake.counts.fields.vendorContracts).toBe(1);
    expect(snapshot().week.projects.map((project) => [project.name, project.client, project.seconds])).toEqual([
      ['Acme checkout redesign', 'Acme Corp', 7200],
      ['Globex API integration', 'Globex', 3600],
    ]);
  });

  it('falls back to the contracts in recent time reports when both listings are refused', async () => {
    fake.denied.add('talentWorkHistory');
    fake.denied.add('vendorContracts');
    const { sync, snapshot } = await backend();
    await sync();
    expect(fake.counts.fields.contractTimeReport).toBe(1);
    expect(snapshot().week.totalSeconds).toBe(3 * 3600);
  });

  it('fetches every day when workDays is refused', async () => {
    fake.denied.add('workDays');
    const { sync, snapshot } = await backend();
    await sync();
    expect(snapshot().week.totalSeconds).toBe(3 * 3600);
    // 2 contracts × the 5 UTC days from Monday 16th to today (20th): one request of 10 aliases.
    expect(fake.counts.fields.workDiaryContract).toBe(10);
  });

  it('splits more than 10 diary calls into requests of at most 10 aliases', async () => {
    fake.denied.add('workDays');
    fake.contracts.push({ id: '38300001', title: 'Initech audit', client: 'Initech' });
    fake.addSession('38300001', '2026-11-19T13:00:00Z', 50);
    const { sync, snapshot } = await backend({ organization_id: 'org-4242' });
    await sync();
    const diaryRequests = fake.log.filter((item) => item.query.includes('workDiaryContract'));
    // 3 contracts × 5 UTC days = 15 calls: 10 + 5.
    expect(diaryRequests.map((item) => Object.keys(item.variables).length)).toEqual([10, 5]);
    expect(snapshot().week.totalSeconds).toBe(3 * 3600 + 50 * 60);
    expect(fake.log.every((item) => item.tenant === 'org-4242')).toBe(true);
  });

  it('uses `contracts = [...]` from the config without discovery', async () => {
    const { sync, snapshot } = await backend({ contracts: ['38201457', { id: '38299120', title: 'Globex (retainer)', client: 'Globex Inc' }] });
    await sync();
    expect(fake.counts.fields.talentWorkHistory).toBeUndefined();
    expect(fake.counts.fields.user).toBeUndefined();
    const names = snapshot().week.projects.map((project) => [project.name, project.client]);
    // The first title and client come from the time report; the second from the config.
    expect(names).toEqual([
      ['Acme checkout redesign', 'Acme Corp'],
      ['Globex (retainer)', 'Globex Inc'],
    ]);
  });

  it('discovers contracts once, then polls only recent days', async () => {
    const { sync } = await backend();
    await sync();
    const first = { ...fake.counts.fields };
    await sync();
    expect(fake.counts.fields.talentWorkHistory).toBe(first.talentWorkHistory);
    expect(fake.counts.fields.workDays).toBe(first.workDays);
    // Second poll: today and yesterday for 2 contracts in one aliased request.
    expect(fake.counts.fields.workDiaryContract! - first.workDiaryContract!).toBe(4);
  });
});

describe('Upwork clock-in signals', () => {
  it('uses the desktop app log when it shows the tracker working, before the diary has a cell', async () => {
    const logs = join(dir, 'Logs');
    await mkdir(logs);
    // A session that started at 17:40 UTC; the last upload 3 minutes before "now" (18:00 UTC).
    await writeFile(
      join(logs, 'upwork..20261120.log'),
      [
        '[2026-11-20T17:40:02.118Z] [info] TRACKER_START contract=38299120',
        '[2026-11-20T17:50:05.004Z] [info] TRACKER_UPLOAD_STARTED',
        '[2026-11-20T17:57:01.912Z] [info] Electron Screensnap succeeded',
        '[2026-11-20T17:57:02.000Z] [info] {"current_session_mins":17,"today_mins":137}',
      ].join('\n'),
    );
    fake.addSession('38299120', '2026-11-20T14:00:00Z', 60); // earlier today, not fresh
    const { sync, snapshot, logs: lines } = await backend({ desktop_app_logs: logs });
    await sync();
    const clocked = snapshot().clockedIn;
    expect(clocked).toHaveLength(1);
    expect(clocked[0]).toMatchObject({ start: '2026-11-20T17:40:00Z', elapsedSeconds: 1200 });
    expect(clocked[0]!.project?.name).toBe('Globex API integration');
    expect(lines.some((line) => line.includes('signal: desktop-log'))).toBe(true);
  });

  it('the diary signal: clocked in within 20 minutes of the newest tracked cell, not after', async () => {
    fake.addSession('38201457', '2026-11-20T17:00:00Z', 30); // last cell starts 17:20
    const fresh = await backend({}, '2026-11-20T17:40:00Z');
    await fresh.sync();
    expect(fresh.snapshot().clockedIn).toHaveLength(1);
    const stale = await backend({}, '2026-11-20T17:40:01Z');
    await stale.sync();
    expect(stale.snapshot().clockedIn).toHaveLength(0);
    // Stopped: the session is an ordinary closed entry.
    expect(stale.snapshot().days.find((day) => day.date === '2026-11-20')!.totalSeconds).toBe(1800);
  });

  it('manual time never counts as clocked in', async () => {
    fake.addSession('38201457', '2026-11-20T17:30:00Z', 30, { manual: true });
    const { sync, snapshot } = await backend();
    await sync();
    expect(snapshot().clockedIn).toHaveLength(0);
  });
});
