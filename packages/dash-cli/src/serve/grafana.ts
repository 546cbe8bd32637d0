import { toEpochSeconds } from 'dash-core';
import { type Snapshot, type SnapshotProject, type Store } from 'dash-core/host';
import type { Coverage } from './coverage.js';
import { entryRows, type EntryRow } from './entries.js';
import { HttpError } from './http.js';
import type { LiveWeek } from './live.js';
import { rangeOf, weekRange } from './query.js';

/**
 * The simPod JSON data source (simpod-json-datasource ≥ 0.6) over the store, under /grafana:
 * GET / (test connection), POST /metrics, /metric-payload-options, /query (time series and
 * tables), /variable, /tag-keys, /tag-values. Request and response shapes are the plugin's
 * openapi.yaml; every body is checked before use (400 BAD_QUERY otherwise).
 */
export interface GrafanaDeps {
  store: Store;
  live: LiveWeek;
  coverage: Coverage;
  now: () => Date;
}

type Option = { label: string; value: string };
interface Filter {
  key: string;
  operator: string;
  value: string;
}

const TAG_KEYS = ['project', 'client', 'source'] as const;
type TagKey = (typeof TAG_KEYS)[number];

const BUCKETS: Option[] = [
  { label: 'per day', value: 'day' },
  { label: 'per hour', value: 'hour' },
];
const SPLITS: Option[] = [
  { label: 'per project', value: 'project' },
  { label: 'total', value: 'total' },
];

const METRICS = [
  {
    label: 'Tracked seconds (time series)',
    value: 'tracked',
    payloads: [
      { label: 'Bucket', name: 'bucket', type: 'select', options: BUCKETS },
      { label: 'Split', name: 'split', type: 'select', options: SPLITS },
      { label: 'Project', name: 'project', type: 'multi-select' },
    ],
  },
  {
    label: 'Billable seconds (time series, per day)',
    value: 'billable',
    payloads: [
      { label: 'Split', name: 'split', type: 'select', options: SPLITS },
      { label: 'Project', name: 'project', type: 'multi-select' },
    ],
  },
  { label: 'Entries (table)', value: 'entries', payloads: [{ label: 'Project', name: 'project', type: 'multi-select' }] },
  { label: 'Projects (table: totals over the range)', value: 'projects', payloads: [] },
];

