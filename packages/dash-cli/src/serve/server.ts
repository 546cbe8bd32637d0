import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { jsonText } from 'dash-core/host';
import { snapshotJson } from '../snapshot/json.js';
import { sessionCookie, tokenChecker } from './auth.js';
import { Coverage } from './coverage.js';
import { entryRows } from './entries.js';
import { Grafana } from './grafana.js';
import { HttpError, readJson, sendError, sendJson, sendText } from './http.js';
import { LiveWeek } from './live.js';
import { prometheusText } from './metrics.js';
import { signInPage, dashboardPage } from './page.js';
import { rangeOf, snapshotQuery, weekRange } from './query.js';
import type { ServeSession } from './session.js';
import { EventStreams } from './sse.js';

export interface ServeOptions {
  token: string;
  /** Origins allowed cross-origin requests (none: no CORS headers at all). */
  corsOrigins: readonly string[];
  /** One line per request on `log` (method, path without the query, status, time). */
  logRequests?: (line: string) => void;
  keepaliveMs?: number;
}

export interface DashServer {
  server: Server;
  live: LiveWeek;
  streams: EventStreams;
  /** Ends the event streams and every connection, and stops listening. */
  close(): Promise<void>;
}

type Handler = (request: IncomingMessage, response: ServerResponse, url: URL) => unknown;

/**
 * The HTTP side of `dash-cli serve` on node:http (README § Serve): every route but /healthz
 * wants the token; the snapshot is the bytes `snapshot --json` prints; /api/v1/events streams the
 * live week; /metrics and /grafana serve Prometheus and Grafana.
 */
