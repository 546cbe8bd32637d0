/**
 * A time zone in which the last `hours` are all in the current week, for tests whose server
 * makes entries relative to the real clock: UTC, unless the test runs in the first hours of a UTC
 * week (Monday from 00:00), when it is Pacific/Kiritimati (UTC+14), whose Monday began 14 hours
 * earlier. Without this, such a test fails when CI happens to run early on a Monday.
 */
export function zoneWithRecentHoursInWeek(hours = 3, nowMs = Date.now()): string {
  const now = new Date(nowMs);
  const intoUtcWeek = ((now.getUTCDay() + 6) % 7) * 24 + now.getUTCHours() + now.getUTCMinutes() / 60;
  return intoUtcWeek < hours ? 'Pacific/Kiritimati' : 'UTC';
}
