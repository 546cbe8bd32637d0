/** The zone the clock-relative tests use (support/week-zone.ts) keeps their window in one week. */
import { describe, expect, it } from 'vitest';
import { zoneWithRecentHoursInWeek } from './support/week-zone.js';

/** The Monday (as YYYY-MM-DD) of the week `ms` is in, in `zone`. */
function weekOf(ms: number, zone: string): string {
  const local = new Date(new Date(ms).toLocaleString('en-US', { timeZone: zone }) + ' UTC');
  local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  return local.toISOString().slice(0, 10);
}

describe('zoneWithRecentHoursInWeek', () => {
  it.each([
    ['2026-11-18T12:00:00Z', 'UTC'],
    ['2026-11-22T23:00:00Z', 'UTC'],
    ['2026-11-22T23:59:30Z', 'Pacific/Kiritimati'], // started on a Sunday night: the run crosses midnight
    ['2026-11-23T00:00:10Z', 'Pacific/Kiritimati'],
    ['2026-11-23T02:59:00Z', 'Pacific/Kiritimati'],
    ['2026-11-23T03:00:00Z', 'UTC'],
  ])('at %s: %s, with the last 3 hours and the next 30 minutes in one week', (at, zone) => {
    const now = Date.parse(at);
    expect(zoneWithRecentHoursInWeek(3, now)).toBe(zone);
    expect(weekOf(now - 3 * 3_600_000, zone)).toBe(weekOf(now + 30 * 60_000, zone));
  });
});
