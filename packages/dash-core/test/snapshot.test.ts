import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../src/snapshot/build.js';
import { entry, H, snap, storeWith } from './support.js';

function day(snapshot: Snapshot, date: string) {
  const found = snapshot.days.find((item) => item.date === date);
  if (!found) throw new Error(`no day ${date} in ${snapshot.days.map((item) => item.date).join(',')}`);
  return found;
}

function projectSeconds(projects: Snapshot['week']['projects']): Record<string, number> {
  return Object.fromEntries(projects.map((project) => [project.key, project.seconds]));
}

/** The invariants every snapshot must hold. */
function checkSums(snapshot: Snapshot): void {
  expect(snapshot.days).toHaveLength(7);
  for (const item of snapshot.days) {
    expect(item.projects.reduce((sum, project) => sum + project.seconds, 0)).toBe(item.totalSeconds);
    expect(item.projects.reduce((sum, project) => sum + project.billableSeconds, 0)).toBe(item.billableSeconds);
    for (const hour of item.hours) expect(hour.minutes).toHaveLength(60);
  }
  expect(snapshot.days.reduce((sum, item) => sum + item.totalSeconds, 0)).toBe(snapshot.week.totalSeconds);
  expect(snapshot.days.reduce((sum, item) => sum + item.billableSeconds, 0)).toBe(snapshot.week.billableSeconds);
  expect(snapshot.week.projects.reduce((sum, project) => sum + project.seconds, 0)).toBe(snapshot.week.totalSeconds);
  expect(snapshot.week.projects.reduce((sum, project) => sum + project.billableSeconds, 0)).toBe(snapshot.week.billableSeconds);
}

