/**
 * The InfluxDB output's line protocol (packages/dash-cli/src/outputs/influxdb/line-protocol.ts):
 * the spec's escaping examples, Dash's point for an entry, and a property: whatever strings a
 * backend sends, the line parses back (with a small parser written here from the spec, not from
 * the code under test) to exactly the values the escaping promises to keep.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { TimeEntrySchema, type TimeEntry, type z } from 'dash-core';
import { describe, expect, it } from 'vitest';
import {
  entryPoint,
  escapeKey,
  escapeMeasurement,
  escapeString,
  formatPoint,
  normalizeName,
  normalizeString,
  tombstoneLine,
  seriesOf,
  type Point,
} from '../src/outputs/influxdb/line-protocol.js';
import { REPO } from '../../../test/support/cli.js';
import { numRuns } from '../../../test/support/fc-seed.js';

interface Parsed {
  measurement: string;
  tags: [string, string][];
  fields: [string, string | number | boolean][];
  time: number;
}

/**
 * Line protocol as the spec reads: in the measurement, `\,` and `\ ` are a comma and a space; in
 * keys and tag values also `\=`; a backslash before anything else is itself. Unescaped commas,
 * spaces and `=` separate. String fields are quoted, with `\"` and `\\` inside.
 */
function parseLine(line: string): Parsed {
  let at = 0;
  const name = (stops: string, escapable: string): string => {
    let out = '';
    while (at < line.length && !stops.includes(line[at]!)) {
      if (line[at] === '\\' && at + 1 < line.length && escapable.includes(line[at + 1]!)) {
        out += line[at + 1];
        at += 2;
      } else {
        out += line[at++];
      }
    }
    return out;
  };
  const expect = (char: string) => {
    if (line[at] !== char) throw new Error(`expected ${JSON.stringify(char)} at ${at} in ${JSON.stringify(line)}`);
    at++;
  };
  const measurement = name(', ', ', ');
  const tags: [string, string][] = [];
  while (line[at] === ',') {
    at++;
    const key = name('=', ',= ');
    expect('=');
    const value = name(', ', ',= ');
    if (key === '' || value === '') throw new Error(`empty tag in ${JSON.stringify(line)}`);
    tags.push([key, value]);
  }
  expect(' ');
  const fields: Parsed['fields'] = [];
  for (;;) {
    const key = name('=', ',= ');
    expect('=');
    if (line[at] === '"') {
      at++;
      let out = '';
      while (line[at] !== '"') {
        if (at >= line.length) throw new Error(`unterminated string in ${JSON.stringify(line)}`);
        if (line[at] === '\\' && (line[at + 1] === '"' || line[at + 1] === '\\')) {
          out += line[at + 1];
          at += 2;
        } else out += line[at++];
      }
      at++;
      fields.push([key, out]);
    } else {
      const raw = name(', ', '');
      if (raw === 'true' || raw === 'false') fields.push([key, raw === 'true']);
      else if (/^-?\d+i$/.test(raw)) fields.push([key, Number(raw.slice(0, -1))]);
      else throw new Error(`bad field value ${raw}`);
    }
    if (line[at] !== ',') break;
    at++;
  }
  expect(' ');
  const time = line.slice(at);
  if (!/^-?\d+$/.test(time)) throw new Error(`bad timestamp ${time}`);
  if (line.includes('\n') || line.includes('\r')) throw new Error('a line with a newline');
  return { measurement, tags, fields, time: Number(time) };
}

describe('line protocol escaping: the spec\'s examples', () => {
  it('measurement: comma and space take a backslash, = does not', () => {
    expect(escapeMeasurement('wea,ther')).toBe('wea\\,ther');
    expect(escapeMeasurement('wea ther')).toBe('wea\\ ther');
    expect(escapeMeasurement('wea=ther')).toBe('wea=ther');
  });
  it('tag keys, tag values and field keys: comma, = and space take a backslash', () => {
    expect(escapeKey('us,midwest')).toBe('us\\,midwest');
    expect(escapeKey('loc=ation')).toBe('loc\\=ation');
    expect(escapeKey('temp erature')).toBe('temp\\ erature');
    expect(escapeKey('"quoted"')).toBe('"quoted"');
  });
  it('string field values: double quote and backslash take a backslash', () => {
    expect(escapeString('too"hot"')).toBe('"too\\"hot\\""');
    expect(escapeString('too hot\\cold')).toBe('"too hot\\\\cold"');
    expect(escapeString('')).toBe('""');
  });
  it('a literal backslash inside a name is written as is; one that would merge with an escape, or end it, is dropped', () => {
    expect(escapeKey('C:\\work')).toBe('C:\\work');
    expect(escapeKey('end\\')).toBe('end');
    expect(escapeKey('a\\\\,b')).toBe('a\\,b');
    expect(escapeMeasurement('m\\ x')).toBe('m\\ x');
    expect(normalizeName('m\\ x', 'measurement')).toBe('m x');
  });
  it('line protocol has no newlines: CR and LF become a space everywhere', () => {
    expect(escapeString('one\ntwo\r\nthree\rfour')).toBe('"one two three four"');
    expect(escapeKey('one\ntwo')).toBe('one\\ two');
    expect(normalizeString('a\r\n')).toBe('a ');
  });
  it('formats the spec\'s full example, leaves empty tags out and refuses non-integer values', () => {
    const point: Point = {
      measurement: 'my Measurement',
      tags: [
        ['tag Key1', 'tag Value1'],
        ['tag Key2', ''],
        ['tag,Key3', 'tag=Value3'],
      ],
      fields: [
        ['fieldKey', { kind: 'string', value: 'Launch 🚀 "rocket" \\ ok' }],
        ['n', { kind: 'integer', value: -3 }],
        ['b', { kind: 'boolean', value: true }],
      ],
      time: 1556813561,
    };
    expect(formatPoint(point)).toBe('my\\ Measurement,tag\\ Key1=tag\\ Value1,tag\\,Key3=tag\\=Value3 fieldKey="Launch 🚀 \\"rocket\\" \\\\ ok",n=-3i,b=true 1556813561');
    expect(() => formatPoint({ ...point, fields: [['n', { kind: 'integer', value: 1.5 }]] })).toThrow(RangeError);
    expect(() => formatPoint({ ...point, fields: [] })).toThrow(RangeError);
  });
});

