import { createHash } from 'node:crypto';
import type { TimeEntry } from 'dash-core';
import { entryPoint, entryTags, entryTagValues, formatFields, normalizeName, seriesOf, tombstoneLine, type EntryPointOptions } from './line-protocol.js';
import type { PendingOp, WriteRecord, WrittenPoint } from './record.js';

/**
 * From what the store holds now and what was written before, the operations that bring the
 * database up to date (the edit and delete rule of the README, "InfluxDB and Grafana"):
 * - a new entry, or one whose point changed: its line is written (same series and timestamp
 *   overwrite the old point in InfluxDB);
 * - an entry whose series or timestamp changed (start moved, project, client or billable
 *   edited), or that is gone from the store while its source still has entries: its old point
 *   is removed, then the new one written.
 *   Removing is, with `server = "influxdb"`, a tombstone at the old point's place
 *   (seconds=0i, description="", deleted=true); with `server = "victoriametrics"`, a delete of the
 *   entry's series (VictoriaMetrics keeps every sample, so a tombstone would add, not replace).
 * Running entries have no point (entryPoint): an entry that was written and is running again
 * keeps its point until it stops.
 */
export type RemoveRule = 'tombstone' | 'delete-series';

export interface PlanOptions extends EntryPointOptions {
  remove: RemoveRule;
}

/** The key of an entry in the record: its source and id. */
export function entryKey(entry: Pick<TimeEntry, 'source' | 'id'>): string {
  return `${entry.source}\u0000${entry.id}`;
}

/** A point's identity, short: a hash of its series key and timestamp. */
function pointKey(series: string, time: number): string {
  return hashOf(`${series} ${time}`);
}

/** The series key of what the record says was written for `key`. */
function writtenSeries(key: string, old: WrittenPoint, options: PlanOptions): string {
  const cut = key.indexOf('\u0000');
  return seriesOf({ measurement: options.measurement, tags: entryTags(key.slice(0, cut), key.slice(cut + 1), options.instance, old.tags) });
}

function hashOf(line: string): string {
  return createHash('sha256').update(line).digest('base64url').slice(0, 22);
}

/** A PromQL/MetricsQL string literal. */
function promString(value: string): string {
  return `"${value.replace(/[\\"]/g, (char) => `\\${char}`).replace(/\n/g, '\\n')}"`;
}

/**
 * The selector of one entry's series in VictoriaMetrics (every field metric of the measurement),
 * with the label values as the database stores them. An empty label and a missing one are the
 * same to VictoriaMetrics.
 */
export function seriesSelector(measurement: string, key: string, instance: string): string {
  const cut = key.indexOf('\u0000');
  const labels = [
    ['source', key.slice(0, cut)],
    ['entry', key.slice(cut + 1)],
    ['instance', instance],
  ].map(([name, value]) => `${name}=${promString(normalizeName(value!, 'key'))}`);
  return `{${[`__name__=~${promString(`${measurement}_.*`)}`, ...labels].join(',')}}`;
}

export interface Plan {
  ops: PendingOp[];
  /** The record's `written` after the ops are applied. */
  written: Map<string, WrittenPoint>;
  /** Counts, for logs and tests. */
  writes: number;
  removals: number;
}

interface PlannedEntry {
  line: string;
  series: string;
  point: WrittenPoint;
}

/**
 * What each entry becomes, kept for as long as the store keeps the same entry object (an edit
 * replaces the object): a store change then costs a lookup per unchanged entry, not a format.
 * One per output: the lines depend on its options.
 */
export type PlanMemo = WeakMap<TimeEntry, PlannedEntry>;

function planEntry(entry: TimeEntry, options: PlanOptions): PlannedEntry | null {
  const point = entryPoint(entry, options);
  if (point === null) return null;
  const series = seriesOf(point);
  const line = `${series} ${formatFields(point.fields)} ${point.time}`;
  return { line, series, point: { time: point.time, tags: entryTagValues(entry), hash: hashOf(line) } };
}

export function planChanges(entries: readonly TimeEntry[], written: ReadonlyMap<string, WrittenPoint>, options: PlanOptions, memo?: PlanMemo): Plan {
  const next = new Map<string, WrittenPoint>();
  const ops: PendingOp[] = [];
  let writes = 0;
  let removals = 0;
  const remove = (key: string, old: WrittenPoint) => {
    removals++;
    if (options.remove === 'delete-series') ops.push({ kind: 'delete', match: seriesSelector(options.measurement, key, options.instance) });
    else {
      const series = writtenSeries(key, old, options);
      ops.push({ kind: 'write', key: pointKey(series, old.time), line: tombstoneLine(series, old.time) });
    }
  };

  for (const entry of entries) {
    const key = entryKey(entry);
    if (next.has(key)) continue; // the store holds one entry per source and id; keep the first if not
    const old = written.get(key);
    const planned = memo?.get(entry) ?? planEntry(entry, options);
    if (planned === null) {
      // Running: whatever was written for it stays until it stops.
      if (old) next.set(key, old);
      continue;
    }
    memo?.set(entry, planned);
    const { line, series, point: now } = planned;
    next.set(key, now);
    if (old?.hash === now.hash) continue;
    if (old) {
      const samePlace = old.time === now.time && old.tags.every((value, index) => value === now.tags[index]);
      // VictoriaMetrics: even an overwrite in place needs the old sample deleted first.
      if (!samePlace || options.remove === 'delete-series') remove(key, old);
    }
    writes++;
    ops.push({ kind: 'write', key: pointKey(series, now.time), line });
  }
  // Gone from the store: deleted upstream, if its source still has entries. A source with none
  // (a store not loaded yet, a backend taken out of the config, a wiped cache) keeps its points.
  const sources = new Set(entries.map((entry) => entry.source));
  for (const [key, old] of written) {
    if (next.has(key)) continue;
    if (sources.has(key.slice(0, key.indexOf('\u0000')))) remove(key, old);
    else next.set(key, old);
  }
  return { ops, written: next, writes, removals };
}

/**
 * Adds `ops` to the pending queue. A pending write that a newer write to the same point
 * supersedes is dropped (the database would overwrite it anyway); order is otherwise kept.
 */
export function enqueue(record: WriteRecord, ops: readonly PendingOp[]): void {
  if (ops.length === 0) return;
  const superseded = new Set(ops.flatMap((op) => (op.kind === 'write' ? [op.key] : [])));
  const hasDelete = ops.some((op) => op.kind === 'delete');
  // With deletes in play, order between a delete and earlier writes matters: keep everything.
  record.pending = hasDelete ? [...record.pending, ...ops] : [...record.pending.filter((op) => op.kind !== 'write' || !superseded.has(op.key)), ...ops];
}
