/**
 * The InfluxDB output's writer against a real HTTP server on 127.0.0.1 that answers as a
 * database would, or fails as one does: the v1 and v2 requests (paths, query, auth), batches,
 * retries with backoff on 5xx, 429 (Retry-After), timeouts and refused connections, a 4xx that
 * stops retrying with a clear error, the plan (new, changed, moved, deleted entries), and the
 * pending queue surviving a restart. Real databases: outputs-influx-databases.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TimeEntrySchema, type Output, type TimeEntry } from 'dash-core';
import { afterEach, describe, expect, it } from 'vitest';
import influxdb, { createInfluxOutput, InfluxOptionsSchema, type InfluxTuning } from '../src/outputs/influxdb/index.js';
import { backoffDelay } from '../src/outputs/influxdb/backoff.js';
import { planChanges } from '../src/outputs/influxdb/plan.js';
import { outputContext, tempDir, waitFor } from '../../../test/support/influx.js';

interface Received {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: string;
}

type Answer = (request: Received, response: ServerResponse) => void;

const servers: Server[] = [];
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function receiver(answer: Answer, port = 0): Promise<{ url: string; received: Received[]; server: Server; port: number }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const item = { method: request.method ?? '', url: new URL(request.url ?? '/', 'http://x'), headers: request.headers, body };
      received.push(item);
      answer(item, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as { port: number }).port;
  server.on('close', () => server.closeAllConnections());
  return { url: `http://127.0.0.1:${bound}`, received, server, port: bound };
}

const ok: Answer = (_request, response) => response.writeHead(204).end();
const FAST: InfluxTuning = { backoff: { firstMs: 20, maxMs: 100 } };

function entries(count: number, from = 0): TimeEntry[] {
  return Array.from({ length: count }, (_, index) =>
    TimeEntrySchema.parse({
      source: 'toggl',
      id: String(from + index),
      start: new Date(Date.UTC(2026, 9, 20, 8) + (from + index) * 3600_000).toISOString(),
      end: new Date(Date.UTC(2026, 9, 20, 8) + (from + index) * 3600_000 + 1800_000).toISOString(),
      project: { key: 'p', name: 'Acme', client: null },
    }),
  );
}

async function output(raw: Record<string, unknown>, dataDir: string, tuning: InfluxTuning = FAST, instance = 'laptop'): Promise<{ out: Output; context: ReturnType<typeof outputContext> }> {
  const options = InfluxOptionsSchema.parse(raw);
  const context = outputContext(dataDir, { instance });
  const out = await createInfluxOutput(options, context, tuning);
  cleanups.push(() => out.dispose?.());
  return { out, context };
}

const settled = (out: Output) => waitFor('nothing queued', () => (out.state().queued === 0 ? true : undefined));

describe('options', () => {
  it('needs url and one of database (1.x) or org+bucket (2.x); refuses credentials in the URL', () => {
    expect(InfluxOptionsSchema.safeParse({ url: 'http://127.0.0.1:8086' }).success).toBe(false);
    expect(InfluxOptionsSchema.safeParse({ url: 'http://127.0.0.1:8086', database: 'd', bucket: 'b', org: 'o' }).success).toBe(false);
    expect(InfluxOptionsSchema.safeParse({ url: 'http://127.0.0.1:8086', bucket: 'b' }).success).toBe(false);
    expect(InfluxOptionsSchema.safeParse({ url: 'http://u:p@127.0.0.1:8086', database: 'd' }).success).toBe(false);
    expect(InfluxOptionsSchema.safeParse({ url: 'http://127.0.0.1:8086/?u=a', database: 'd' }).success).toBe(false);
    expect(InfluxOptionsSchema.safeParse({ url: 'http://127.0.0.1:8086', database: 'd', measurement: '_x' }).success).toBe(false);
    expect(InfluxOptionsSchema.safeParse({ url: 'http://127.0.0.1:8086', database: 'd', unknown: 1 }).success).toBe(false);
    const parsed = InfluxOptionsSchema.parse({ url: 'http://127.0.0.1:8086/', database: 'dash' });
    expect(parsed).toMatchObject({ url: 'http://127.0.0.1:8086', measurement: 'dash_entry', batch_size: 5000, server: 'influxdb' });
    expect(influxdb.name).toBe('influxdb');
    expect(influxdb.secretOptions).toEqual(['password', 'token']);
    // The host validates through Standard Schema, as for backends.
    const checked = influxdb.optionsSchema['~standard'].validate({ url: 'http://127.0.0.1:8086', org: 'o' });
    expect(checked).toMatchObject({ issues: [expect.objectContaining({ message: 'is required for InfluxDB 2 (with org, bucket and token)', path: ['bucket'] })] });
    expect(influxdb.optionsSchema['~standard'].validate({ url: 'http://127.0.0.1:8086', database: 'dash' })).toMatchObject({ value: { database: 'dash', measurement: 'dash_entry' } });
  });
});

describe('backoff', () => {
  it('doubles from the first delay up to the cap, with jitter between half and all, and honours a longer Retry-After', () => {
    const at = (attempt: number, random: number, retryAfter: number | null = null) => backoffDelay(attempt, { firstMs: 1000, maxMs: 300_000, random: () => random }, retryAfter);
    expect([0, 1, 2, 3].map((attempt) => at(attempt, 0.999999))).toEqual([1000, 2000, 4000, 8000]);
    expect(at(3, 0)).toBe(4000);
    expect(at(40, 1)).toBe(300_000);
    expect(at(0, 0, 30)).toBe(30_000);
    expect(at(10, 1, 1)).toBe(300_000);
  });
  it('an hour-long outage costs 20 to 32 attempts and never gives up (the delays stay at the cap)', () => {
    for (const random of [0, 0.5, 1]) {
      let waited = 0;
      let attempts = 0;
      while (waited < 3_600_000) waited += backoffDelay(attempts++, { firstMs: 1000, maxMs: 300_000, random: () => random });
      expect(attempts).toBeGreaterThanOrEqual(18);
      expect(attempts).toBeLessThanOrEqual(33);
      expect(backoffDelay(attempts, { firstMs: 1000, maxMs: 300_000, random: () => random })).toBeGreaterThanOrEqual(150_000);
    }
  });
});

describe('writing', () => {
  it('v1: POST /write?db=&rp=&precision=s with basic auth, in batches of batch_size; the password is a secret', async () => {
    const db = await receiver(ok);
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const { out, context } = await output({ url: db.url, database: 'dash', retention_policy: 'week', username: 'me', password: 's3cret', batch_size: 2 }, home.dir);
    await out.entries!(entries(5));
    await settled(out);
    expect(db.received).toHaveLength(3);
    for (const request of db.received) {
      expect(request.method).toBe('POST');
      expect(request.url.pathname).toBe('/write');
      expect(Object.fromEntries(request.url.searchParams)).toEqual({ db: 'dash', rp: 'week', precision: 's' });
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('me:s3cret').toString('base64')}`);
    }
    expect(db.received.map((request) => request.body.trim().split('\n').length)).toEqual([2, 2, 1]);
    expect(out.state()).toEqual({ status: 'ok', queued: 0, delivered: 5, failingSince: null, lastError: null });
    expect(context.secrets).toEqual(['s3cret']);
    expect(readFileSync(join(home.dir, 'record.json'), 'utf8')).not.toContain('s3cret');
  });

  it('v2: POST /api/v2/write?org=&bucket=&precision=s with Authorization: Token; nothing is sent again when nothing changed', async () => {
    const db = await receiver(ok);
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const { out, context } = await output({ url: db.url, org: 'team', bucket: 'dash', token: 'tok-123' }, home.dir);
    await out.entries!(entries(3));
    await settled(out);
    await out.entries!(entries(3));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(db.received).toHaveLength(1);
    expect(db.received[0]!.url.pathname).toBe('/api/v2/write');
    expect(Object.fromEntries(db.received[0]!.url.searchParams)).toEqual({ org: 'team', bucket: 'dash', precision: 's' });
    expect(db.received[0]!.headers.authorization).toBe('Token tok-123');
    expect(db.received[0]!.body).toMatch(/^dash_entry,billable=false,entry=0,instance=laptop,project=Acme,source=toggl seconds=1800i,description="",deleted=false 1792483200\n/);
    expect(context.secrets).toEqual(['tok-123']);
  });

  it('5xx and refused connections are retried with backoff until the database answers; state says failing meanwhile', async () => {
    let failures = 3;
    const db = await receiver((_request, response) => {
      if (failures-- > 0) response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"engine: cache maximum memory size exceeded"}');
      else response.writeHead(204).end();
    });
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const { out } = await output({ url: db.url, database: 'dash' }, home.dir, { backoff: { firstMs: 200, maxMs: 200 } });
    await out.entries!(entries(2));
    const failing = await waitFor('failing', () => (out.state().status === 'failing' ? out.state() : undefined));
    expect(failing.lastError).toEqual({ code: 'SERVER_ERROR', message: expect.stringContaining('503: engine: cache maximum memory size exceeded') });
    expect(failing.failingSince).not.toBeNull();
    expect(failing.queued).toBe(2);
    await settled(out);
    expect(db.received).toHaveLength(4);
    expect(out.state()).toMatchObject({ status: 'ok', delivered: 2, lastError: null, failingSince: null });

    // Nothing listening at all: connection refused, retried, then a server comes up on that port.
    const port = db.port;
    await new Promise((resolve) => db.server.close(resolve));
    await out.entries!(entries(1, 10));
    await waitFor('refused', () => (out.state().lastError?.code === 'NETWORK' ? true : undefined));
    expect(out.state().lastError!.message).toMatch(/cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    const again = await receiver(ok, port);
    await settled(out);
    expect(again.received).toHaveLength(1);
  });

  it('429 waits at least Retry-After; a request with no answer times out and is retried', async () => {
    const times: number[] = [];
    let first = true;
    const db = await receiver((_request, response) => {
      times.push(Date.now());
      if (first) {
        first = false;
        response.writeHead(429, { 'retry-after': '1' }).end();
      } else response.writeHead(204).end();
    });
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const { out } = await output({ url: db.url, database: 'dash' }, home.dir);
    await out.entries!(entries(1));
    await settled(out);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);

    let silent = true;
    const hang = await receiver((_request, response) => {
      if (silent) silent = false; // never answers this one
      else response.writeHead(204).end();
    });
    const other = tempDir('dash-influx-');
    cleanups.push(other.cleanup);
    // A backoff long enough that the failing state is there to be seen between two polls.
    const slow = await output({ url: hang.url, database: 'dash' }, other.dir, { backoff: { firstMs: 600, maxMs: 600 }, timeoutMs: 300 });
    await slow.out.entries!(entries(1));
    await waitFor('a timeout', () => (slow.out.state().lastError?.message.includes('no answer') ? true : undefined));
    await settled(slow.out);
    expect(hang.received).toHaveLength(2);
  });

  it('a 4xx is a clear error that is not retried; the next change tries again', async () => {
    let reject = true;
    const db = await receiver((_request, response) => {
      if (reject) response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"database not found: \\"dash\\""}');
      else response.writeHead(204).end();
    });
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const { out } = await output({ url: db.url, database: 'dash' }, home.dir);
    await out.entries!(entries(2));
    const state = await waitFor('failing', () => (out.state().status === 'failing' ? out.state() : undefined));
    expect(state.lastError).toEqual({ code: 'OUTPUT_REJECTED', message: `writing 2 points: ${new URL(db.url).host} answered 404: database not found: "dash"` });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(db.received).toHaveLength(1);
    expect(out.state().queued).toBe(2);
    reject = false;
    await out.entries!(entries(3));
    await settled(out);
    expect(out.state()).toMatchObject({ status: 'ok', delivered: 3 });
    expect(db.received.slice(1).flatMap((request) => request.body.trim().split('\n'))).toHaveLength(3);
  });

  it('test(): an empty write, which InfluxDB answers 204 only for an existing database and good credentials', async () => {
    const db = await receiver((request, response) => {
      if (request.url.searchParams.get('db') === 'dash' && request.body === '') response.writeHead(204).end();
      else response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"database not found: \\"nope\\""}');
    });
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const good = await output({ url: db.url, database: 'dash' }, home.dir);
    expect(await good.out.test!(AbortSignal.timeout(5000))).toEqual({ ok: true, message: `${new URL(db.url).host} accepted an empty write to dash` });
    const bad = await output({ url: db.url, database: 'nope' }, tempDir('dash-influx-').dir);
    expect(await bad.out.test!(AbortSignal.timeout(5000))).toEqual({ ok: false, message: `an empty write: ${new URL(db.url).host} answered 404: database not found: "nope"` });
  });

  it('a record that cannot be written is an error in state(), not a rejection', async () => {
    const db = await receiver(ok);
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const { out } = await output({ url: db.url, database: 'dash' }, home.dir);
    // A folder where the record goes: no rename can replace it (root ignores permissions, so not chmod).
    mkdirSync(join(home.dir, 'record.json'));
    await expect(out.entries!(entries(2))).resolves.toBeUndefined();
    expect(out.state()).toMatchObject({ status: 'failing', lastError: { code: 'OUTPUT_STATE', message: expect.stringContaining('cannot update') } });
    expect(db.received).toHaveLength(0);
  });

  it('what is pending survives a restart and is sent by the next process without a new change', async () => {
    const down = await receiver((_request, response) => response.writeHead(500).end());
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const first = await output({ url: down.url, database: 'dash' }, home.dir);
    await first.out.entries!(entries(4));
    await waitFor('failing', () => (first.out.state().status === 'failing' ? true : undefined));
    await first.out.dispose!();
    const record = JSON.parse(readFileSync(join(home.dir, 'record.json'), 'utf8')) as { pending: unknown[]; written: object };
    expect(record.pending).toHaveLength(4);
    expect(Object.keys(record.written)).toHaveLength(4);

    // The same target (url and database): the restarted output resumes.
    const port = down.port;
    await new Promise((resolve) => down.server.close(resolve));
    const up = await receiver(ok, port);
    const second = await output({ url: up.url, database: 'dash' }, home.dir);
    await settled(second.out);
    expect(up.received.flatMap((request) => request.body.trim().split('\n'))).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(home.dir, 'record.json'), 'utf8')).pending).toEqual([]);
  });
});

describe('two Dash processes sharing the data dir', () => {
  it('every point is sent once: the record is changed only under its lock, so neither sends what the other did', async () => {
    const lines: string[] = [];
    const db = await receiver((request, response) => {
      lines.push(...request.body.trim().split('\n'));
      setTimeout(() => response.writeHead(204).end(), 5);
    });
    const home = tempDir('dash-influx-');
    cleanups.push(home.cleanup);
    const a = await output({ url: db.url, database: 'dash', batch_size: 7 }, home.dir);
    const b = await output({ url: db.url, database: 'dash', batch_size: 7 }, home.dir);
    await Promise.all([a.out.entries!(entries(60)), b.out.entries!(entries(60))]);
    await Promise.all([settled(a.out), settled(b.out)]);
    // One more change seen by both: still once.
    const more = entries(61);
    await Promise.all([a.out.entries!(more), b.out.entries!(more)]);
    await Promise.all([settled(a.out), settled(b.out)]);
    expect(lines).toHaveLength(61);
    expect(new Set(lines).size).toBe(61);
    expect(a.out.state().delivered + b.out.state().delivered).toBe(61);
  });
});

describe('the plan: what a change upstream sends', () => {
  const options = { measurement: 'dash_entry', instance: 'i', remove: 'tombstone' as const };
  const base = entries(3);
  const written = planChanges(base, new Map(), options).written;

  it('unchanged: nothing; a description edit: the point again, in place; a running entry: nothing', () => {
    expect(planChanges(base, written, options).ops).toEqual([]);
    const edited = [{ ...base[0]!, description: 'new' }, base[1]!, base[2]!];
    const plan = planChanges(edited, written, options);
    expect(plan.ops).toHaveLength(1);
    expect(plan.ops[0]).toMatchObject({ kind: 'write', line: expect.stringContaining('description="new"') });
    expect(planChanges([...base, { ...base[0]!, id: 'run', end: null }], written, options).ops).toEqual([]);
  });

  it('a running entry is written once it stops', () => {
    const running = { ...base[0]!, id: 'run', end: null };
    const whileRunning = planChanges([...base, running], written, options);
    expect(whileRunning.ops).toEqual([]);
    const stopped = planChanges([...base, { ...running, end: '2026-10-20T08:10:00.000Z' }], whileRunning.written, options);
    expect(stopped.ops).toEqual([{ kind: 'write', key: expect.any(String), line: expect.stringMatching(/,entry=run,.* seconds=600i,/) }]);
  });

  it('start moved or project changed: a tombstone at the old place, then the new point; deleted: a tombstone', () => {
    const moved = [{ ...base[0]!, start: '2026-10-20T07:00:00.000Z' }, { ...base[1]!, project: { key: 'q', name: 'Other', client: null, color: null } }];
    const plan = planChanges(moved, written, options);
    const lines = plan.ops.map((op) => (op.kind === 'write' ? op.line : op.match));
    expect(lines).toEqual([
      'dash_entry,billable=false,entry=0,instance=i,project=Acme,source=toggl seconds=0i,description="",deleted=true 1792483200',
      'dash_entry,billable=false,entry=0,instance=i,project=Acme,source=toggl seconds=5400i,description="",deleted=false 1792479600',
      'dash_entry,billable=false,entry=1,instance=i,project=Acme,source=toggl seconds=0i,description="",deleted=true 1792486800',
      'dash_entry,billable=false,entry=1,instance=i,project=Other,source=toggl seconds=1800i,description="",deleted=false 1792486800',
      'dash_entry,billable=false,entry=2,instance=i,project=Acme,source=toggl seconds=0i,description="",deleted=true 1792490400',
    ]);
    expect([...plan.written.keys()]).toEqual(['toggl\u00000', 'toggl\u00001']);
  });

  it('a source with no entries at all (store not loaded, backend removed) keeps its points: nothing is tombstoned', () => {
    expect(planChanges([], written, options).ops).toEqual([]);
    const other = TimeEntrySchema.parse({ ...base[0]!, source: 'upwork', id: 'u1' });
    const plan = planChanges([other], written, options);
    expect(plan.ops.map((op) => op.kind === 'write' && op.line.includes('source=upwork'))).toEqual([true]);
    expect(plan.written.size).toBe(4);
    // The source's last entry but one deleted: that one is tombstoned.
    expect(planChanges(base.slice(1), written, options).ops).toHaveLength(1);
  });

  it('victoriametrics: every change and deletion deletes the entry\'s series first', () => {
    const vm = { ...options, remove: 'delete-series' as const };
    const plan = planChanges([{ ...base[0]!, description: 'x' }, base[1]!], planChanges(base, new Map(), vm).written, vm);
    expect(plan.ops.map((op) => op.kind)).toEqual(['delete', 'write', 'delete']);
    expect(plan.ops[0]).toEqual({ kind: 'delete', match: '{__name__=~"dash_entry_.*",source="toggl",entry="0",instance="i"}' });
  });
});