function object(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpError(400, 'BAD_QUERY', `${what} must be a JSON object`);
  return value as Record<string, unknown>;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A payload's list: an array, one value, or Grafana's interpolation of a multi-value variable ("{a,b}"). */
function strings(value: unknown): string[] {
  if (typeof value === 'string') {
    const list = /^\{(.*)\}$/.exec(value);
    if (list) return list[1]!.split(',').filter((item) => item !== '');
    return value === '' || value === '$__all' ? [] : [value];
  }
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function filtersOf(body: Record<string, unknown>): Filter[] {
  const raw = body.filters ?? body.adhocFilters ?? [];
  if (!Array.isArray(raw)) throw new HttpError(400, 'BAD_QUERY', 'filters must be an array of { key, operator, value }');
  return raw.map((item) => {
    const filter = object(item, 'a filter');
    const key = text(filter.key);
    const operator = text(filter.operator) ?? '=';
    if (!key || !(TAG_KEYS as readonly string[]).includes(key)) throw new HttpError(400, 'BAD_QUERY', `filter keys are ${TAG_KEYS.join(', ')}`);
    if (operator !== '=' && operator !== '!=') throw new HttpError(400, 'BAD_QUERY', 'filter operators are = and !=');
    return { key, operator, value: String(filter.value ?? '') };
  });
}

function tagOf(item: { project: string | null; client: string | null; source: string }, key: TagKey): string {
  return (key === 'project' ? item.project : key === 'client' ? item.client : item.source) ?? '';
}

function passes(item: { project: string | null; client: string | null; source: string }, filters: Filter[], projects: string[]): boolean {
  if (projects.length > 0 && !projects.includes(item.project ?? '')) return false;
  return filters.every((filter) => (tagOf(item, filter.key as TagKey) === filter.value) === (filter.operator === '='));
}

const asTag = (project: SnapshotProject) => ({ project: project.name, client: project.client, source: project.source });

export class Grafana {
  readonly #deps: GrafanaDeps;

  constructor(deps: GrafanaDeps) {
    this.#deps = deps;
  }

  metrics(): unknown {
    return METRICS;
  }

  async payloadOptions(body: unknown): Promise<Option[]> {
    const request = object(body, 'the body');
    const name = text(request.name);
    if (name === 'bucket') return BUCKETS;
    if (name === 'split') return SPLITS;
    if (name === 'project') return (await this.#tagValues('project')).map((value) => ({ label: value, value }));
    return [];
  }

  tagKeys(): { type: string; text: string }[] {
    return TAG_KEYS.map((key) => ({ type: 'string', text: key }));
  }

  async tagValuesRequest(body: unknown): Promise<{ text: string }[]> {
    const key = text(object(body, 'the body').key);
    if (!key || !(TAG_KEYS as readonly string[]).includes(key)) throw new HttpError(400, 'BAD_QUERY', `key must be one of ${TAG_KEYS.join(', ')}`);
    return (await this.#tagValues(key as TagKey)).map((value) => ({ text: value }));
  }

  /** A query variable: payload "project" / "client" / "source" (or { "target": … }), over the range if one is given. */
  async variable(body: unknown): Promise<{ __text: string; __value: string }[]> {
    const request = object(body, 'the body');
    const payload = request.payload;
    const target = typeof payload === 'string' ? payload.trim() : text(object(payload ?? {}, 'payload').target);
    const key = (target ?? 'project') as TagKey;
    if (!(TAG_KEYS as readonly string[]).includes(key)) throw new HttpError(400, 'BAD_QUERY', `the variable's payload is one of ${TAG_KEYS.join(', ')}`);
    const range = request.range ? this.#range(request.range) : undefined;
    return (await this.#tagValues(key, range)).map((value) => ({ __text: value, __value: value }));
  }

  async query(body: unknown): Promise<unknown[]> {
    const request = object(body, 'the body');
    const range = this.#range(request.range);
    const filters = filtersOf(request);
    if (!Array.isArray(request.targets)) throw new HttpError(400, 'BAD_QUERY', 'targets must be an array');
    await this.#deps.coverage.ensure(range);
    const results: unknown[] = [];
    for (const raw of request.targets) {
      const target = object(raw, 'a target');
      if (target.hide === true) continue;
      const payload = target.payload === undefined || target.payload === null || target.payload === '' ? {} : object(target.payload, 'payload');
      const projects = strings(payload.project);
      switch (text(target.target)) {
        case 'tracked':
          results.push(...this.#series(range, { bucket: payload.bucket === 'hour' ? 'hour' : 'day', split: payload.split === 'total' ? 'total' : 'project', billable: false, filters, projects }));
          break;
        case 'billable':
          results.push(...this.#series(range, { bucket: 'day', split: payload.split === 'total' ? 'total' : 'project', billable: true, filters, projects }));
          break;
        case 'entries':
          results.push(this.#entriesTable(range, filters, projects));
          break;
        case 'projects':
          results.push(this.#projectsTable(range, filters));
          break;
        default:
          throw new HttpError(400, 'BAD_QUERY', `unknown target "${String(target.target)}" (see POST /grafana/metrics)`);
      }
    }
    return results;
  }

  #range(value: unknown): { from: Date; to: Date } {
    const range = object(value, 'range');
    return rangeOf(text(range.from), text(range.to));
  }

  /** The snapshots of every week the range touches (each built once, from the store). */
  #weeks(range: { from: Date; to: Date }): Snapshot[] {
    const { config } = this.#deps.live;
    const weeks: Snapshot[] = [];
    for (let at = weekRange(range.from, config).from; at < range.to; at = weekRange(new Date(at.getTime() + 8 * 86_400_000), config).from) {
      weeks.push(this.#deps.live.snapshot({ week: new Date(at.getTime() + 12 * 3_600_000) }));
      if (weeks.length > 20) break;
    }
    return weeks;
  }

  #series(
    range: { from: Date; to: Date },
    options: { bucket: 'day' | 'hour'; split: 'project' | 'total'; billable: boolean; filters: Filter[]; projects: string[] },
  ): { target: string; datapoints: [number, number][] }[] {
    const series = new Map<string, [number, number][]>();
    const add = (name: string, value: number, at: number) => {
      if (!series.has(name)) series.set(name, []);
      series.get(name)!.push([value, at]);
    };
    const inRange = (at: number) => at >= range.from.getTime() && at < range.to.getTime();
    for (const week of this.#weeks(range)) {
      for (const day of week.days) {
        const projects = day.projects.filter((project) => passes(asTag(project), options.filters, options.projects));
        const field = options.billable ? 'billableSeconds' : 'seconds';
        if (options.bucket === 'day') {
          const at = Date.parse(day.hours[0]!.start);
          if (!inRange(at)) continue;
          if (options.split === 'total') {
            add(options.billable ? 'billable' : 'tracked', projects.reduce((sum, project) => sum + project[field], 0), at);
            continue;
          }
          // Every project of the week on every day (0 where none), so bars and lines line up.
          const byKey = new Map(projects.map((project) => [project.key, project]));
          for (const project of week.week.projects) {
            if (passes(asTag(project), options.filters, options.projects)) add(project.name, byKey.get(project.key)?.[field] ?? 0, at);
          }
          continue;
        }
        const byKey = new Map(projects.map((project) => [project.key, project]));
        for (const hour of day.hours) {
          const at = Date.parse(hour.start);
          if (!inRange(at)) continue;
          const minutes = new Map<string, number>();
          for (const key of hour.minutes) if (key !== null && byKey.has(key)) minutes.set(key, (minutes.get(key) ?? 0) + 1);
          if (options.split === 'total') add('tracked', [...minutes.values()].reduce((sum, count) => sum + count * 60, 0), at);
          else for (const [key, count] of minutes) add(byKey.get(key)!.name, count * 60, at);
        }
      }
    }
    return [...series].map(([target, datapoints]) => ({ target, datapoints }));
  }

  #entriesTable(range: { from: Date; to: Date }, filters: Filter[], projects: string[]) {
    const rows = entryRows(this.#deps.store, range, this.#deps.now()).filter((row) => passes(row, filters, projects));
    return {
      type: 'table',
      columns: [
        { text: 'Start', type: 'time' },
        { text: 'End', type: 'time' },
        { text: 'Source', type: 'string' },
        { text: 'Project', type: 'string' },
        { text: 'Client', type: 'string' },
        { text: 'Description', type: 'string' },
        { text: 'Billable', type: 'string' },
        { text: 'Seconds', type: 'number' },
      ],
      rows: rows.map((row: EntryRow) => [
        toEpochSeconds(row.start) * 1000,
        row.end === null ? null : toEpochSeconds(row.end) * 1000,
        row.source,
        row.project ?? '',
        row.client ?? '',
        row.description,
        row.billable ? 'yes' : 'no',
        row.seconds,
      ]),
    };
  }

  #projectsTable(range: { from: Date; to: Date }, filters: Filter[]) {
    const totals = new Map<string, { project: SnapshotProject; seconds: number; billable: number }>();
    for (const week of this.#weeks(range)) {
      for (const day of week.days) {
        if (!(Date.parse(day.hours[0]!.start) >= range.from.getTime() && Date.parse(day.hours[0]!.start) < range.to.getTime())) continue;
        for (const project of day.projects) {
          if (!passes(asTag(project), filters, [])) continue;
          const total = totals.get(project.key) ?? { project, seconds: 0, billable: 0 };
          total.seconds += project.seconds;
          total.billable += project.billableSeconds;
          totals.set(project.key, total);
        }
      }
    }
    return {
      type: 'table',
      columns: [
        { text: 'Project', type: 'string' },
        { text: 'Client', type: 'string' },
        { text: 'Source', type: 'string' },
        { text: 'Seconds', type: 'number' },
        { text: 'Billable seconds', type: 'number' },
      ],
      rows: [...totals.values()]
        .sort((a, b) => b.seconds - a.seconds || (a.project.key < b.project.key ? -1 : 1))
        .map(({ project, seconds, billable }) => [project.name, project.client ?? '', project.source, seconds, billable]),
    };
  }

  async #tagValues(key: TagKey, range?: { from: Date; to: Date }): Promise<string[]> {
    const now = this.#deps.now();
    const span = range ?? { from: new Date(now.getTime() - 28 * 86_400_000), to: now };
    const values = new Set<string>();
    for (const row of entryRows(this.#deps.store, span, now)) {
      const value = tagOf(row, key);
      if (value !== '') values.add(value);
    }
    return [...values].sort();
  }
}
