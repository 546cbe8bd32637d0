/**
 * A fake Toggl Track API v9 for tests: a real HTTP server on 127.0.0.1 that speaks the wire format
 * of the reference samples (docs: /work/shared/reference/toggl-api.md §2, §5), keeps an hourly
 * quota per token with the X-Toggl-Quota-* headers, and can be told to fail.
 *
 *   const toggl = await startFakeToggl({ token: 'tok', now: clock.now });
 *   toggl.addEntry({ start: '…', stop: '…', project_id: 1 });
 *   toggl.script({ status: 500 });           // the next request answers 500
 *   toggl.requests                           // everything it was asked
 *   await toggl.close();
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeProject {
  id: number;
  name: string;
  color: string;
  client_name: string | null;
  billable: boolean;
  active?: boolean;
}

/** A time entry exactly as Toggl v9 stores it (see reference §5.1–5.4). */
export interface FakeTimeEntry {
  id: number;
  workspace_id: number;
  project_id: number | null;
  task_id: number | null;
  billable: boolean;
  start: string;
  stop: string | null;
  duration: number;
  description: string | null;
  tags: string[] | null;
  tag_ids: number[] | null;
  duronly: boolean;
  at: string;
  server_deleted_at: string | null;
  user_id: number;
  uid: number;
  wid: number;
  pid?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The fake's clock when it arrived. */
  at: Date;
  authorization: string | undefined;
  userAgent: string | undefined;
  /** The status it was answered with. */
  status: number;
}

/** A programmed answer for the next matching request. */
export interface ScriptedResponse {
  /** Only requests whose path (after /api/v9) starts with this; any path when unset. */
  path?: string;
  status?: number;
  /** A raw body (sent as is: use it for malformed JSON), or a value sent as JSON. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** Wait this long (real ms) before answering. */
  delayMs?: number;
  /** Whether this answer counts against the quota (default true, as every real request does). */
  countsAgainstQuota?: boolean;
  /** Omit the quota headers from this answer. */
  noQuotaHeaders?: boolean;
}

export interface FakeTogglOptions {
  /** The accepted API token (default "fake-toggl-token-0123456789abcdef"). */
  token?: string;
  /** The fake's clock (default: real time). Share a FakeClock with the code under test. */
  now?: () => Date;
  /** Requests per window (default 30, the /me quota of every plan). */
  quotaLimit?: number;
  /** Window length in seconds (default 3600). */
  quotaWindowSeconds?: number;
  /** Send X-Toggl-Quota-* headers (default true; pre-2025 responses had none). */
  quotaHeaders?: boolean;
  workspaceId?: number;
  userId?: number;
}