describe('buildSnapshot: DST', () => {
  it('Europe/Berlin 2026-03-29 has 23 hours, split at local midnight', () => {
    // 2026-03-28 23:00 CET (+01) to 2026-03-29 05:00 CEST (+02): 5 real hours.
    const store = storeWith({ a: [entry('1', '2026-03-28T22:00:00Z', '2026-03-29T03:00:00Z', 'p')] });
    const snapshot = snap(store, { now: '2026-03-29T12:00:00Z', timeZone: 'Europe/Berlin' });
    checkSums(snapshot);
    expect(snapshot.week.start).toBe('2026-03-23');
    expect(snapshot.week.end).toBe('2026-03-29');
    expect(day(snapshot, '2026-03-28').totalSeconds).toBe(1 * H);
    expect(day(snapshot, '2026-03-29').totalSeconds).toBe(4 * H);
    expect(snapshot.week.totalSeconds).toBe(5 * H);
    const sunday = day(snapshot, '2026-03-29');
    expect(sunday.hours).toHaveLength(23);
    expect(sunday.hours.map((hour) => hour.hour)).toEqual([0, 1, ...Array.from({ length: 21 }, (_, index) => index + 3)]);
    expect(sunday.hours[2]!.start).toBe('2026-03-29T03:00:00+02:00');
    // 00:00-01:00, 01:00-02:00 (=03:00 CEST), 03:00-04:00, 04:00-05:00 are tracked.
    expect(sunday.hours.slice(0, 4).every((hour) => hour.minutes.every((cell) => cell === 'a:p'))).toBe(true);
    expect(sunday.hours.slice(4).every((hour) => hour.minutes.every((cell) => cell === null))).toBe(true);
    expect(day(snapshot, '2026-03-28').hours).toHaveLength(24);
    expect(day(snapshot, '2026-03-28').hours[23]!.minutes.every((cell) => cell === 'a:p')).toBe(true);
  });

  it('Europe/Berlin 2026-10-25 has 25 hours; a whole-day entry counts 25 h', () => {
    const store = storeWith({ a: [entry('1', '2026-10-24T22:00:00Z', '2026-10-25T23:00:00Z', 'p', { billable: true })] });
    const snapshot = snap(store, { now: '2026-10-27T10:00:00Z', week: new Date('2026-10-25T12:00:00Z'), timeZone: 'Europe/Berlin' });
    checkSums(snapshot);
    expect(snapshot.week.start).toBe('2026-10-19');
    const sunday = day(snapshot, '2026-10-25');
    expect(sunday.totalSeconds).toBe(25 * H);
    expect(sunday.billableSeconds).toBe(25 * H);
    expect(snapshot.week.totalSeconds).toBe(25 * H);
    expect(sunday.hours).toHaveLength(25);
    expect(sunday.hours.map((hour) => hour.hour)).toEqual([0, 1, 2, 2, ...Array.from({ length: 21 }, (_, index) => index + 3)]);
    expect(sunday.hours[2]!.start).toBe('2026-10-25T02:00:00+02:00');
    expect(sunday.hours[3]!.start).toBe('2026-10-25T02:00:00+01:00');
    expect(sunday.hours.every((hour) => hour.minutes.every((cell) => cell === 'a:p'))).toBe(true);
  });

  it('America/New_York: 2026-03-08 has 23 hours and 2026-11-01 has 25', () => {
    const store = storeWith({
      a: [
        // 2026-03-08 00:30 EST to 04:30 EDT: 3 real hours.
        entry('spring', '2026-03-08T05:30:00Z', '2026-03-08T08:30:00Z', 'p'),
        // 2026-11-01 00:30 EDT to 02:30 EST: 3 real hours.
        entry('fall', '2026-11-01T04:30:00Z', '2026-11-01T07:30:00Z', 'p'),
      ],
    });
    const spring = snap(store, { now: '2026-03-09T00:00:00Z', week: new Date('2026-03-08T12:00:00Z'), timeZone: 'America/New_York' });
    checkSums(spring);
    expect(day(spring, '2026-03-08').totalSeconds).toBe(3 * H);
    expect(day(spring, '2026-03-08').hours).toHaveLength(23);
    expect(day(spring, '2026-03-08').hours.map((hour) => hour.hour).slice(0, 4)).toEqual([0, 1, 3, 4]);
    const fall = snap(store, { now: '2026-11-02T12:00:00Z', week: new Date('2026-11-01T12:00:00Z'), timeZone: 'America/New_York' });
    checkSums(fall);
    expect(day(fall, '2026-11-01').totalSeconds).toBe(3 * H);
    expect(day(fall, '2026-11-01').hours).toHaveLength(25);
    expect(day(fall, '2026-11-01').hours.map((hour) => hour.hour).slice(0, 5)).toEqual([0, 1, 1, 2, 3]);
    // 00:30 to 02:30 local wall clock is 3 h of rows: rows 0 (half), 1, 2, 3 (half).
    const rows = day(fall, '2026-11-01').hours;
    expect(rows[0]!.minutes.filter(Boolean)).toHaveLength(30);
    expect(rows[1]!.minutes.filter(Boolean)).toHaveLength(60);
    expect(rows[2]!.minutes.filter(Boolean)).toHaveLength(60);
    expect(rows[3]!.minutes.filter(Boolean)).toHaveLength(30);
  });
});

