/**
 * The human summary's times: "synced 2026-10-25 02:30:00" in the config's zone, read from the
 * week's hour rows (no ICU) inside the week and from the platform's zone data outside it, checked
 * against Intl.DateTimeFormat in zones with half-hour and 45-minute offsets and across a DST change.
 */
import fc from 'fast-check';
import { buildSnapshot, Store } from 'dash-core/host';
import { describe, expect, it } from 'vitest';
import { numRuns } from '../../../test/support/fc-seed.js';
import { formatSummary } from '../src/snapshot/summary.js';

const GOALS = { weekly: null, weeklyBillable: null, daily: null, dailyBillable: null };
const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/St_Johns', 'Australia/Lord_Howe', 'Pacific/Chatham'];

function expected(at: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

describe('formatSummary: local times of the sources', () => {
  it('match the zone data, inside the week (hour rows) and outside it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ZONES),
        fc.constantFrom('2026-10-25T12:00:00Z', '2026-04-05T12:00:00Z', '2026-11-18T12:00:00Z', '2026-03-08T12:00:00Z'),
        fc.integer({ min: -10 * 86_400, max: 10 * 86_400 }),
        async (zone, nowIso, offsetSeconds) => {
          const now = new Date(nowIso);
          const syncedAt = new Date(now.getTime() + offsetSeconds * 1000);
          const store = new Store();
          store.addSource('a', 'dash-plugin-a').markSynced(syncedAt);
          const snapshot = buildSnapshot(store, { now, timeZone: zone, weekStart: 'monday', goals: GOALS });
          expect(await formatSummary(snapshot)).toContain(`a: ok (synced ${expected(syncedAt, zone)})`);
        },
      ),
      { numRuns: numRuns(200) },
    );
  });
});
