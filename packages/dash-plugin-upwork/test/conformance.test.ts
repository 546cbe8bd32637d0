/**
 * The Upwork plugin against the real API's rules (reference/api-conformance.md), which the fake
 * server enforces (test/support/fake-upwork.ts): offsetInSeconds sent explicitly, filters passed as
 * input-object variables, contractTimeReport followed past its first page, and after a 429 nothing
 * sent until a minute after the last limited request. The plugin's clock and the fake's are one
 * injected clock: the minute passes without waiting for it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type BackendPlugin } from 'dash-core';
import { buildSnapshot } from 'dash-core/host';
import { createTestContext, FakeClock } from 'dash-core/testing';
import upwork from '../src/index.js';
import { FakeUpwork, USER_ID, writeTokenFile } from '../../../test/support/fake-upwork.js';

const plugin = upwork as BackendPlugin<unknown>;
const NOW = '2026-11-20T18:00:00Z';
const WEEK = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') };
const GOALS = { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null };

let fake: FakeUpwork;
let clock: FakeClock;
let dir: string;

beforeEach(async () => {
  clock = new FakeClock(NOW);
  fake = await FakeUpwork.start({ now: () => clock.now().getTime() });
  fake.contracts = [
    { id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' },
    { id: '38299120', title: 'Globex API integration', client: 'Globex' },
  ];
  fake.addSession('38201457', '2026-11-17T14:00:00Z', 120);
  fake.addSession('38299120', '2026-11-18T14:00:00Z', 60);
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-conformance-'));
  await writeTokenFile(join(dir, 'token.json'), fake.issueTokens(), new Date(NOW));
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function backend(extra: Record<string, unknown> = {}) {
  const test = createTestContext({ id: 'upwork', clock, timeZone: 'UTC' });
  const validated = await plugin.optionsSchema['~standard'].validate(fake.backendOptions({ token_file: join(dir, 'token.json'), desktop_app_logs: false, ...extra }));
  if (validated.issues) throw new Error(JSON.stringify(validated.issues));
  const instance = await plugin.createBackend(validated.value, test.context);
  const sync = () => instance.sync({ ...WEEK, signal: new AbortController().signal });
  const snapshot = () => buildSnapshot(test.store, { now: clock.now(), timeZone: 'UTC', weekStart: 'monday', goals: GOALS });
  return { ...test, sync, snapshot };
}

describe('Upwork: what the requests say', () => {
  it('sends offsetInSeconds: 0 in every WorkdaysInput and WorkDiaryContractInput (UTC days, not a default)', async () => {
    const { sync, snapshot } = await backend();
    await sync();
    expect(snapshot().week.totalSeconds).toBe(3 * 3600);
    const inputs = fake.log
      .filter((item) => /\b(workDays|workDiaryContract)\(/.test(item.query))
      .flatMap((item) => Object.values(item.variables) as Record<string, unknown>[]);
    expect(inputs.length).toBeGreaterThan(0);
    for (const input of inputs) expect(input.offsetInSeconds).toBe(0);
  });

  it('passes the talentWorkHistory and vendorContracts filters whole, as input-object variables', async () => {
    fake.denied.add('workDays');
    const first = await backend();
    await first.sync();
    expect(first.snapshot().week.totalSeconds).toBe(3 * 3600);
    const history = fake.log.find((item) => item.query.includes('talentWorkHistory'))!;
    expect(history.query).toMatch(/\(\$filter: TalentWorkHistoryFilterInput\)[\s\S]*talentWorkHistory\(filter: \$filter\)/);
    expect(history.variables).toEqual({ filter: { personId: USER_ID, status: ['ACTIVE'] } });

    fake.denied.add('talentWorkHistory');
    const second = await backend();
    await second.sync();
    expect(second.snapshot().week.projects.map((project) => [project.name, project.client])).toEqual([
      ['Acme checkout redesign', 'Acme Corp'],
      ['Globex API integration', 'Globex'],
    ]);
    const vendor = fake.log.find((item) => item.query.includes('vendorContracts'))!;
    expect(vendor.query).toMatch(/\(\$filter: VendorContractSearchFilter!\)[\s\S]*vendorContracts\(filter: \$filter\)/);
    expect(vendor.variables).toEqual({ filter: { vendorId: USER_ID, contractStatuses: ['ACTIVE'] } });
  });

  it('follows contractTimeReport past its first 100 rows: a contract only on page 2 is not missed', async () => {
    // Both listings refused: the contracts come from four weeks of time reports, one row per
    // contract and day. Five contracts working every day fill 5 × 28 = 140 rows before the last
    // day's; the contract that worked only today sorts after them, on page 2.
    fake.denied.add('talentWorkHistory');
    fake.denied.add('vendorContracts');
    fake.denied.add('workDays');
    fake.contracts = [];
    fake.cells = [];
    for (let index = 0; index < 5; index++) {
      const id = `3810000${index}`;
      fake.contracts.push({ id, title: `Daily contract ${index}`, client: 'Busy Co' });
      for (let day = 1; day <= 28; day++) fake.addSession(id, new Date(Date.parse('2026-11-20T00:00:00Z') - day * 86_400_000).toISOString(), 10);
    }
    fake.contracts.push({ id: '38999999', title: 'Only today', client: 'Late Ltd' });
    fake.addSession('38999999', '2026-11-20T09:00:00Z', 30);
    const { sync, snapshot } = await backend();
    await sync();
    expect(fake.counts.fields.contractTimeReport).toBe(2);
    const pages = fake.log.filter((item) => item.query.includes('contractTimeReport')).map((item) => item.variables.pagination);
    expect(pages).toEqual([{ first: 100 }, { first: 100, after: expect.any(String) }]);
    expect(snapshot().week.projects.find((project) => project.name === 'Only today')?.seconds).toBe(1800);
  });
});

describe('Upwork: after a 429', () => {
  it('sends nothing until a minute after the last limited request, is rate-limited until then, then syncs', async () => {
    fake.inject.push({ kind: '429' });
    const { sync, snapshot, store } = await backend();
    await expect(sync()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    // One request, limited; no retry after 1, 2, 4 s (each would have extended the block).
    expect(fake.counts.limited).toBe(1);
    const sent = fake.counts.graphql;
    expect(store.source('upwork')).toMatchObject({ status: 'rate-limited', rateLimitedUntil: '2026-11-20T18:01:00.000Z' });

    clock.advance(59_000);
    await expect(sync()).rejects.toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('not asking again before 2026-11-20T18:01:00Z') });
    expect(fake.counts.graphql).toBe(sent);
    expect(store.source('upwork')).toMatchObject({ status: 'rate-limited', rateLimitedUntil: '2026-11-20T18:01:00.000Z' });

    clock.advance(1_000);
    await sync();
    expect(fake.counts.limited).toBe(1);
    expect(snapshot().week.totalSeconds).toBe(3 * 3600);
  });

  it('a Retry-After longer than a minute is honoured', async () => {
    fake.inject.push({ kind: '429', retryAfter: 300 });
    const { sync, store } = await backend();
    await expect(sync()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(store.source('upwork')!.rateLimitedUntil).toBe('2026-11-20T18:05:00.000Z');
    clock.advance(120_000);
    const sent = fake.counts.graphql;
    await expect(sync()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(fake.counts.graphql).toBe(sent);
  });
});