export function createDashServer(session: ServeSession, options: ServeOptions): DashServer {
  const authorized = tokenChecker(options.token);
  const live = new LiveWeek(session);
  const streams = new EventStreams(live, { keepaliveMs: options.keepaliveMs });
  const coverage = new Coverage(session);
  const grafana = new Grafana({ store: session.store, live, coverage, now: session.now });
  const eventCounts = new Map<string, number>();
  live.onUpdate(({ events }) => {
    for (const event of events) eventCounts.set(event.type, (eventCounts.get(event.type) ?? 0) + 1);
  });

  // The snapshot's text for one query, kept while the store and the second are the same (a
  // dashboard polling it, Grafana panels, scripts): built and serialised once.
  // Kept encoded: each answer is the same bytes, sent as they are.
  let cached: { key: string; text: Buffer } | undefined;
  const snapshotText = (query: { at?: Date; week?: Date }, search: string): Buffer => {
    const key = `${live.version}|${Math.floor(session.now().getTime() / 1000)}|${search}`;
    if (cached?.key !== key) cached = { key, text: Buffer.from(snapshotJson(live.snapshot(query), { pretty: false })) };
    return cached.text;
  };

  const json = (produce: (request: IncomingMessage, url: URL) => unknown): Handler => async (request, response, url) => {
    sendText(response, 200, jsonText(await produce(request, url), 0), 'application/json; charset=utf-8');
  };
  const post = (produce: (body: unknown) => unknown): Handler => json(async (request) => produce(await readJson(request)));

  const routes: Record<string, Partial<Record<string, Handler>>> = {
    '/': {
      GET: (_request, response) => sendText(response, 200, dashboardPage(), 'text/html; charset=utf-8', dashboardPage.headers),
    },
    '/api/v1/snapshot': {
      GET: async (_request, response, url) => {
        const query = snapshotQuery(url.searchParams, session.config);
        const shown = query.week ?? query.at;
        if (shown) await coverage.ensure(weekRange(shown, session.config));
        sendText(response, 200, snapshotText(query, url.search), 'application/json; charset=utf-8');
      },
    },
    '/api/v1/entries': {
      GET: json(async (_request, url) => {
        const range = rangeOf(url.searchParams.get('from'), url.searchParams.get('to'));
        await coverage.ensure(range);
        return entryRows(session.store, range, session.now());
      }),
    },
    '/api/v1/events': { GET: (request, response) => streams.open(request, response) },
    '/metrics': {
      GET: (_request, response) => sendText(response, 200, prometheusText(live.snapshot(), eventCounts), 'text/plain; version=0.0.4; charset=utf-8'),
    },
    '/grafana': { GET: (_request, response) => sendJson(response, 200, { ok: true }) },
    '/grafana/metrics': { POST: post(() => grafana.metrics()) },
    '/grafana/metric-payload-options': { POST: post((body) => grafana.payloadOptions(body)) },
    '/grafana/query': { POST: post((body) => grafana.query(body)) },
    '/grafana/variable': { POST: post((body) => grafana.variable(body)) },
    '/grafana/tag-keys': { POST: post(() => grafana.tagKeys()) },
    '/grafana/tag-values': { POST: post((body) => grafana.tagValuesRequest(body)) },
  };

  function cors(request: IncomingMessage, response: ServerResponse): void {
    const origin = request.headers.origin;
    if (origin === undefined || !options.corsOrigins.includes(origin)) return;
    response.setHeader('Access-Control-Allow-Origin', origin);
    response.setHeader('Vary', 'Origin');
    response.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
    response.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://dash.invalid');
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = request.method ?? 'GET';
    cors(request, response);
    if (path === '/healthz') return sendJson(response, 200, { ok: true });
    if (method === 'OPTIONS' && response.hasHeader('Access-Control-Allow-Origin')) {
      response.writeHead(204, { 'Access-Control-Max-Age': '600' }).end();
      return;
    }
    // A browser that follows the printed link: keep the token in a cookie, drop it from the address bar.
    if (path === '/' && method === 'GET' && url.searchParams.has('token')) {
      const given = url.searchParams.get('token')!;
      const ok = authorized({ headers: { authorization: `Bearer ${given}` } } as IncomingMessage);
      if (!ok) return sendText(response, 401, signInPage(), 'text/html; charset=utf-8', signInPage.headers);
      response.writeHead(303, { Location: '/', 'Set-Cookie': sessionCookie(given), 'Cache-Control': 'no-store' }).end();
      return;
    }
    if (!authorized(request)) {
      if (path === '/' && method === 'GET') return sendText(response, 401, signInPage(), 'text/html; charset=utf-8', signInPage.headers);
      throw new HttpError(401, 'UNAUTHORIZED', 'unauthorized');
    }
    const route = routes[path];
    if (!route) throw new HttpError(404, 'NOT_FOUND', `no such endpoint: ${path}`);
    const handler = route[method] ?? (method === 'HEAD' ? route.GET : undefined);
    if (!handler) {
      response.setHeader('Allow', Object.keys(route).join(', '));
      throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed here (use ${Object.keys(route).join(' or ')})`);
    }
    await handler(request, response, url);
  }

  const server = createServer({ keepAliveTimeout: 5_000 }, (request, response) => {
    const started = performance.now();
    if (options.logRequests) {
      response.on('finish', () => {
        const path = (request.url ?? '/').split('?')[0];
        options.logRequests!(`${request.method} ${path} ${response.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
      });
    }
    handle(request, response).catch((error: unknown) => {
      const failure = error instanceof HttpError ? error : new HttpError(500, 'INTERNAL', 'internal error');
      if (!(error instanceof HttpError)) session.log.debug(`serve: ${request.method} ${(request.url ?? '/').split('?')[0]}: ${error instanceof Error ? error.message : String(error)}`);
      if (response.headersSent) response.end();
      else sendError(response, failure);
    });
  });

  live.start();
  return {
    server,
    live,
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        streams.close();
        live.stop();
        server.close(() => resolve());
        server.closeIdleConnections();
        // Whatever is still open after a moment (a slow client) is cut.
        setTimeout(() => server.closeAllConnections(), 1_000).unref();
      }),
  };
}
