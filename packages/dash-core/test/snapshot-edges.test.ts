/**
 * Edges of buildSnapshot the mutation run (MUTATION.md) showed no test pinned: who is clocked in
 * at exactly `now`, their order, overlap ties that the store's order would otherwise decide, a
 * day boundary that gives a project zero seconds, and the key order of equal projects.
 */
import { describe, expect, it } from 'vitest';
import type { EntryInput } from '../src/model.js';
import { Store } from '../src/store.js';
import { entry, H, NO_GOALS, snap } from './support.js';

/** A store with `sources` in config order, whose entries are pushed in the order of `pushes` (not of the config). */
function storeInOrder(sources: string[], pushes: [string, EntryInput][]): Store {
  const store = new Store();
  for (const id of sources) store.addSource(id, `dash-plugin-${id}`);
  for (const [source, item] of pushes) store.handle(source).upsert([item]);
  return store;
}

const seconds = (projects: { key: string; seconds: number }[]) => Object.fromEntries(projects.map((project) => [project.key, project.seconds]));

describe('clocked in at now', () => {
  it('counts a timer started this very second (0 s) and one started a second ago (1 s)', () => {
    const store = storeInOrder(['a', 'b'], [
      ['a', entry('now', '2026-11-18T12:00:00Z', null, 'p')],
      ['b', entry('second', '2026-11-18T11:59:59Z', null, 'q')],
    ]);
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    expect(snapshot.clockedIn.map((item) => [item.source, item.elapsedSeconds])).toEqual([
      ['b', 1],
      ['a', 0],
    ]);
  });

  it('lists timers by start, then by the config order of their sources, whatever order they arrived in', () => {
    const store = storeInOrder(['z', 'a', 'm'], [
      ['m', entry('3', '2026-11-18T09:00:00Z', null, 'p')],
      ['a', entry('2', '2026-11-18T10:00:00Z', null, 'p')],
      ['z', entry('1', '2026-11-18T10:00:00Z', null, 'p')],
      ['m', entry('4', '2026-11-18T11:00:00Z', null, 'p')],
    ]);
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    expect(snapshot.clockedIn.map((item) => `${item.source}@${item.start}`)).toEqual([
      'm@2026-11-18T09:00:00Z',
      'z@2026-11-18T10:00:00Z',
      'a@2026-11-18T10:00:00Z',
      'm@2026-11-18T11:00:00Z',
    ]);
  });
});

describe('overlap ties, whatever order the entries arrived in', () => {
  it('equal starts: the source listed first in the config wins, even when its entry came last', () => {
    // Source ids against their config order (z before a), the losing entry pushed first.
    const store = storeInOrder(['z', 'a'], [
      ['a', entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'q')],
      ['z', entry('2', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'p')],
    ]);
    expect(seconds(snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' }).week.projects)).toEqual({ 'z:p': 1 * H });
  });

  it('equal starts on two sources after the first: the earlier-listed one wins, not the smaller id', () => {
    const store = storeInOrder(['a', 'b', 'c'], [
      ['c', entry('1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'r')],
      ['b', entry('2', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'q')],
    ]);
    expect(seconds(snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' }).week.projects)).toEqual({ 'b:q': 1 * H });
  });

  it('equal starts in one source: the smaller id wins, whichever came first', () => {
    const one = entry('e1', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'one');
    const two = entry('e2', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'two');
    for (const pushes of [[two, one], [one, two]]) {
      const store = storeInOrder(['a'], pushes.map((item): [string, EntryInput] => ['a', item]));
      expect(seconds(snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' }).week.projects)).toEqual({ 'a:one': 1 * H });
    }
  });

  it('a later start wins even when it came first', () => {
    const store = storeInOrder(['a'], [
      ['a', entry('late', '2026-11-18T09:30:00Z', '2026-11-18T10:00:00Z', 'late')],
      ['a', entry('early', '2026-11-18T09:00:00Z', '2026-11-18T10:00:00Z', 'early')],
    ]);
    expect(seconds(snap(store, { now: '2026-11-18T18:00:00Z', timeZone: 'UTC' }).week.projects)).toEqual({ 'a:early': 0.5 * H, 'a:late': 0.5 * H });
  });
});

describe('days and projects', () => {
  it('an entry ending at midnight is not listed on the next day with 0 seconds', () => {
    const store = storeInOrder(['a'], [['a', entry('1', '2026-11-16T22:00:00Z', '2026-11-17T00:00:00Z', 'p')]]);
    const snapshot = snap(store, { now: '2026-11-18T12:00:00Z', timeZone: 'UTC' });
    expect(snapshot.days[0]!.projects.map((project) => [project.key, project.seconds])).toEqual([['a:p', 2 * H]]);
    expect(snapshot.days.slice(1).map((day) => day.projects)).toEqual([[], [], [], [], [], []]);
  });

  it('orders projects of equal time by key, whatever order they arrived in', () => {
    const store = storeInOrder(['a'], ['d', 'b', 'c', 'a'].map((key, index): [string, EntryInput] => ['a', entry(`e${index}`, `2026-11-1${6 + index}T09:00:00Z`, `2026-11-1${6 + index}T10:00:00Z`, key)]));
    const snapshot = snap(store, { now: '2026-11-20T12:00:00Z', timeZone: 'UTC' });
    expect(snapshot.week.projects.map((project) => project.key)).toEqual(['a:a', 'a:b', 'a:c', 'a:d']);
  });
});

describe('totals only (the status line and the summary ask for no more)', () => {
  it('gives the same totals and clocked-in as the full snapshot, without hour rows or pace', () => {
    const store = storeInOrder(['a'], [
      ['a', entry('1', '2026-11-16T09:00:00Z', '2026-11-16T11:30:00Z', 'p')],
      ['a', entry('2', '2026-11-18T10:00:00Z', null, 'q')],
    ]);
    const options = { now: '2026-11-18T12:00:00Z', timeZone: 'Europe/Berlin', goals: { ...NO_GOALS, daily: 8 * H, weekly: 40 * H } };
    const full = snap(store, options);
    const totals = snap(store, { ...options, totalsOnly: true });
    expect(full.days[2]!.hours).toHaveLength(24);
    expect(full.week.pace).not.toBeNull();
    expect(totals.days.map((day) => day.hours)).toEqual([[], [], [], [], [], [], []]);
    expect(totals.week.pace).toBeNull();
    expect(totals.days.map((day) => day.pace)).toEqual([null, null, null, null, null, null, null]);
    expect(totals.week.totalSeconds).toBe(4.5 * H);
    expect(totals.week.projects).toEqual(full.week.projects);
    expect(totals.days.map((day) => day.totalSeconds)).toEqual(full.days.map((day) => day.totalSeconds));
    expect(totals.clockedIn).toEqual(full.clockedIn);
  });
});
