import { toEpochSeconds, type TimeEntry } from 'dash-core';

/**
 * InfluxDB line protocol (docs.influxdata.com, "Line protocol reference"), for the points Dash
 * writes: one point per finished time entry.
 *
 *   <measurement>[,<tag>=<value>…] <field>=<value>[,…] <timestamp>
 *
 * Escaping, as the spec says and as InfluxDB 1.6 and VictoriaMetrics read it (both checked in
 * test/outputs-influx-*.test.ts):
 * - measurement: comma and space take a backslash;
 * - tag keys, tag values (and field keys): comma, `=` and space take a backslash; any other
 *   backslash is literal, so it is written as is;
 * - string field values: in double quotes, `"` and `\` take a backslash;
 * - line protocol has no newline in any value: CR and LF become a space;
 * - a backslash that would end a name or tag value, or stand before a character Dash escapes,
 *   cannot be written unambiguously (InfluxDB 1.x rejects `a\\,` and `a\ `): it is dropped;
 * - an empty tag value is not allowed: the tag is left out.
 */

const NEWLINES = /\r\n|[\r\n]/g;

/** Backslashes that would merge with the escape that follows, or end the value (see above). */
function dropAmbiguousBackslashes(value: string, special: RegExp): string {
  let out = '';
  for (let index = 0; index < value.length; index++) {
    const char = value[index]!;
    if (char === '\\') {
      let run = index;
      while (value[run] === '\\') run++;
      const next = value[run];
      // A run of backslashes before a special character or the end is dropped whole.
      if (next === undefined || special.test(next)) {
        index = run - 1;
        continue;
      }
    }
    out += char;
  }
  return out;
}

const NEEDS_NORMALIZING = /[\\\r\n]/;
const MEASUREMENT_SPECIAL = /^[, ]$/;
const KEY_SPECIAL = /^[,= ]$/;

/** The value a name or tag value ends up as in the database (what the escaping keeps). */
export function normalizeName(value: string, kind: 'measurement' | 'key'): string {
  if (!NEEDS_NORMALIZING.test(value)) return value;
  return dropAmbiguousBackslashes(value.replace(NEWLINES, ' '), kind === 'measurement' ? MEASUREMENT_SPECIAL : KEY_SPECIAL);
}

export function escapeMeasurement(name: string): string {
  const value = normalizeName(name, 'measurement');
  return /[, ]/.test(value) ? value.replace(/[, ]/g, (char) => `\\${char}`) : value;
}

/** Tag keys, tag values and field keys. */
export function escapeKey(value: string): string {
  const kept = normalizeName(value, 'key');
  return /[,= ]/.test(kept) ? kept.replace(/[,= ]/g, (char) => `\\${char}`) : kept;
}

/** The value a string field ends up as in the database. */
export function normalizeString(value: string): string {
  return value.replace(NEWLINES, ' ');
}

/** A string field value, quotes included. */
export function escapeString(value: string): string {
  if (!/["\\\r\n]/.test(value)) return `"${value}"`;
  return `"${normalizeString(value).replace(/["\\]/g, (char) => `\\${char}`)}"`;
}

export type FieldValue = { kind: 'integer'; value: number } | { kind: 'string'; value: string } | { kind: 'boolean'; value: boolean };

export interface Point {
  measurement: string;
  /** In the order written (Dash sorts them by key, as the spec advises). Empty values are left out. */
  tags: readonly (readonly [string, string])[];
  fields: readonly (readonly [string, FieldValue])[];
  /** Seconds since the epoch (the writer asks for precision=s). */
  time: number;
}

function formatField(value: FieldValue): string {
  switch (value.kind) {
    case 'integer':
      if (!Number.isSafeInteger(value.value)) throw new RangeError(`not an integer field value: ${value.value}`);
      return `${value.value}i`;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'string':
      return escapeString(value.value);
  }
}

/** The series key: measurement and tag set, escaped. With the timestamp it is a point's identity. */
export function seriesOf(point: Pick<Point, 'measurement' | 'tags'>): string {
  const tags = point.tags
    .map(([key, value]) => [escapeKey(key), escapeKey(value)] as const)
    .filter(([key, value]) => key !== '' && value !== '')
    .map(([key, value]) => `,${key}=${value}`)
    .join('');
  return `${escapeMeasurement(point.measurement)}${tags}`;
}

export function formatFields(fields: Point['fields']): string {
  if (fields.length === 0) throw new RangeError('a point needs at least one field');
  return fields.map(([key, value]) => `${escapeKey(key)}=${formatField(value)}`).join(',');
}

/** One line, without its newline. */
export function formatPoint(point: Point): string {
  if (!Number.isSafeInteger(point.time)) throw new RangeError(`not a timestamp: ${point.time}`);
  return `${seriesOf(point)} ${formatFields(point.fields)} ${point.time}`;
}

/** The options that shape Dash's points. */
export interface EntryPointOptions {
  measurement: string;
  /** The `instance` tag: which Dash install wrote it. */
  instance: string;
}

/**
 * A finished entry as a point:
 *   measurement (default dash_entry),
 *   tags billable, client, entry (the entry id), instance, project (the project's name), source,
 *   fields seconds (integer), description (string), deleted=false,
 *   timestamp = the entry's start in seconds.
 * The entry id is a tag, so each entry is its own series: two entries that start in the same
 * second never overwrite each other, and re-writing an entry overwrites its own point.
 * A running entry (no end) has no point yet: it is written when it stops.
 */
export function entryPoint(entry: TimeEntry, options: EntryPointOptions): Point | null {
  if (entry.end === null) return null;
  const start = toEpochSeconds(entry.start);
  const seconds = Math.max(0, toEpochSeconds(entry.end) - start);
  return {
    measurement: options.measurement,
    tags: entryTags(entry.source, entry.id, options.instance, entryTagValues(entry)),
    fields: [
      ['seconds', { kind: 'integer', value: seconds }],
      ['description', { kind: 'string', value: entry.description }],
      ['deleted', { kind: 'boolean', value: false }],
    ],
    time: start,
  };
}

/** The tag values that an entry's edits can change: billable, client, project. */
export type EntryTagValues = readonly [billable: string, client: string, project: string];

export function entryTagValues(entry: TimeEntry): EntryTagValues {
  return [entry.billable ? 'true' : 'false', entry.project?.client ?? '', entry.project?.name ?? ''];
}

/** An entry's tag set, sorted by key. */
export function entryTags(source: string, id: string, instance: string, [billable, client, project]: EntryTagValues): Point['tags'] {
  return [
    ['billable', billable],
    ['client', client],
    ['entry', id],
    ['instance', instance],
    ['project', project],
    ['source', source],
  ];
}

/** The fields of a tombstone: what an entry's old point is overwritten with when it is edited away or deleted. */
export const TOMBSTONE_FIELDS = `seconds=0i,description="",deleted=true`;

/** The line that overwrites the point at `series` and `time` with a tombstone. */
export function tombstoneLine(series: string, time: number): string {
  return `${series} ${TOMBSTONE_FIELDS} ${time}`;
}
