/**
 * A time zone in which the last `hours` and the next `aheadMinutes` are all in one week, for
 * tests whose server makes entries relative to the real clock: UTC, unless the run is near the
 * start of a UTC week (Sunday from 23:30 to Monday 03:00 with the defaults), when it is
 * Pacific/Kiritimati (UTC+14), whose week then is half a day old. Without this, such a test
 * fails when CI runs early on a Monday, or starts at 23:59:30 on a Sunday and crosses midnight.
 */
export function zoneWithRecentHoursInWeek(hours = 3, nowMs = Date.now(), aheadMinutes = 30): string {
  const now = new Date(nowMs);
  const intoUtcWeek = ((now.getUTCDay() + 6) % 7) * 24 + now.getUTCHours() + now.getUTCMinutes() / 60 + now.getUTCSeconds() / 3600;
  return intoUtcWeek < hours || intoUtcWeek > 7 * 24 - aheadMinutes / 60 ? 'Pacific/Kiritimati' : 'UTC';
}
