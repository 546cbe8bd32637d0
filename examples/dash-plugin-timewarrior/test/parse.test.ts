import { describe, expect, it } from 'vitest';
import { parseDataFile, parseLine } from '../src/parse.js';
import { monthsBetween } from '../src/database.js';
import { entryOf, projectOf } from '../src/entries.js';

describe('parseLine (lines as timew 1.4 writes them)', () => {
  it('reads a closed interval with plain and quoted tags', () => {
    expect(parseLine('inc 20261120T081500Z - 20261120T093000Z # acme "tag 2"')).toEqual({
      start: '2026-11-20T08:15:00Z',
      end: '2026-11-20T09:30:00Z',
      tags: ['acme', 'tag 2'],
      annotation: '',
    });
  });
  it('reads an open interval (no end)', () => {
    expect(parseLine('inc 20261122T015719Z # foo')).toEqual({ start: '2026-11-22T01:57:19Z', end: null, tags: ['foo'], annotation: '' });
  });
  it('reads escapes, # inside tags and annotations', () => {
    expect(parseLine('inc 20261120T080000Z - 20261120T090000Z # a#b back\\slash "say \\"hi\\""')!.tags).toEqual(['a#b', 'back\\slash', 'say "hi"']);
    expect(parseLine('inc 20261120T100000Z - 20261120T110000Z # # "note \\"x\\" # y"')).toEqual({
      start: '2026-11-20T10:00:00Z',
      end: '2026-11-20T11:00:00Z',
      tags: [],
      annotation: 'note "x" # y',
    });
    expect(parseLine('inc 20261120T120000Z - 20261120T130000Z # tag1 # "ann"')!.annotation).toBe('ann');
    expect(parseLine('inc 20261121T100000Z - 20261121T104530Z')!.tags).toEqual([]);
  });
  it('skips what is not an interval, and counts it', () => {
    expect(parseLine('')).toBeUndefined();
    expect(parseLine('exc monday <8:00')).toBeUndefined();
    expect(parseLine('inc 2026-11-20 - x')).toBeUndefined();
    expect(parseDataFile('inc 20261120T081500Z - 20261120T093000Z\ngarbage\n\n')).toEqual({
      intervals: [{ start: '2026-11-20T08:15:00Z', end: '2026-11-20T09:30:00Z', tags: [], annotation: '' }],
      skipped: 1,
    });
  });
});

describe('projects from tags', () => {
  const options = { projects: { acme: { name: 'Acme website', billable: true }, globex: 'Globex API' }, default_project: 'first-tag' as const, billable_tags: ['billable'] };
  it('uses the first mapped tag, else the first tag, never a billable tag', () => {
    expect(projectOf(['zeta', 'globex'], options)!.project).toEqual({ key: 'globex', name: 'Globex API', client: null, color: null });
    expect(projectOf(['billable', 'zeta'], options)!.project.key).toBe('zeta');
    expect(projectOf(['billable'], options)).toBeNull();
    expect(projectOf(['zeta'], { ...options, default_project: 'none' })).toBeNull();
  });
  it('billable from the project or a billable tag; description from the annotation or the other tags', () => {
    const base = { start: '2026-11-20T08:00:00Z', end: '2026-11-20T09:00:00Z', annotation: '' };
    expect(entryOf({ ...base, tags: ['acme', 'review'] }, options)).toMatchObject({ billable: true, description: 'review', id: base.start });
    expect(entryOf({ ...base, tags: ['billable', 'globex'] }, options)).toMatchObject({ billable: true, description: 'billable' });
    expect(entryOf({ ...base, tags: ['globex'], annotation: 'Rate limiter' }, options)).toMatchObject({ billable: false, description: 'Rate limiter' });
  });
});

describe('monthsBetween', () => {
  it('lists the UTC months a range touches, end exclusive', () => {
    expect(monthsBetween(new Date('2026-11-30T00:00:00Z'), new Date('2026-12-07T00:00:00Z'))).toEqual(['2026-11', '2026-12']);
    expect(monthsBetween(new Date('2026-12-28T00:00:00Z'), new Date('2027-01-01T00:00:00Z'))).toEqual(['2026-12']);
    expect(monthsBetween(new Date('2026-12-28T00:00:00Z'), new Date('2027-01-04T00:00:00Z'))).toEqual(['2026-12', '2027-01']);
  });
});