const TOKEN = 'fake-toggl-token-0123456789abcdef';

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function parseDateParam(value: string): number | undefined {
  // YYYY-MM-DD (midnight UTC) or RFC 3339 with seconds; a raw "+" in the offset arrives as a space.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

export class FakeToggl {
  /** The accepted API token (change it to make requests fail with 403). */
  token: string;
  readonly workspaceId: number;
  readonly userId: number;
  readonly requests: RecordedRequest[] = [];
  readonly projects = new Map<number, FakeProject>();
  readonly entries = new Map<number, FakeTimeEntry>();
  quotaLimit: number;
  quotaWindowSeconds: number;
  quotaHeaders: boolean;
  /** The current quota window: when it began (epoch ms) and how many requests it has seen. */
  window: { start: number; count: number } | null = null;
  /** Delay (real ms) added to every answer. */
  delayMs = 0;
  /** The user's full name /me answers with (a string Toggl lets the user set to anything). */
  fullname = 'Marco';
  #server: Server;
  #now: () => Date;
  #scripts: ScriptedResponse[] = [];
  #nextId = 4_000_000_000;
  url = '';

  constructor(options: FakeTogglOptions = {}) {
    this.token = options.token ?? TOKEN;
    this.#now = options.now ?? (() => new Date());
    this.quotaLimit = options.quotaLimit ?? 30;
    this.quotaWindowSeconds = options.quotaWindowSeconds ?? 3600;
    this.quotaHeaders = options.quotaHeaders ?? true;
    this.workspaceId = options.workspaceId ?? 2230580;
    this.userId = options.userId ?? 2166261;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(String(error));
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/api/v9`;
    return this;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  now(): Date {
    return this.#now();
  }

  /** Requests whose path (after /api/v9) starts with `prefix` (all without one). */
  count(prefix = ''): number {
    return this.requests.filter((request) => request.path.startsWith(prefix)).length;
  }

  /** Queue answers for the next matching requests (first in, first out). */
  script(...responses: ScriptedResponse[]): void {
    this.#scripts.push(...responses);
  }

  /** Pretend `used` requests of the current window were already spent (by other tools). */
  useQuota(used: number): void {
    const now = this.#now().getTime();
    if (!this.window || now >= this.window.start + this.quotaWindowSeconds * 1000) this.window = { start: now, count: 0 };
    this.window.count += used;
  }

  addProject(project: FakeProject): FakeProject {
    this.projects.set(project.id, project);
    return project;
  }

  /**
   * Adds an entry. `stop: null` with no `duration` makes a running entry the way Toggl's apps do
   * (duration = −start epoch); pass `duration: -1` for one started through the API.
   */
  addEntry(fields: Partial<FakeTimeEntry> & { start: string }): FakeTimeEntry {
    const id = fields.id ?? this.#nextId++;
    const start = new Date(fields.start);
    const stop = fields.stop === undefined || fields.stop === null ? null : new Date(fields.stop);
    const duration =
      fields.duration ?? (stop ? Math.round((stop.getTime() - start.getTime()) / 1000) : -Math.floor(start.getTime() / 1000));
    const projectId = fields.project_id ?? null;
    const entry: FakeTimeEntry = {
      id,
      workspace_id: fields.workspace_id ?? this.workspaceId,
      project_id: projectId,
      task_id: null,
      billable: fields.billable ?? (projectId !== null ? (this.projects.get(projectId)?.billable ?? false) : false),
      start: isoSeconds(start),
      stop: stop ? isoSeconds(stop) : null,
      duration,
      description: fields.description === undefined ? null : fields.description,
      tags: fields.tags === undefined ? [] : fields.tags,
      tag_ids: fields.tag_ids === undefined ? [] : fields.tag_ids,
      duronly: true,
      at: fields.at ?? this.#now().toISOString().replace('Z', '000Z'),
      server_deleted_at: fields.server_deleted_at ?? null,
      user_id: this.userId,
      uid: this.userId,
      wid: fields.workspace_id ?? this.workspaceId,
      ...(projectId !== null ? { pid: projectId } : {}),
    };
    this.entries.set(id, entry);
    return entry;
  }

  /** Edits an entry as Toggl would (bumps `at`). */
  updateEntry(id: number, patch: Partial<FakeTimeEntry>): FakeTimeEntry {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`no entry ${id}`);
    Object.assign(entry, patch, { at: this.#now().toISOString() });
    if (patch.project_id !== undefined) {
      if (patch.project_id === null) delete entry.pid;
      else entry.pid = patch.project_id;
    }
    return entry;
  }

  /** Stops a running entry now (or at `at`). */
  stopEntry(id: number, at: Date = this.#now()): FakeTimeEntry {
    const entry = this.entries.get(id)!;
    return this.updateEntry(id, { stop: isoSeconds(at), duration: Math.round((at.getTime() - Date.parse(entry.start)) / 1000) });
  }

  /** Deletes an entry the way Toggl does: it stays visible to `since` with server_deleted_at set. */
  deleteEntry(id: number): FakeTimeEntry {
    const now = this.#now();
    return this.updateEntry(id, { server_deleted_at: isoSeconds(now) });
  }

  #quota(countsAgainstQuota: boolean): { remaining: number; resetsIn: number; exceeded: boolean } {
    const now = this.#now().getTime();
    const length = this.quotaWindowSeconds * 1000;
    if (!this.window || now >= this.window.start + length) this.window = { start: now, count: 0 };
    if (countsAgainstQuota) this.window.count++;
    const remaining = this.quotaLimit - this.window.count;
    return {
      remaining: Math.max(0, remaining),
      resetsIn: Math.max(0, Math.ceil((this.window.start + length - now) / 1000)),
      exceeded: remaining < 0,
    };
  }

  #withMeta(entry: FakeTimeEntry): Record<string, unknown> {
    const project = entry.project_id === null ? undefined : this.projects.get(entry.project_id);
    return {
      ...entry,
      ...(project
        ? {
            client_name: project.client_name,
            project_name: project.name,
            project_color: project.color,
            project_active: project.active ?? true,
            project_billable: project.billable,
          }
        : {}),
      user_name: 'Marco',
      user_avatar_url: '',
    };
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname.replace(/^\/api\/v9/, '');
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path,
      query,
      at: this.#now(),
      authorization: request.headers.authorization,
      userAgent: request.headers['user-agent'],
      status: 0,
    };
    this.requests.push(record);

    const send = async (status: number, body: string, extra: Record<string, string> = {}, quota = true, delayMs = 0) => {
      record.status = status;
      const wait = this.delayMs + delayMs;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const headers: Record<string, string> = {
        'content-type': 'application/json; charset=utf-8',
        date: this.#now().toUTCString(),
        ...extra,
      };
      if (!quota) {
        delete headers['x-toggl-quota-remaining'];
        delete headers['x-toggl-quota-resets-in'];
      }
      if (response.destroyed) return;
      response.writeHead(status, headers);
      response.end(body);
    };

    // Authentication first (a request without a valid token does not touch the user's quota).
    const auth = request.headers.authorization;
    if (!auth) return send(401, '', { 'x-authorization-missing': 'true' }, false);
    const expected = `Basic ${Buffer.from(`${this.token}:api_token`).toString('base64')}`;
    if (auth !== expected) return send(403, 'Incorrect username and/or password', { 'content-type': 'text/plain; charset=utf-8' }, false);

    const scriptIndex = this.#scripts.findIndex((script) => script.path === undefined || path.startsWith(script.path));
    const scripted = scriptIndex >= 0 ? this.#scripts.splice(scriptIndex, 1)[0] : undefined;
    const quota = this.#quota(scripted?.countsAgainstQuota ?? true);
    const quotaHeaders: Record<string, string> = this.quotaHeaders
      ? { 'x-toggl-quota-remaining': String(quota.remaining), 'x-toggl-quota-resets-in': String(quota.resetsIn) }
      : {};

    if (scripted) {
      const body = scripted.raw ?? (scripted.body === undefined ? '' : JSON.stringify(scripted.body));
      return send(scripted.status ?? 200, body, { ...quotaHeaders, ...scripted.headers }, !scripted.noQuotaHeaders, scripted.delayMs);
    }
    if (quota.exceeded) {
      return send(
        402,
        JSON.stringify('You have hit your hourly limit for API calls. Your quota will reset in ' + quota.resetsIn + ' seconds.'),
        quotaHeaders,
      );
    }
    if (request.method !== 'GET') return send(405, JSON.stringify('method not allowed'), quotaHeaders);

    if (path === '/me') {
      return send(
        200,
        JSON.stringify({
          id: this.userId,
          api_token: this.token,
          email: 'marco@example.com',
          fullname: this.fullname,
          timezone: 'Europe/Berlin',
          default_workspace_id: this.workspaceId,
          beginning_of_week: 1,
          at: '2024-12-16T19:09:07.041832Z',
        }),
        quotaHeaders,
      );
    }

    if (path === '/me/time_entries/current') {
      const running = [...this.entries.values()].find((entry) => entry.duration < 0 && entry.server_deleted_at === null);
      return send(200, running ? JSON.stringify(running) : 'null', quotaHeaders);
    }

    if (path === '/me/time_entries') {
      const meta = query.meta === 'true';
      let list: FakeTimeEntry[];
      if (query.since !== undefined) {
        if (query.before !== undefined) return send(400, JSON.stringify("'since' and 'before' can not be present simultaneously"), quotaHeaders);
        if (!/^\d+$/.test(query.since)) return send(400, JSON.stringify('Invalid since'), quotaHeaders);
        const since = Number(query.since) * 1000;
        list = [...this.entries.values()].filter((entry) => Date.parse(entry.at) >= since);
      } else {
        let from: number;
        let to: number;
        if (query.start_date !== undefined || query.end_date !== undefined) {
          if (query.start_date === undefined || query.end_date === undefined) {
            return send(400, JSON.stringify('start_date and end_date must be used together'), quotaHeaders);
          }
          const start = parseDateParam(query.start_date);
          const end = parseDateParam(query.end_date);
          if (start === undefined || end === undefined) return send(400, JSON.stringify('Invalid date format'), quotaHeaders);
          if (end < start) return send(400, JSON.stringify('end_date must not be earlier than start_date'), quotaHeaders);
          from = start;
          to = end;
        } else {
          to = this.#now().getTime();
          from = to - 9 * 86_400_000;
        }
        list = [...this.entries.values()].filter((entry) => {
          const start = Date.parse(entry.start);
          return entry.server_deleted_at === null && start >= from && start <= to;
        });
      }
      list.sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
      return send(200, JSON.stringify(list.map((entry) => (meta ? this.#withMeta(entry) : entry))), quotaHeaders);
    }

    return send(404, JSON.stringify('Resource can not be found'), quotaHeaders);
  }
}

/** Starts a fake Toggl on 127.0.0.1 (a free port); its API base is `.url`. */
export async function startFakeToggl(options: FakeTogglOptions = {}): Promise<FakeToggl> {
  return new FakeToggl(options).listen();
}
