import { afterEach, describe, expect, it } from 'vitest';
import { NOW, rig, signal, WEEK, type Rig } from './support.js';

let current: Rig | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function setup(...args: Parameters<typeof rig>): Promise<Rig> {
  current = await rig(...args);
  const { toggl } = current;
  toggl.addProject({ id: 101, name: 'Acme website', color: '#06aaf5', client_name: 'Acme Corp', billable: true });
  toggl.addProject({ id: 102, name: 'Open source', color: '#2da608', client_name: null, billable: false });
  return current;
}

const byId = (r: Rig) => new Map(r.context.store.entries().map((entry) => [entry.id, entry]));

describe('full fetch of a week', () => {
  it('gets the week (and the evening before) in one meta=true request, with project details', async () => {
    const r = await setup();
    const { toggl } = r;
    toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T12:30:00Z', project_id: 101, description: 'Checkout' });
    toggl.addEntry({ id: 2, start: '2026-11-16T13:00:00Z', stop: '2026-11-16T13:45:00Z', description: 'Call' });
    toggl.addEntry({ id: 3, start: '2026-11-15T22:00:00Z', stop: '2026-11-16T01:00:00Z', project_id: 102 });
    toggl.addEntry({ id: 4, start: '2026-11-13T10:00:00Z', stop: '2026-11-13T11:00:00Z', project_id: 101 });
    toggl.addEntry({ id: 5, start: '2026-11-18T11:00:00Z', project_id: 101, description: 'Running' });

    await r.backend.sync({ ...WEEK, signal: signal() });

    expect(toggl.requests.map((request) => [request.path, request.query])).toEqual([
      ['/me/time_entries', { start_date: '2026-11-15T00:00:00Z', end_date: '2026-11-23T00:00:00Z', meta: 'true' }],
    ]);
    const request = toggl.requests[0]!;
    expect(request.authorization).toBe(`Basic ${Buffer.from(`${toggl.token}:api_token`).toString('base64')}`);
    expect(request.userAgent).toMatch(/^dash-plugin-toggl\/0\.1\.0 /);

    const entries = byId(r);
    expect([...entries.keys()].sort()).toEqual(['1', '2', '3', '5']);
    expect(entries.get('1')).toMatchObject({
      start: '2026-11-16T09:00:00Z',
      end: '2026-11-16T12:30:00Z',
      billable: true,
      description: 'Checkout',
      project: { key: '101', name: 'Acme website', client: 'Acme Corp', color: '#06aaf5' },
    });
    expect(entries.get('2')).toMatchObject({ project: null, billable: false });
    expect(entries.get('5')).toMatchObject({ end: null, start: '2026-11-18T11:00:00Z' });
    expect(r.store.runningEntries().map((entry) => entry.id)).toEqual(['5']);
    const source = r.store.source('toggl')!;
    expect(source).toMatchObject({ status: 'ok', error: null, lastSyncAt: '2026-11-18T12:00:00.000Z' });
  });

  it('asks /current only when the list shows no running entry and there is no since history', async () => {
    const r = await setup();
    // Left running since Friday: before the week, so the week query cannot show it.
    r.toggl.addEntry({ id: 7, start: '2026-11-13T17:00:00Z', duration: -1, description: 'Forgot to stop' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect(r.toggl.requests.map((request) => request.path)).toEqual(['/me/time_entries', '/me/time_entries/current']);
    expect(r.store.runningEntries()).toMatchObject([{ id: '7', start: '2026-11-13T17:00:00Z', end: null }]);

    // A restart that kept the cache (store + cursor) syncs with `since` only.
    r.clock.advance(60_000);
    await r.restart().sync({ ...WEEK, signal: signal() });
    expect(r.toggl.requests.slice(2).map((request) => [request.path, Object.keys(request.query).sort()])).toEqual([
      ['/me/time_entries', ['meta', 'since']],
    ]);
    expect(r.store.runningEntries().map((entry) => entry.id)).toEqual(['7']);
  });

  it('answers "not running" for a null body from /current', async () => {
    const r = await setup();
    r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect(r.toggl.count('/me/time_entries/current')).toBe(1);
    expect(r.store.runningEntries()).toEqual([]);
    expect(r.store.source('toggl')?.status).toBe('ok');
  });

  it('answers "not running" for a 404 from /current too', async () => {
    const r = await setup();
    r.toggl.script({ path: '/me/time_entries/current', status: 404, body: 'Resource can not be found' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect(r.toggl.requests.map((request) => request.status)).toEqual([200, 404]);
    expect(r.store.runningEntries()).toEqual([]);
    expect(r.store.source('toggl')?.status).toBe('ok');
  });

  it('keeps only the configured workspace', async () => {
    const r = await setup({ options: { workspace_id: 2230580 } });
    r.toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z' });
    r.toggl.addEntry({ id: 2, start: '2026-11-16T10:00:00Z', stop: '2026-11-16T11:00:00Z', workspace_id: 999 });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect([...byId(r).keys()]).toEqual(['1']);
    // Moved to the other workspace later: it disappears on the next `since`.
    r.clock.advance(300_000);
    r.toggl.updateEntry(1, { workspace_id: 999 });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect([...byId(r).keys()]).toEqual([]);
  });
});

describe('incremental sync with since', () => {
  it('applies new entries, edits, a stop and a deletion from one since request', async () => {
    const r = await setup();
    const { toggl } = r;
    toggl.addEntry({ id: 1, start: '2026-11-16T09:00:00Z', stop: '2026-11-16T10:00:00Z', project_id: 101, description: 'Old text' });
    toggl.addEntry({ id: 2, start: '2026-11-17T09:00:00Z', stop: '2026-11-17T10:00:00Z' });
    toggl.addEntry({ id: 3, start: '2026-11-18T11:00:00Z', project_id: 102 });
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect(r.store.runningEntries().map((entry) => entry.id)).toEqual(['3']);

    r.clock.advance(5 * 60_000);
    toggl.updateEntry(1, { description: 'New text' });
    toggl.deleteEntry(2);
    toggl.stopEntry(3);
    toggl.addEntry({ id: 4, start: '2026-11-18T12:05:00Z', duration: -1, description: 'Via API' });
    toggl.addEntry({ id: 5, start: '2026-11-17T14:00:00Z', stop: '2026-11-17T15:00:00Z', project_id: 101 });
    await r.backend.sync({ ...WEEK, signal: signal() });

    expect(toggl.requests).toHaveLength(2);
    // since = the first request's server time (12:00:00) minus the 60 s overlap.
    expect(toggl.requests[1]!.query).toEqual({ since: String(Date.parse(NOW) / 1000 - 60), meta: 'true' });
    const entries = byId(r);
    expect([...entries.keys()].sort()).toEqual(['1', '3', '4', '5']);
    expect(entries.get('1')?.description).toBe('New text');
    expect(entries.get('3')).toMatchObject({ end: '2026-11-18T12:05:00Z' });
    expect(entries.get('5')?.project?.name).toBe('Acme website');
    expect(r.store.runningEntries().map((entry) => entry.id)).toEqual(['4']);

    // Deleting the running entry stops the timer.
    r.clock.advance(5 * 60_000);
    toggl.deleteEntry(4);
    await r.backend.sync({ ...WEEK, signal: signal() });
    expect(r.store.runningEntries()).toEqual([]);
    expect(byId(r).has('4')).toBe(false);
    expect(toggl.requests[2]!.query.since).toBe(String(Date.parse(NOW) / 1000 + 300 - 60));
  });

  it('fetches a week it has not seen in full (paging back), then keeps it fresh with since', async () => {
    const r = await setup();
    r.toggl.addEntry({ id: 1, start: '2026-11-10T09:00:00Z', stop: '2026-11-10T10:00:00Z' });
    await r.backend.sync({ ...WEEK, signal: signal() });
    const lastWeek = { from: new Date('2026-11-09T00:00:00Z'), to: new Date('2026-11-16T00:00:00Z') };
    await r.backend.sync({ ...lastWeek, signal: signal() });
    // The first fetch of the current week had nothing running and no history, hence /current.
    expect(r.toggl.requests.map((request) => request.path)).toEqual([
      '/me/time_entries',
      '/me/time_entries/current',
      '/me/time_entries',
    ]);
    expect(r.toggl.requests[2]!.query).toMatchObject({ start_date: '2026-11-08T00:00:00Z', end_date: '2026-11-16T00:00:00Z' });
    expect(byId(r).has('1')).toBe(true);
    r.clock.advance(60_000);
    await r.backend.sync({ ...lastWeek, signal: signal() });
    expect(Object.keys(r.toggl.requests[3]!.query).sort()).toEqual(['meta', 'since']);
  });
});

describe('health check and secrets', () => {
  it('reports who is signed in without logging the token or the /me body', async () => {
    const r = await setup();
    // list + /current (nothing running), then /me: 3 of 30 used.
    await r.backend.sync({ ...WEEK, signal: signal() });
    const health = await r.backend.healthCheck(signal());
    expect(health).toEqual({ ok: true, message: 'signed in as Marco; 27 requests left this hour, window resets in 60 min' });
    const logs = r.logs.join('\n');
    expect(logs).toContain('GET /me → 200');
    expect(logs).not.toContain(r.toggl.token);
    expect(logs).not.toContain(Buffer.from(`${r.toggl.token}:api_token`).toString('base64'));
    // Nothing even needed masking: the plugin never tried to log a secret.
    expect(logs).not.toContain('***');
    expect(r.redactor.redact(`x ${r.toggl.token} y`)).toBe('x *** y');
  });
});
