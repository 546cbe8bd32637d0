/**
 * buildSnapshot against a naive, independent calculation: every tracked second is looked at on
 * its own, its owner picked by the documented overlap rule, its local date and hour read from a
 * fresh Intl.DateTimeFormat for that second (the implementation instead searches each day's
 * bounds and hour rows once, in calendar.ts, and reads the cached week table on the light path).
 */
import fc from 'fast-check';
import { numRuns } from '../../../test/support/fc-seed.js';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type Weekday } from '../src/calendar.js';
import { buildSnapshot } from '../src/snapshot/build.js';
import { Store } from '../src/store.js';
import { NO_GOALS } from './support.js';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'America/St_Johns',
  'America/Havana', // clocks change at midnight: 2026-03-08 has no 00:00, 2026-11-01 has two
  'America/Santiago', // DST starts at midnight (2026-09-06 has no 00:00), ends at 24:00 -> 23:00
  'Asia/Beirut', // both changes at midnight
  'Africa/Cairo',
] as const;

/** Instants near DST changes and week boundaries (UTC). */
const ANCHORS = [
  '2026-03-29T01:00:00Z', // Europe: spring forward (Sunday)
  '2026-10-25T01:00:00Z', // Europe: fall back (Sunday)
  '2026-03-08T07:00:00Z', // US: spring forward
  '2026-11-01T06:00:00Z', // US: fall back
  '2026-04-04T16:00:00Z', // Australia: fall back
  '2026-10-03T16:00:00Z', // Australia: spring forward
  '2026-09-26T14:00:00Z', // Chatham: spring forward
  '2026-03-08T05:00:00Z', // Havana: spring forward at midnight
  '2026-09-06T04:00:00Z', // Santiago: spring forward at midnight
  '2026-04-05T03:00:00Z', // Santiago: 24:00 -> 23:00
  '2026-03-28T22:00:00Z', // Beirut: 00:00 -> 01:00
  '2026-10-24T21:00:00Z', // Beirut: 00:00 -> 23:00 the day before
  '2026-10-29T21:00:00Z', // Cairo: 24:00 -> 23:00
  '2026-11-16T00:00:00Z', // a Monday, no DST
].map((iso) => Date.parse(iso) / 1000);

const DAY = 86_400;

// ---------------------------------------------------------------- naive calendar (Intl only)

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let found = formatters.get(timeZone);
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
      weekday: 'long',
    });
    formatters.set(timeZone, found);
  }
  return found;
}

interface Local {
  date: string;
  hour: number;
  weekday: Weekday;
}

const localCaches = new Map<string, Map<number, Local>>();
/** Local date, hour and weekday of an instant; offsets only change on whole minutes. */
function local(epochSeconds: number, timeZone: string): Local {
  const minute = Math.floor(epochSeconds / 60);
  let localCache = localCaches.get(timeZone);
  if (!localCache) localCaches.set(timeZone, (localCache = new Map()));
  let found = localCache.get(minute);
  if (!found) {
    const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(minute * 60_000)).map((part) => [part.type, part.value]));
    found = {
      date: `${parts.year}-${parts.month}-${parts.day}`,
      hour: Number(parts.hour),
      weekday: parts.weekday!.toLowerCase() as Weekday,
    };
    if (localCache.size > 200_000) localCache.clear();
    localCache.set(minute, found);
  }
  return found;
}

function shiftDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY * 1000).toISOString().slice(0, 10);
}

/** The first second whose local date is `date` (binary search over minutes; local dates only grow). */
function dayStart(date: string, timeZone: string): number {
  let lo = Date.parse(`${date}T00:00:00Z`) / 60_000 - 15 * 60;
  let hi = lo + 30 * 60;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (local(mid * 60, timeZone).date >= date) hi = mid;
    else lo = mid + 1;
  }
  return lo * 60;
}

// ---------------------------------------------------------------- generated input

interface GenEntry {
  source: number;
  start: number;
  end: number | null;
  project: string | null;
  billable: boolean;
}

interface Case {
  zone: string;
  weekStart: Weekday;
  now: number;
  sources: string[];
  entries: GenEntry[];
}

