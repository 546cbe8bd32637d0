/**
 * What the Upwork backend fetches again, and when: contracts are discovered again after 6 hours,
 * a past day's diary after an hour (manual time can be added later), today and yesterday on
 * every sync. A fake clock shared by the backend and the fake Upwork; every GraphQL field counted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext, type TestContext } from 'dash-core/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeUpwork, writeTokenFile } from '../../../test/support/fake-upwork.js';
import { createUpworkBackend, type UpworkBackend } from '../src/backend.js';
import { UpworkOptionsSchema } from '../src/options.js';

/** Wednesday 18 Nov 2026, 12:00 UTC; the week is Mon 16 … Sun 22 Nov. */
const NOW = '2026-11-18T12:00:00Z';
const WEEK = { from: new Date('2026-11-16T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') };
const MINUTE = 60_000;
const HOUR = 3_600_000;

let fake: FakeUpwork;
let dir: string;
let test: TestContext;
let backend: UpworkBackend;

beforeEach(async () => {
  test = createTestContext({ id: 'upwork' });
  test.clock.set(NOW);
  fake = await FakeUpwork.start({ now: () => test.clock.now().getTime(), accessTtlSeconds: 30 * 86_400 });
  fake.contracts = [{ id: '38201457', title: 'Acme checkout redesign', client: 'Acme Corp' }];
  fake.addSession('38201457', '2026-11-16T09:00:00Z', 60);
  dir = await mkdtemp(join(tmpdir(), 'dash-upwork-schedule-'));
  await writeTokenFile(join(dir, 'token.json'), fake.issueTokens(), new Date(NOW));
  const options = UpworkOptionsSchema.parse(fake.backendOptions({ token_file: join(dir, 'token.json') }));
  backend = createUpworkBackend(options, test.context);
});
afterEach(async () => {
  await backend.dispose?.();
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

/** GraphQL fields asked for by one sync after moving the clock `ms` forward. */
async function syncAfter(ms: number): Promise<Record<string, number>> {
  test.clock.advance(ms);
  const before = { ...fake.counts.fields };
  await backend.sync({ ...WEEK, signal: new AbortController().signal });
  return Object.fromEntries(Object.entries(fake.counts.fields).map(([field, count]) => [field, count - (before[field] ?? 0)]).filter(([, count]) => count !== 0));
}

const discovered = (fields: Record<string, number>) => fields.talentWorkHistory ?? 0;

describe('contract discovery', () => {
  it('runs once, is reused for 6 hours, and runs again after them', async () => {
    expect(discovered(await syncAfter(0))).toBe(1);
    expect(discovered(await syncAfter(3 * HOUR))).toBe(0);
    expect(discovered(await syncAfter(3 * HOUR - MINUTE))).toBe(0); // 5 h 59 min after discovery
    expect(discovered(await syncAfter(MINUTE))).toBe(1); // 6 h after it
    expect(discovered(await syncAfter(MINUTE))).toBe(0);
  });

  it('picks up a contract added meanwhile once the 6 hours are over', async () => {
    await syncAfter(0);
    fake.contracts.push({ id: '38209999', title: 'Globex audit', client: 'Globex' });
    fake.addSession('38209999', '2026-11-18T09:00:00Z', 30);
    await syncAfter(HOUR);
    expect(test.context.store.entries().map((entry) => entry.project?.key)).toEqual(['38201457']);
    await syncAfter(5 * HOUR);
    expect(test.context.store.entries().map((entry) => entry.project?.key).sort()).toEqual(['38201457', '38209999']);
  });
});

describe('work diary re-fetch', () => {
  it('fetches a past day again only after an hour; today and yesterday on every sync', async () => {
    // Monday has time (workDays says so); Tuesday (yesterday) and Wednesday (today) are always fetched.
    expect((await syncAfter(0)).workDiaryContract).toBe(3);
    expect((await syncAfter(59 * MINUTE)).workDiaryContract).toBe(2);
    const later = await syncAfter(2 * MINUTE); // 61 min after Monday was fetched
    expect(later.workDiaryContract).toBe(3);
  });

  it('shows manual time added to a past day after at most an hour', async () => {
    await syncAfter(0);
    fake.addSession('38201457', '2026-11-16T14:00:00Z', 30);
    await syncAfter(30 * MINUTE);
    expect(test.context.store.entries()).toHaveLength(1);
    await syncAfter(31 * MINUTE);
    expect(test.context.store.entries().map((entry) => entry.start)).toEqual(['2026-11-16T09:00:00Z', '2026-11-16T14:00:00Z']);
  });
});

describe('access token refresh', () => {
  it('refreshes once the access token expires within 5 minutes, not before', async () => {
    // This pair expires 5 min 1 s after NOW (the fake server would still take it for 30 days).
    await writeTokenFile(join(dir, 'token.json'), { ...fake.issueTokens(), expires_in: 301 }, new Date(NOW));
    const options = UpworkOptionsSchema.parse(fake.backendOptions({ token_file: join(dir, 'token.json'), contracts: ['38201457'] }));
    backend = createUpworkBackend(options, test.context);
    await syncAfter(0);
    expect(fake.counts.refreshes).toBe(0);
    await syncAfter(1_000); // exactly 5 minutes left
    expect(fake.counts.refreshes).toBe(1);
    await syncAfter(1_000); // the new pair is good for 30 days
    expect(fake.counts.refreshes).toBe(1);
  });
});