const entry = (input: Partial<z.input<typeof TimeEntrySchema>> & { id: string }): TimeEntry =>
  TimeEntrySchema.parse({ source: 'toggl', start: '2026-10-25T01:30:00+02:00', end: '2026-10-25T02:15:00+01:00', ...input });

describe('a time entry as a point', () => {
  it('measurement, sorted tags (billable, client, entry, instance, project, source), seconds, description, deleted=false, start in seconds', () => {
    // 01:30 CEST (23:30Z, 1792884600) to 02:15 CET on the night the clocks go back: 1 h 45 min, not 45 min.
    const point = entryPoint(entry({ id: '42', project: { key: 'p', name: 'Acme web', client: 'Acme, Inc.' }, description: 'say "hi"', billable: true }), { measurement: 'dash_entry', instance: 'laptop' });
    expect(formatPoint(point!)).toBe(
      'dash_entry,billable=true,client=Acme\\,\\ Inc.,entry=42,instance=laptop,project=Acme\\ web,source=toggl seconds=6300i,description="say \\"hi\\"",deleted=false 1792884600',
    );
  });
  it('is the point the README shows', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const shown = /\*\*A point\*\*[^\n]*\n\n```text\n([^\n]+)\n```/.exec(readme)![1];
    const point = entryPoint(entry({ id: '42', project: { key: 'a', name: 'Acme web', client: 'Acme Inc.' }, description: 'fix "login"', billable: true }), { measurement: 'dash_entry', instance: 'laptop' });
    expect(formatPoint(point!)).toBe(shown);
  });
  it('no project: no project or client tag; a running entry has no point yet', () => {
    const line = formatPoint(entryPoint(entry({ id: 'x' }), { measurement: 'dash_entry', instance: 'i' })!);
    expect(line).toBe('dash_entry,billable=false,entry=x,instance=i,source=toggl seconds=6300i,description="",deleted=false 1792884600');
    expect(entryPoint(entry({ id: 'run', end: null }), { measurement: 'dash_entry', instance: 'i' })).toBeNull();
  });
  it('a tombstone sits at the same series and timestamp with seconds=0i and deleted=true', () => {
    const point = entryPoint(entry({ id: 'x' }), { measurement: 'dash_entry', instance: 'i' })!;
    const parsed = parseLine(tombstoneLine(seriesOf(point), point.time));
    expect(parsed.fields).toEqual([
      ['seconds', 0],
      ['description', ''],
      ['deleted', true],
    ]);
    expect(parsed.tags).toEqual(parseLine(formatPoint(point)).tags);
  });
});

const special = fc.constantFrom(',', '=', ' ', '"', '\\', '\n', '\r', '\r\n', '\t', 'é', '🚀', '\u0000', 'a', '_');
const text = fc.array(fc.oneof(special, fc.string({ unit: 'grapheme', maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 8 }).map((parts) => parts.join(''));

describe('line protocol escaping: round trip through an independent parser', () => {
  it('every name, tag value and string field parses back to its normalized value; empty tags are left out', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).filter((value) => normalizeName(value, 'measurement') !== ''),
        fc.array(fc.tuple(text, text), { maxLength: 5 }),
        fc.array(fc.tuple(text.filter((key) => normalizeName(key, 'key') !== ''), fc.oneof(text.map((value) => ({ kind: 'string' as const, value })), fc.integer().map((value) => ({ kind: 'integer' as const, value })), fc.boolean().map((value) => ({ kind: 'boolean' as const, value })))), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (measurement, tags, fields, time) => {
          const line = formatPoint({ measurement, tags, fields, time });
          const parsed = parseLine(line);
          expect(parsed.measurement).toBe(normalizeName(measurement, 'measurement'));
          expect(parsed.tags).toEqual(
            tags.map(([key, value]) => [normalizeName(key, 'key'), normalizeName(value, 'key')]).filter(([key, value]) => key !== '' && value !== ''),
          );
          expect(parsed.fields).toEqual(fields.map(([key, value]) => [normalizeName(key, 'key'), value.kind === 'string' ? normalizeString(value.value) : value.value]));
          expect(parsed.time).toBe(time);
        },
      ),
      { numRuns: numRuns(500) },
    );
  });
  it('normalizing keeps everything but newlines and ambiguous backslashes', () => {
    fc.assert(
      fc.property(text, (value) => {
        const kept = normalizeName(value, 'key');
        expect(kept).not.toMatch(/[\r\n]/);
        expect(kept.replace(/\\/g, '')).toBe(value.replace(/\r\n|[\r\n]/g, ' ').replace(/\\/g, ''));
        if (!/[\\\r\n]/.test(value)) expect(kept).toBe(value);
      }),
      { numRuns: numRuns(300) },
    );
  });
});