const caseArbitrary: fc.Arbitrary<Case> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    weekStart: fc.constantFrom(...WEEKDAYS),
    anchor: fc.constantFrom(...ANCHORS),
    shift: fc.integer({ min: -4 * DAY, max: 4 * DAY }),
    sources: fc.shuffledSubarray(['toggl', 'upwork', 'extra'], { minLength: 1 }),
    raw: fc.array(
      fc.record({
        source: fc.nat(2),
        back: fc.integer({ min: -2 * 3600, max: 8 * DAY }),
        grain: fc.constantFrom(1, 1, 30, 60, 900),
        length: fc.integer({ min: 1, max: 3 * 3600 }),
        running: fc.boolean(),
        runningBias: fc.nat(5),
        project: fc.constantFrom('p', 'q', 'r', null),
        billable: fc.boolean(),
      }),
      { maxLength: 10 },
    ),
  })
  .map(({ zone, weekStart, anchor, shift, sources, raw }) => {
    const now = anchor + shift;
    const entries = raw.map((item) => {
      const start = Math.floor((now - item.back) / item.grain) * item.grain;
      const running = item.running && item.runningBias === 0;
      return {
        source: item.source % sources.length,
        start,
        end: running ? null : start + Math.max(item.grain, Math.floor(item.length / item.grain) * item.grain),
        project: item.project,
        billable: item.billable,
      };
    });
    return { zone, weekStart, now, sources, entries };
  });

// ---------------------------------------------------------------- the naive snapshot

interface Naive {
  weekDates: string[];
  days: Map<string, { total: number; billable: number; projects: Map<string, { seconds: number; billable: number }> }>;
  week: { total: number; billable: number; projects: Map<string, { seconds: number; billable: number }> };
  grids: Map<string, { rows: number; hours: number[]; cells: (string | null)[] }>;
  clockedIn: { source: string; elapsed: number }[];
}

function naive(input: Case): Naive {
  const { zone, now } = input;
  const today = local(now, zone);
  const back = (WEEKDAYS.indexOf(today.weekday) - WEEKDAYS.indexOf(input.weekStart) + 7) % 7;
  const weekDates = Array.from({ length: 7 }, (_, index) => shiftDate(today.date, index - back));
  const starts = new Map([...weekDates, shiftDate(weekDates[6]!, 1)].map((date) => [date, dayStart(date, zone)]));

  const items = input.entries.map((item, index) => ({
    ...item,
    id: `e${index}`,
    key: `${input.sources[item.source]}:${item.project ?? ''}`,
    until: Math.min(item.end ?? now, now),
  }));
  const wins = (a: (typeof items)[number], b: (typeof items)[number]) =>
    a.start !== b.start ? a.start > b.start : a.source !== b.source ? a.source < b.source : a.id < b.id;

  const days: Naive['days'] = new Map(weekDates.map((date) => [date, { total: 0, billable: 0, projects: new Map() }]));
  const week: Naive['week'] = { total: 0, billable: 0, projects: new Map() };
  const tallies = new Map<string, Map<number, Map<string, { count: number; last: number }>>>();
  const bump = (map: Map<string, { seconds: number; billable: number }>, key: string, billable: boolean) => {
    const value = map.get(key) ?? { seconds: 0, billable: 0 };
    value.seconds++;
    if (billable) value.billable++;
    map.set(key, value);
  };

  // Only the seconds some entry covers.
  const intervals = items.filter((item) => item.until > item.start).map((item) => [item.start, item.until] as const).sort((a, b) => a[0] - b[0]);
  let cursor = -Infinity;
  const covered: [number, number][] = [];
  for (const [from, to] of intervals) {
    if (Math.max(from, cursor) < to) covered.push([Math.max(from, cursor), to]);
    cursor = Math.max(cursor, to);
  }
  for (const [from, to] of covered) for (let t = from; t < to; t++) {
    let owner: (typeof items)[number] | undefined;
    for (const item of items) if (item.start <= t && t < item.until && (!owner || wins(item, owner))) owner = item;
    if (!owner) continue;
    const { date } = local(t, zone);
    const day = days.get(date);
    if (!day) continue;
    day.total++;
    week.total++;
    if (owner.billable) {
      day.billable++;
      week.billable++;
    }
    bump(day.projects, owner.key, owner.billable);
    bump(week.projects, owner.key, owner.billable);
    const cell = Math.floor((t - starts.get(date)!) / 60);
    let byCell = tallies.get(date);
    if (!byCell) tallies.set(date, (byCell = new Map()));
    let byKey = byCell.get(cell);
    if (!byKey) byCell.set(cell, (byKey = new Map()));
    const tally = byKey.get(owner.key) ?? { count: 0, last: -1 };
    tally.count++;
    tally.last = Math.max(tally.last, t);
    byKey.set(owner.key, tally);
  }

  const grids: Naive['grids'] = new Map();
  weekDates.forEach((date, index) => {
    const from = starts.get(date)!;
    const to = starts.get(index === 6 ? shiftDate(date, 1) : weekDates[index + 1]!)!;
    const rows = Math.ceil((to - from) / 3600);
    const cells: (string | null)[] = Array.from({ length: rows * 60 }, (_, cell) => {
      const byKey = tallies.get(date)?.get(cell);
      if (!byKey) return null;
      let best: [string, { count: number; last: number }] | undefined;
      for (const pair of byKey) {
        if (!best || pair[1].count > best[1].count || (pair[1].count === best[1].count && pair[1].last > best[1].last)) best = pair;
      }
      return best![0];
    });
    const hours = Array.from({ length: rows }, (_, row) => local(from + row * 3600, zone).hour);
    grids.set(date, { rows, hours, cells });
  });

  const clockedIn = items
    .filter((item) => item.start <= now && (item.end === null || item.end > now))
    .map((item) => ({ source: input.sources[item.source]!, elapsed: now - item.start }));
  return { weekDates, days, week, grids, clockedIn };
}

