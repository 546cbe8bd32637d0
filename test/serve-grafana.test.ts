import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './support/cli.js';
import { fetchText, fileClockConfig, serveDir, startServe, writeState, type Served } from './support/serve.js';

// The request bodies below are those simpod-json-datasource (≥ 0.6, openapi.yaml) sends.
const AT = '2026-11-20T15:30:10Z';
const ENTRIES = [
  { id: 'mon', start: '2026-11-16T09:00:00Z', end: '2026-11-16T12:30:00Z', project: { key: 'acme', name: 'Acme', client: 'Acme Corp' }, billable: true, description: 'checkout' },
  { id: 'tue', start: '2026-11-17T13:00:00Z', end: '2026-11-17T17:15:00Z', project: { key: 'globex', name: 'Globex', client: null }, description: 'api' },
  { id: 'tue2', start: '2026-11-17T17:15:00Z', end: '2026-11-17T18:00:00Z', project: { key: 'acme', name: 'Acme', client: 'Acme Corp' }, billable: true, description: 'review' },
];
const RANGE = { from: '2026-11-16T00:00:00.000Z', to: '2026-11-19T00:00:00.000Z', raw: { from: 'now-4d', to: 'now' } };
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);

describe('dash-cli serve: the Grafana JSON data source (simpod-json-datasource)', () => {
  const home = serveDir();
  const { config, state } = fileClockConfig(home.dir);
  let served: Served;
  const post = async (path: string, body: unknown) => {
    const reply = await fetchText(`${served.base}/grafana${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: reply.status, body: JSON.parse(reply.body) as unknown };
  };

  beforeAll(async () => {
    writeState(state, { entries: ENTRIES, running: null });
    served = await startServe(['--config', config, '--at', AT], { env: home.env, cwd: home.dir });
    for (let attempt = 0; attempt < 100; attempt++) {
      const rows = await fetchText(`${served.base}/api/v1/entries?from=2026-11-16T00:00:00Z&to=2026-11-19T00:00:00Z`, { headers: { authorization: `Bearer ${served.token}` } });
      if (rows.status === 200 && (JSON.parse(rows.body) as unknown[]).length === 3) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    await served?.stop();
    home.cleanup();
  });

  it('GET /grafana/ answers 200 (Test connection)', async () => {
    const reply = await fetchText(`${served.base}/grafana/`, { headers: { authorization: `Bearer ${served.token}` } });
    expect(reply.status).toBe(200);
  });

  it('POST /metrics lists the metrics with their payloads; /metric-payload-options the projects', async () => {
    const metrics = await post('/metrics', { metric: '', payload: {} });
    expect(metrics.status).toBe(200);
    const list = metrics.body as { value: string; payloads: { name: string; type: string }[] }[];
    expect(list.map((metric) => metric.value)).toEqual(['tracked', 'billable', 'entries', 'projects']);
    for (const metric of list) for (const payload of metric.payloads) expect(['select', 'multi-select', 'input', 'textarea']).toContain(payload.type);
    const options = await post('/metric-payload-options', { metric: 'tracked', payload: { bucket: 'day' }, name: 'project' });
    expect(options.body).toEqual([
      { label: 'Acme', value: 'Acme' },
      { label: 'Globex', value: 'Globex' },
    ]);
  });

  it('POST /query: a time series per project per day, and the entries as a table', async () => {
    const reply = await post('/query', {
      panelId: 1,
      range: RANGE,
      rangeRaw: RANGE.raw,
      interval: '1h',
      intervalMs: 3_600_000,
      maxDataPoints: 500,
      targets: [
        { target: 'tracked', refId: 'A', payload: { bucket: 'day', split: 'project' } },
        { target: 'billable', refId: 'B', payload: { split: 'total' } },
        { target: 'entries', refId: 'C' },
      ],
      adhocFilters: [],
    });
    expect(reply.status).toBe(200);
    const [acme, globex, billable, table] = reply.body as [unknown, unknown, unknown, unknown];
    expect(acme).toEqual({ target: 'Acme', datapoints: [[12_600, day('2026-11-16')], [2_700, day('2026-11-17')], [0, day('2026-11-18')]] });
    expect(globex).toEqual({ target: 'Globex', datapoints: [[0, day('2026-11-16')], [15_300, day('2026-11-17')], [0, day('2026-11-18')]] });
    expect(billable).toEqual({ target: 'billable', datapoints: [[12_600, day('2026-11-16')], [2_700, day('2026-11-17')], [0, day('2026-11-18')]] });
    expect(table).toMatchObject({ type: 'table', columns: expect.arrayContaining([{ text: 'Start', type: 'time' }, { text: 'Seconds', type: 'number' }]) });
    expect((table as { rows: unknown[][] }).rows).toEqual([
      [Date.parse('2026-11-16T09:00:00Z'), Date.parse('2026-11-16T12:30:00Z'), 'clock', 'Acme', 'Acme Corp', 'checkout', 'yes', 12_600],
      [Date.parse('2026-11-17T13:00:00Z'), Date.parse('2026-11-17T17:15:00Z'), 'clock', 'Globex', '', 'api', 'no', 15_300],
      [Date.parse('2026-11-17T17:15:00Z'), Date.parse('2026-11-17T18:00:00Z'), 'clock', 'Acme', 'Acme Corp', 'review', 'yes', 2_700],
    ]);
  });

  it('ad hoc filters (tag keys and values), per-hour buckets, the projects table and query variables', async () => {
    expect((await post('/tag-keys', {})).body).toEqual([
      { type: 'string', text: 'project' },
      { type: 'string', text: 'client' },
      { type: 'string', text: 'source' },
    ]);
    expect((await post('/tag-values', { key: 'client' })).body).toEqual([{ text: 'Acme Corp' }]);
    const filtered = await post('/query', {
      range: RANGE,
      intervalMs: 3_600_000,
      maxDataPoints: 500,
      targets: [{ target: 'tracked', refId: 'A', payload: { bucket: 'hour', split: 'total' } }, { target: 'projects', refId: 'B' }],
      filters: [{ key: 'project', operator: '!=', value: 'Globex' }],
    });
    const [hours, projects] = filtered.body as [{ target: string; datapoints: [number, number][] }, { rows: unknown[][] }];
    expect(hours.target).toBe('tracked');
    expect(hours.datapoints.filter(([value]) => value > 0)).toEqual([
      [3600, Date.parse('2026-11-16T09:00:00Z')],
      [3600, Date.parse('2026-11-16T10:00:00Z')],
      [3600, Date.parse('2026-11-16T11:00:00Z')],
      [1800, Date.parse('2026-11-16T12:00:00Z')],
      [2700, Date.parse('2026-11-17T17:00:00Z')],
    ]);
    expect(projects.rows).toEqual([['Acme', 'Acme Corp', 'clock', 15_300, 15_300]]);
    expect((await post('/variable', { payload: { target: 'project' }, range: RANGE })).body).toEqual([
      { __text: 'Acme', __value: 'Acme' },
      { __text: 'Globex', __value: 'Globex' },
    ]);
    expect((await post('/variable', { payload: 'source', range: RANGE })).body).toEqual([{ __text: 'clock', __value: 'clock' }]);
  });

  it('every panel of the example dashboard (examples/grafana) is a query serve answers', async () => {
    const dashboard = JSON.parse(readFileSync(join(REPO, 'examples', 'grafana', 'dash-dashboard.json'), 'utf8')) as { panels: { title: string; targets: unknown[] }[] };
    // What Grafana sends for $project with "All" selected, as the plugin interpolates it.
    const interpolate = (targets: unknown[]) => JSON.parse(JSON.stringify(targets).replaceAll('$project', '{Acme,Globex}')) as unknown[];
    for (const panel of dashboard.panels) {
      const reply = await post('/query', { range: RANGE, intervalMs: 3_600_000, maxDataPoints: 500, targets: interpolate(panel.targets), filters: [] });
      expect([panel.title, reply.status]).toEqual([panel.title, 200]);
      expect((reply.body as unknown[]).length).toBeGreaterThan(0);
    }
  });

  it('refuses malformed bodies with a JSON error and a code', async () => {
    expect(await post('/query', { targets: [] })).toMatchObject({ status: 400, body: { error: { code: 'BAD_QUERY' } } });
    expect(await post('/query', { range: RANGE, targets: [{ target: 'nope' }] })).toMatchObject({ status: 400, body: { error: { code: 'BAD_QUERY' } } });
    expect(await post('/query', { range: RANGE, targets: [], filters: [{ key: 'x', operator: '=', value: 'y' }] })).toMatchObject({ status: 400 });
    const notJson = await fetchText(`${served.base}/grafana/query`, { method: 'POST', headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' }, body: '{' });
    expect(JSON.parse(notJson.body)).toEqual({ error: { code: 'BAD_JSON', message: 'the body is not valid JSON' } });
  });
});