describe('buildSnapshot: half-hour DST (Australia/Lord_Howe)', () => {
  it('2026-04-05 has 24.5 hours: 25 rows, hour 1 twice, the last row half a row', () => {
    // Clocks go back from 02:00 +11:00 to 01:30 +10:30; the day is 13:00Z to 13:30Z next day.
    const store = storeWith({ a: [entry('1', '2026-04-04T13:00:00Z', '2026-04-05T13:30:00Z', 'p')] });
    const snapshot = snap(store, { now: '2026-04-06T00:00:00Z', week: new Date('2026-04-05T06:00:00Z'), timeZone: 'Australia/Lord_Howe' });
    checkSums(snapshot);
    const sunday = day(snapshot, '2026-04-05');
    expect(sunday.totalSeconds).toBe(24.5 * H);
    expect(sunday.hours).toHaveLength(25);
    expect(sunday.hours.map((hour) => hour.hour)).toEqual([0, 1, 1, ...Array.from({ length: 22 }, (_, index) => index + 2)]);
    expect(sunday.hours.slice(0, 3).map((hour) => hour.start)).toEqual(['2026-04-05T00:00:00+11:00', '2026-04-05T01:00:00+11:00', '2026-04-05T01:30:00+10:30']);
    const last = sunday.hours[24]!;
    expect(last.start).toBe('2026-04-05T23:30:00+10:30');
    // Only 23:30 to midnight is in the day: 30 tracked minutes, then 30 empty cells.
    expect(last.minutes).toEqual([...new Array(30).fill('a:p'), ...new Array(30).fill(null)]);
  });

  it('2026-10-04 has 23.5 hours: 24 rows, 02:00-02:30 skipped, the last row half a row', () => {
    const store = storeWith({ a: [entry('1', '2026-10-03T13:30:00Z', '2026-10-04T13:00:00Z', 'p')] });
    const snapshot = snap(store, { now: '2026-10-05T00:00:00Z', week: new Date('2026-10-04T06:00:00Z'), timeZone: 'Australia/Lord_Howe' });
    checkSums(snapshot);
    const sunday = day(snapshot, '2026-10-04');
    expect(sunday.totalSeconds).toBe(23.5 * H);
    expect(sunday.hours).toHaveLength(24);
    expect(sunday.hours.map((hour) => hour.hour)).toEqual(Array.from({ length: 24 }, (_, index) => index));
    expect(sunday.hours[2]!.start).toBe('2026-10-04T02:30:00+11:00');
    expect(sunday.hours[23]!.start).toBe('2026-10-04T23:30:00+11:00');
    expect(sunday.hours[23]!.minutes).toEqual([...new Array(30).fill('a:p'), ...new Array(30).fill(null)]);
  });
});

describe('buildSnapshot: clocks that change at midnight', () => {
  it('America/Havana 2026-11-01: midnight happens twice; the day starts at the first and has 25 hours', () => {
    // 00:00-01:00 CDT (-4) is 04:00-05:00Z; then clocks go back to 00:00 CST (-5).
    const store = storeWith({ a: [entry('1', '2026-11-01T04:00:00Z', '2026-11-01T05:00:00Z', 'p'), entry('2', '2026-10-31T23:00:00Z', '2026-11-01T04:00:00Z', 'q')] });
    const snapshot = snap(store, { now: '2026-11-02T12:00:00Z', week: new Date('2026-11-01T12:00:00Z'), timeZone: 'America/Havana' });
    checkSums(snapshot);
    expect(day(snapshot, '2026-10-31').hours).toHaveLength(24);
    expect(day(snapshot, '2026-10-31').totalSeconds).toBe(5 * H); // 19:00-24:00 CDT
    const sunday = day(snapshot, '2026-11-01');
    expect(sunday.hours).toHaveLength(25);
    expect(sunday.hours.map((hour) => hour.hour).slice(0, 3)).toEqual([0, 0, 1]);
    expect(sunday.hours[0]!.start).toBe('2026-11-01T00:00:00-04:00');
    expect(sunday.totalSeconds).toBe(1 * H);
    expect(sunday.hours[0]!.minutes.every((cell) => cell === 'a:p')).toBe(true);
  });

  it('America/Havana 2026-03-08: midnight does not exist; the day starts at 01:00 and has 23 hours', () => {
    const store = storeWith({ a: [entry('1', '2026-03-08T04:30:00Z', '2026-03-08T05:30:00Z', 'p')] });
    const snapshot = snap(store, { now: '2026-03-09T12:00:00Z', week: new Date('2026-03-08T12:00:00Z'), timeZone: 'America/Havana' });
    checkSums(snapshot);
    // 04:30-05:00Z is Saturday 23:30 CST; 05:00-05:30Z is Sunday 01:00 CDT.
    expect(day(snapshot, '2026-03-07').totalSeconds).toBe(0.5 * H);
    const sunday = day(snapshot, '2026-03-08');
    expect(sunday.totalSeconds).toBe(0.5 * H);
    expect(sunday.hours).toHaveLength(23);
    expect(sunday.hours[0]).toMatchObject({ hour: 1, start: '2026-03-08T01:00:00-04:00' });
  });
});