// ---------------------------------------------------------------- the property

function storeFor(input: Case): Store {
  const store = new Store();
  const handles = input.sources.map((id) => store.addSource(id, `dash-plugin-${id}`));
  input.entries.forEach((item, index) => {
    handles[item.source]!.upsert([
      {
        id: `e${index}`,
        start: new Date(item.start * 1000).toISOString(),
        end: item.end === null ? null : new Date(item.end * 1000).toISOString(),
        project: item.project === null ? null : { key: item.project, name: item.project },
        billable: item.billable,
      },
    ]);
  });
  return store;
}

function asRecord(map: Map<string, { seconds: number; billable: number }>): Record<string, [number, number]> {
  return Object.fromEntries([...map].map(([key, value]) => [key, [value.seconds, value.billable]]));
}

function projectsRecord(projects: { key: string; seconds: number; billableSeconds: number }[]): Record<string, [number, number]> {
  return Object.fromEntries(projects.map((project) => [project.key, [project.seconds, project.billableSeconds]]));
}

describe('buildSnapshot vs a naive second-by-second calculation', () => {
  it('agrees on days, totals, billable, projects, the minute grid and clocked-in', () => {
    fc.assert(
      fc.property(caseArbitrary, (input) => {
        const snapshot = buildSnapshot(storeFor(input), {
          now: new Date(input.now * 1000),
          timeZone: input.zone,
          weekStart: input.weekStart,
          goals: NO_GOALS,
        });
        const expected = naive(input);
        expect(snapshot.days.map((day) => day.date)).toEqual(expected.weekDates);
        expect(snapshot.week.start).toBe(expected.weekDates[0]);
        expect(snapshot.week.end).toBe(expected.weekDates[6]);
        expect(snapshot.today).toBe(local(input.now, input.zone).date);
        expect(snapshot.week.totalSeconds).toBe(expected.week.total);
        expect(snapshot.week.billableSeconds).toBe(expected.week.billable);
        expect(projectsRecord(snapshot.week.projects)).toEqual(asRecord(expected.week.projects));
        for (const day of snapshot.days) {
          const want = expected.days.get(day.date)!;
          expect({ date: day.date, total: day.totalSeconds, billable: day.billableSeconds }).toEqual({
            date: day.date,
            total: want.total,
            billable: want.billable,
          });
          expect(projectsRecord(day.projects)).toEqual(asRecord(want.projects));
          const grid = expected.grids.get(day.date)!;
          expect(day.hours).toHaveLength(grid.rows);
          expect(day.hours.map((hour) => hour.hour)).toEqual(grid.hours);
          expect(day.hours.flatMap((hour) => hour.minutes)).toEqual(grid.cells);
        }
        const clocked = snapshot.clockedIn.map((item) => ({ source: item.source, elapsed: item.elapsedSeconds }));
        const byKey = (a: { source: string; elapsed: number }, b: { source: string; elapsed: number }) =>
          a.source.localeCompare(b.source) || a.elapsed - b.elapsed;
        expect(clocked.sort(byKey)).toEqual(expected.clockedIn.sort(byKey));
      }),
      { numRuns: numRuns(80) },
    );
  });
});