describe('buildSnapshot: midnight and week boundaries', () => {
  it('splits an entry crossing midnight between its days', () => {
    // Tuesday 2026-11-17 22:30 to Wednesday 01:15 in UTC.
    const store = storeWith({ a: [entry('1', '2026-11-17T22:30:00Z', '2026-11-18T01:15:00Z', 'p', { billable: true })] });
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(day(snapshot, '2026-11-17').totalSeconds).toBe(1.5 * H);
    expect(day(snapshot, '2026-11-18').totalSeconds).toBe(1.25 * H);
    expect(day(snapshot, '2026-11-18').billableSeconds).toBe(1.25 * H);
    expect(snapshot.week.projects).toEqual([
      { key: 'a:p', name: 'P', client: null, color: null, source: 'a', seconds: 2.75 * H, billableSeconds: 2.75 * H },
    ]);
  });

  it('counts only the part of an entry inside the week, at both ends', () => {
    const store = storeWith({
      a: [
        // Sunday 2026-10-18 22:00 CEST to Monday 02:00 CEST: 2 h in the week of 19 October.
        entry('before', '2026-10-18T20:00:00Z', '2026-10-19T00:00:00Z', 'p'),
        // Sunday 2026-10-25 23:00 CET to Monday 01:00 CET: 1 h in it.
        entry('after', '2026-10-25T22:00:00Z', '2026-10-26T00:00:00Z', 'q'),
      ],
    });
    const snapshot = snap(store, { now: '2026-10-28T00:00:00Z', week: new Date('2026-10-22T12:00:00Z'), timeZone: 'Europe/Berlin' });
    checkSums(snapshot);
    expect(day(snapshot, '2026-10-19').totalSeconds).toBe(2 * H);
    expect(day(snapshot, '2026-10-25').totalSeconds).toBe(1 * H);
    expect(snapshot.week.totalSeconds).toBe(3 * H);
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:p': 2 * H, 'a:q': 1 * H });
    // The next week sees the rest of "after" only.
    const next = snap(store, { now: '2026-10-28T00:00:00Z', timeZone: 'Europe/Berlin' });
    checkSums(next);
    expect(next.week.start).toBe('2026-10-26');
    expect(projectSeconds(next.week.projects)).toEqual({ 'a:q': 1 * H });
  });

  it('week_start sunday', () => {
    const store = storeWith({
      a: [
        entry('sat', '2026-11-14T10:00:00Z', '2026-11-14T11:00:00Z', 'p'),
        entry('sun', '2026-11-15T10:00:00Z', '2026-11-15T12:00:00Z', 'p'),
        entry('sat2', '2026-11-21T10:00:00Z', '2026-11-21T13:00:00Z', 'p'),
      ],
    });
    const snapshot = snap(store, { now: '2026-11-22T00:00:00Z', week: new Date('2026-11-18T12:00:00Z'), timeZone: 'UTC', weekStart: 'sunday' });
    checkSums(snapshot);
    expect(snapshot.weekStart).toBe('sunday');
    expect(snapshot.week.start).toBe('2026-11-15');
    expect(snapshot.week.end).toBe('2026-11-21');
    expect(snapshot.days.map((item) => item.weekday)).toEqual(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']);
    expect(snapshot.week.totalSeconds).toBe(5 * H);
    // On a Sunday the Sunday-start week is the one that begins today.
    const sunday = snap(store, { now: '2026-11-15T13:00:00Z', timeZone: 'UTC', weekStart: 'sunday' });
    expect(sunday.week.start).toBe('2026-11-15');
    expect(sunday.today).toBe('2026-11-15');
    expect(sunday.week.totalSeconds).toBe(2 * H);
  });

  it('uses the local date for a zone east of UTC', () => {
    // 18:00Z-20:00Z on 2026-11-16 is Monday 23:30 to Tuesday 01:30 in Kolkata (+05:30).
    const store = storeWith({ a: [entry('1', '2026-11-16T18:00:00Z', '2026-11-16T20:00:00Z', 'p')] });
    const snapshot = snap(store, { now: '2026-11-18T00:00:00Z', timeZone: 'Asia/Kolkata' });
    checkSums(snapshot);
    expect(day(snapshot, '2026-11-16').totalSeconds).toBe(0.5 * H);
    expect(day(snapshot, '2026-11-17').totalSeconds).toBe(1.5 * H);
    expect(day(snapshot, '2026-11-16').hours[23]!.minutes.filter(Boolean)).toHaveLength(30);
    expect(day(snapshot, '2026-11-17').hours[1]!.minutes.filter(Boolean)).toHaveLength(30);
    expect(day(snapshot, '2026-11-17').hours[0]!.start).toBe('2026-11-17T00:00:00+05:30');
  });
});

describe('buildSnapshot: now', () => {
  it('counts a running entry up to now and reports it clocked in', () => {
    const store = storeWith({
      a: [entry('run', '2026-11-18T10:00:00Z', null, 'p', { description: 'writing', billable: true, tags: ['x'] })],
    });
    const snapshot = snap(store, { now: '2026-11-18T11:30:15Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(snapshot.generatedAt).toBe('2026-11-18T11:30:15Z');
    expect(day(snapshot, '2026-11-18').totalSeconds).toBe(5415);
    expect(snapshot.week.billableSeconds).toBe(5415);
    expect(snapshot.clockedIn).toEqual([
      {
        source: 'a',
        project: { key: 'a:p', name: 'P', client: null, color: null, source: 'a' },
        description: 'writing',
        start: '2026-11-18T10:00:00Z',
        elapsedSeconds: 5415,
        billable: true,
        tags: ['x'],
      },
    ]);
    // The minute of now is partly tracked (15 s): it still belongs to the project.
    const row = day(snapshot, '2026-11-18').hours[11]!;
    expect(row.minutes.slice(0, 31).every((cell) => cell === 'a:p')).toBe(true);
    expect(row.minutes.slice(31).every((cell) => cell === null)).toBe(true);
  });

  it('a running entry that started last week counts from the week start', () => {
    const store = storeWith({ a: [entry('run', '2026-11-15T22:00:00Z', null, null)] });
    const snapshot = snap(store, { now: '2026-11-16T01:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(snapshot.week.totalSeconds).toBe(1 * H);
    expect(snapshot.week.projects[0]!.key).toBe('a:');
    expect(snapshot.week.projects[0]!.name).toBe('(no project)');
    expect(snapshot.clockedIn[0]!.elapsedSeconds).toBe(3 * H);
    expect(snapshot.clockedIn[0]!.project).toBeNull();
  });

  it('leaves out time after now', () => {
    const store = storeWith({
      a: [
        entry('past', '2026-11-18T08:00:00Z', '2026-11-18T09:00:00Z', 'p'),
        entry('across', '2026-11-18T11:00:00Z', '2026-11-18T13:00:00Z', 'p'),
        entry('future', '2026-11-18T14:00:00Z', '2026-11-18T15:00:00Z', 'q'),
        entry('future-run', '2026-11-18T16:00:00Z', null, 'q'),
        entry('tomorrow', '2026-11-19T08:00:00Z', '2026-11-19T09:00:00Z', 'q'),
      ],
    });
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(snapshot.week.totalSeconds).toBe(2 * H);
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:p': 2 * H });
    expect(day(snapshot, '2026-11-19').totalSeconds).toBe(0);
    expect(day(snapshot, '2026-11-19').hours.every((hour) => hour.minutes.every((cell) => cell === null))).toBe(true);
    expect(snapshot.clockedIn.map((item) => item.start)).toEqual(['2026-11-18T11:00:00Z']);
  });
});

describe('buildSnapshot: whole seconds', () => {
  it('cuts sub-second parts instead of rounding them: 10:00:00.4 to 10:00:09.6 is 9 s', () => {
    const store = storeWith({ a: [entry('1', '2026-11-18T10:00:00.400Z', '2026-11-18T10:00:09.600Z', 'p')] });
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    expect(snapshot.week.totalSeconds).toBe(9);
  });

  it('a running entry started at .6 s counts whole seconds up to a now at .9 s', () => {
    const store = storeWith({ a: [entry('1', '2026-11-18T10:00:00.600Z', null, 'p')] });
    const snapshot = snap(store, { now: '2026-11-18T10:00:09.900Z', timeZone: 'UTC' });
    expect(snapshot.week.totalSeconds).toBe(9);
    expect(snapshot.clockedIn[0]).toMatchObject({ start: '2026-11-18T10:00:00Z', elapsedSeconds: 9 });
  });
});

describe('buildSnapshot: overlaps', () => {
  it('counts shared time once; the entry that started last gets it', () => {
    const store = storeWith({
      a: [entry('long', '2026-11-18T09:00:00Z', '2026-11-18T12:00:00Z', 'p', { billable: true })],
      b: [entry('short', '2026-11-18T10:00:00Z', '2026-11-18T11:00:00Z', 'q', { billable: false })],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(snapshot.week.totalSeconds).toBe(3 * H);
    expect(snapshot.week.billableSeconds).toBe(2 * H);
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:p': 2 * H, 'b:q': 1 * H });
    const rows = day(snapshot, '2026-11-18').hours;
    expect(rows[9]!.minutes.every((cell) => cell === 'a:p')).toBe(true);
    expect(rows[10]!.minutes.every((cell) => cell === 'b:q')).toBe(true);
    expect(rows[11]!.minutes.every((cell) => cell === 'a:p')).toBe(true);
  });

  it('a later start wins even when it comes from a source listed later, and before its own end', () => {
    const store = storeWith({
      a: [entry('late', '2026-11-18T10:30:00Z', '2026-11-18T11:00:00Z', 'p')],
      b: [entry('early', '2026-11-18T10:00:00Z', '2026-11-18T12:00:00Z', 'q')],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:p': 0.5 * H, 'b:q': 1.5 * H });
  });

  it('equal starts go to the source listed first', () => {
    const a = [entry('x', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'p')];
    const b = [entry('x', '2026-11-18T09:00:00Z', '2026-11-18T10:30:00Z', 'q')];
    const first = snap(storeWith({ a, b }), { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    expect(projectSeconds(first.week.projects)).toEqual({ 'a:p': 1 * H, 'b:q': 0.5 * H });
    const swapped = snap(storeWith({ b, a }), { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    expect(projectSeconds(swapped.week.projects)).toEqual({ 'b:q': 1.5 * H });
    expect(swapped.week.totalSeconds).toBe(1.5 * H);
  });

  it('equal starts in one source go to the smaller id', () => {
    const store = storeWith({
      a: [
        entry('e2', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'two'),
        entry('e1', '2026-11-18T09:00:00Z', '2026-11-18T09:45:00Z', 'one'),
      ],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:one': 0.75 * H, 'a:two': 0.25 * H });
  });

  it('ranks timers started before the week by their real start, not the week start they are cut to', () => {
    // Both timers started Sunday evening and run into Monday (the week starts Monday 00:00 UTC).
    // Cut to the week both would start at 00:00, and the smaller id ("1", the earlier timer)
    // would take everything; the timer started last (22:00) owns the overlap.
    const store = storeWith({
      a: [
        entry('1', '2026-11-15T20:00:00Z', '2026-11-16T02:00:00Z', 'early'),
        entry('2', '2026-11-15T22:00:00Z', '2026-11-16T01:00:00Z', 'late'),
      ],
    });
    const snapshot = snap(store, { now: '2026-11-16T12:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:late': 1 * H, 'a:early': 1 * H });
    const monday = day(snapshot, '2026-11-16');
    expect(monday.hours[0]!.minutes.every((cell) => cell === 'a:late')).toBe(true);
    expect(monday.hours[1]!.minutes.every((cell) => cell === 'a:early')).toBe(true);
  });

  it('an entry fully covered by a later-started one gets nothing and is not listed', () => {
    const store = storeWith({
      a: [entry('inner', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'p')],
      b: [entry('outer', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'q')],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(projectSeconds(snapshot.week.projects)).toEqual({ 'a:p': 1 * H });
  });
});

describe('buildSnapshot: minute grid', () => {
  it('gives a minute to the project with most seconds; ties to the one tracked later', () => {
    const store = storeWith({
      a: [
        // 10:00: p 40 s then q 20 s -> p
        entry('1', '2026-11-18T10:00:00Z', '2026-11-18T10:00:40Z', 'p'),
        entry('2', '2026-11-18T10:00:40Z', '2026-11-18T10:01:00Z', 'q'),
        // 10:01: p 30 s then q 30 s -> q (tie, q later)
        entry('3', '2026-11-18T10:01:00Z', '2026-11-18T10:01:30Z', 'p'),
        entry('4', '2026-11-18T10:01:30Z', '2026-11-18T10:02:00Z', 'q'),
        // 10:02: q 30 s then p 30 s -> p
        entry('5', '2026-11-18T10:02:00Z', '2026-11-18T10:02:30Z', 'q'),
        entry('6', '2026-11-18T10:02:30Z', '2026-11-18T10:03:00Z', 'p'),
        // 10:03: p 10 s, q 30 s, p 20 s -> tie 30/30, p tracked last -> p
        entry('7', '2026-11-18T10:03:00Z', '2026-11-18T10:03:10Z', 'p'),
        entry('8', '2026-11-18T10:03:10Z', '2026-11-18T10:03:40Z', 'q'),
        entry('9', '2026-11-18T10:03:40Z', '2026-11-18T10:04:00Z', 'p'),
        // 10:05: 1 s of q -> q; 10:04 and 10:06+ empty
        entry('10', '2026-11-18T10:05:59Z', '2026-11-18T10:06:00Z', 'q'),
      ],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    checkSums(snapshot);
    expect(day(snapshot, '2026-11-18').hours[10]!.minutes.slice(0, 8)).toEqual(['a:p', 'a:q', 'a:p', 'a:p', null, 'a:q', null, null]);
    expect(day(snapshot, '2026-11-18').hours[10]!.hour).toBe(10);
  });

  it('a grid cell is owned by overlap winners, not by covered entries', () => {
    const store = storeWith({
      a: [entry('long', '2026-11-18T10:00:00Z', '2026-11-18T11:00:00Z', 'p')],
      b: [entry('blip', '2026-11-18T10:10:20Z', '2026-11-18T10:11:00Z', 'q')],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    const row = day(snapshot, '2026-11-18').hours[10]!;
    expect(row.minutes[10]).toBe('b:q');
    expect(row.minutes[9]).toBe('a:p');
    expect(row.minutes[11]).toBe('a:p');
  });
});

describe('buildSnapshot: goals and projects', () => {
  it('weekly goal defaults to daily × workdays; non-workdays have goal 0; unset goals are null', () => {
    const store = storeWith({ a: [] });
    const snapshot = snap(store, {
      now: '2026-11-18T12:00:00Z',
      timeZone: 'UTC',
      goals: { weekly: null, weeklyBillable: 30 * H, daily: 8 * H, dailyBillable: null },
    });
    expect(snapshot.week.goalSeconds).toBe(40 * H);
    expect(snapshot.week.billableGoalSeconds).toBe(30 * H);
    expect(snapshot.days.map((item) => item.goalSeconds)).toEqual([8, 8, 8, 8, 8, 0, 0].map((hours) => hours * H));
    expect(snapshot.days.every((item) => item.billableGoalSeconds === null)).toBe(true);
    const custom = snap(store, {
      now: '2026-11-18T12:00:00Z',
      timeZone: 'UTC',
      workdays: ['monday', 'tuesday', 'wednesday', 'thursday'],
      goals: { weekly: null, weeklyBillable: null, daily: 7.5 * H, dailyBillable: 6 * H },
    });
    expect(custom.week.goalSeconds).toBe(30 * H);
    expect(custom.week.billableGoalSeconds).toBe(24 * H);
    expect(custom.days.map((item) => item.goalSeconds)).toEqual([7.5, 7.5, 7.5, 7.5, 0, 0, 0].map((hours) => hours * H));
    const none = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    expect(none.week.goalSeconds).toBeNull();
    expect(none.week.billableGoalSeconds).toBeNull();
    expect(none.days.every((item) => item.goalSeconds === null && item.billableGoalSeconds === null)).toBe(true);
    const weekly = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC', goals: { weekly: 35 * H, weeklyBillable: null, daily: 8 * H, dailyBillable: null } });
    expect(weekly.week.goalSeconds).toBe(35 * H);
  });

  it('project refs carry name, client, color (config colors override) and source', () => {
    const store = storeWith({
      a: [
        { id: '1', start: '2026-11-18T09:00:00Z', end: '2026-11-18T10:00:00Z', project: { key: '42', name: 'Acme', client: 'Acme Corp', color: '#06aaf5' } },
        { id: '2', start: '2026-11-18T10:00:00Z', end: '2026-11-18T12:00:00Z', project: { key: '43', name: 'Globex', client: null, color: '#e36a00' } },
      ],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC', colors: { Acme: '#ffffff' } });
    checkSums(snapshot);
    expect(snapshot.week.projects).toEqual([
      { key: 'a:43', name: 'Globex', client: null, color: '#e36a00', source: 'a', seconds: 2 * H, billableSeconds: 0 },
      { key: 'a:42', name: 'Acme', client: 'Acme Corp', color: '#ffffff', source: 'a', seconds: 1 * H, billableSeconds: 0 },
    ]);
  });

  it('orders projects by seconds, then by key in code-unit order (the same in every locale)', () => {
    const store = storeWith({
      a: [
        entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'alpha'),
        entry('2', '2026-11-18T10:00:00Z', '2026-11-18T11:00:00Z', 'Zeta'),
        entry('3', '2026-11-18T11:00:00Z', '2026-11-18T11:30:00Z', 'émile'),
        entry('4', '2026-11-18T11:30:00Z', '2026-11-18T12:00:00Z', 'Émile'),
        entry('5', '2026-11-18T12:00:00Z', '2026-11-18T14:00:00Z', 'big'),
      ],
    });
    const snapshot = snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' });
    // localeCompare would give alpha before Zeta and Émile next to émile.
    expect(snapshot.week.projects.map((project) => project.key)).toEqual(['a:big', 'a:Zeta', 'a:alpha', 'a:Émile', 'a:émile']);
  });

  it('reports source statuses in config order', () => {
    const store = storeWith({ b: [], a: [] });
    store.handle('a').setStatus({ status: 'error', error: { code: 'NETWORK', message: 'down' } });
    store.handle('b').markSynced(new Date('2026-11-18T11:00:00Z'));
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    expect(snapshot.sources).toEqual([
      { id: 'b', plugin: 'dash-plugin-b', status: 'ok', lastSyncAt: '2026-11-18T11:00:00.000Z', error: null, rateLimitedUntil: null, staleSince: null },
      { id: 'a', plugin: 'dash-plugin-a', status: 'error', lastSyncAt: null, error: { code: 'NETWORK', message: 'down' }, rateLimitedUntil: null, staleSince: null },
    ]);
    expect(snapshot.schemaVersion).toBe(1);
    expect(snapshot.timezone).toBe('UTC');
  });
});
