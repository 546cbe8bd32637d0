/**
 * A fake Upwork for tests: a real HTTP server on 127.0.0.1 (port 0) speaking Upwork's wire
 * format (reference/upwork-api.md): the OAuth2 token endpoint (authorization_code and
 * refresh_token grants, rotating refresh tokens, expiry, invalid_grant), the authorize page
 * (redirects like a browser sign-in would), and the GraphQL endpoint answering the queries the
 * plugin sends, with errors on HTTP 200, 401 after the access token expires, 429 on demand.
 * Every request is counted.
 *
 * It holds the plugin to the real API's rules (reference/api-conformance.md):
 * - a 429 blocks the client until a minute after its last rate-limited request: any request in
 *   that minute is limited again and extends it (`counts.limited`);
 * - `contractTimeReport` answers pages of at most 100 rows (`pagination: { first, after }`,
 *   `pageInfo { endCursor hasNextPage }`);
 * - `talentWorkHistory` and `vendorContracts` take their filter as one input-object variable
 *   (`filter: $filter`): written inline, a scalar's type (ID or String, undocumented) can mismatch,
 *   so an inline filter is a validation error here;
 * - WorkdaysInput and WorkDiaryContractInput must carry `offsetInSeconds` (its default is
 *   undocumented); this fake serves UTC days, so only 0 is answered.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RawValueForm =
  | 'epoch-seconds'
  | 'epoch-seconds-number'
  | 'epoch-milliseconds'
  | 'iso'
  | 'compact'
  | 'seconds-of-day';

export interface FakeContract {
  id: string;
  title: string;
  client: string;
  jobType?: 'HOURLY' | 'FIXED';
}

export interface FakeCell {
  contractId: string;
  /** Epoch seconds of the cell's start (a multiple of 600). */
  start: number;
  manual?: boolean;
  overtime?: boolean;
  memo?: string;
}

export type Injected =
  | { kind: '429'; retryAfter?: number }
  | { kind: '500' }
  | { kind: 'html' }
  | { kind: 'errors'; errors: { message: string; path?: string[]; extensions?: Record<string, unknown> }[] };

export interface FakeUpworkOptions {
  clientId?: string;
  clientSecret?: string;
  /** Access-token lifetime (Upwork: 86400). */
  accessTtlSeconds?: number;
  /** Refresh-token lifetime since issue (Upwork: 14 days). */
  refreshTtlSeconds?: number;
  /** How long a rotated-away refresh token keeps working (Upwork: 24 h; 0 = dies at once). */
  rotatedGraceSeconds?: number;
  /** The server's clock, epoch ms. */
  now?: () => number;
}

interface AccessToken {
  expiresAt: number;
}
interface RefreshToken {
  expiresAt: number;
}

export interface Counts {
  authorize: number;
  codeExchanges: number;
  refreshes: number;
  invalidGrants: number;
  graphql: number;
  unauthorized: number;
  /** Root fields asked for, by name (aliases counted once each). */
  fields: Record<string, number>;
  /** Requests answered 429 (injected, or sent while blocked). */
  limited: number;
}

/** How long a 429 blocks the client after its last rate-limited request (Upwork: a minute). */
export const RATE_LIMIT_BLOCK_MS = 60_000;
/** The most rows one contractTimeReport page holds. */
export const TIME_REPORT_MAX_PAGE = 100;

export const USER_ID = '1384692514721894401';

const PERMISSION_MESSAGE = "The client or authentication token doesn't have enough oauth2 permissions/scopes to access: ";

export class FakeUpwork {
  readonly clientId: string;
  readonly clientSecret: string;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
  rotatedGraceSeconds: number;
  now: () => number;
  contracts: FakeContract[] = [];
  cells: FakeCell[] = [];
  rawValueForm: RawValueForm = 'epoch-seconds';
  /** Root fields answered with a permission error on HTTP 200 (e.g. "talentWorkHistory"). */
  denied = new Set<string>();
  /** Failures for the next GraphQL requests, in order. */
  inject: Injected[] = [];
  /** Delay before answering a refresh (to make concurrent refreshes overlap). */
  refreshDelayMs = 0;
  counts: Counts = { authorize: 0, codeExchanges: 0, refreshes: 0, invalidGrants: 0, graphql: 0, unauthorized: 0, fields: {}, limited: 0 };
  /** While now < this (epoch ms on `now`), every GraphQL request is answered 429. */
  rateLimitedUntil = 0;
  /** Every GraphQL request body and its authorization header, in order. */
  log: { query: string; variables: Record<string, unknown>; authorization: string | undefined; tenant: string | undefined }[] = [];

  readonly #codes = new Map<string, string>();
  readonly #access = new Map<string, AccessToken>();
  readonly #refresh = new Map<string, RefreshToken>();
  #server: Server | undefined;
  #port = 0;

  constructor(options: FakeUpworkOptions = {}) {
    this.clientId = options.clientId ?? 'fake-client-id';
    this.clientSecret = options.clientSecret ?? 'fake-client-secret-0123456789';
    this.accessTtlSeconds = options.accessTtlSeconds ?? 86_400;
    this.refreshTtlSeconds = options.refreshTtlSeconds ?? 14 * 86_400;
    this.rotatedGraceSeconds = options.rotatedGraceSeconds ?? 86_400;
    this.now = options.now ?? (() => Date.now());
  }

  static async start(options: FakeUpworkOptions = {}): Promise<FakeUpwork> {
    const fake = new FakeUpwork(options);
    await fake.listen();
    return fake;
  }

  async listen(): Promise<void> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: String(error) }));
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    if (!this.#server) return;
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server!.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }
  get apiUrl(): string {
    return `${this.url}/graphql`;
  }
  get tokenUrl(): string {
    return `${this.url}/api/v3/oauth2/token`;
  }
  get authorizeUrl(): string {
    return `${this.url}/ab/account-security/oauth2/authorize`;
  }

  /** Options for a backend pointed at this fake. */
  backendOptions(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      client_id: this.clientId,
      client_secret: this.clientSecret,
      api_url: this.apiUrl,
      token_url: this.tokenUrl,
      authorize_url: this.authorizeUrl,
      requests_per_second: 8,
      ...extra,
    };
  }

  /** A valid token pair, as if the user had signed in; `at` is when it was issued. */
  issueTokens(at = this.now()): { access_token: string; refresh_token: string; expires_in: number } {
    const access = `oauth2v2_${randomBytes(16).toString('hex')}`;
    const refresh = `oauth2v2_${randomBytes(16).toString('hex')}`;
    this.#access.set(access, { expiresAt: at + this.accessTtlSeconds * 1000 });
    this.#refresh.set(refresh, { expiresAt: at + this.refreshTtlSeconds * 1000 });
    return { access_token: access, refresh_token: refresh, expires_in: this.accessTtlSeconds };
  }

  /** Every access token issued so far stops working (the next GraphQL call gets a 401). */
  expireAccessTokens(): void {
    for (const token of this.#access.values()) token.expiresAt = 0;
  }

  /** Every refresh token stops working (invalid_grant). */
  revokeRefreshTokens(): void {
    for (const token of this.#refresh.values()) token.expiresAt = 0;
  }

  isValidRefreshToken(token: string): boolean {
    const found = this.#refresh.get(token);
    return found !== undefined && found.expiresAt > this.now();
  }

  /** Adds tracked cells for [start, start + minutes) (minutes a multiple of 10). */
  addSession(contractId: string, startIso: string, minutes: number, extra: Omit<FakeCell, 'contractId' | 'start'> = {}): void {
    const start = Math.floor(Date.parse(startIso) / 1000);
    if (start % 600 !== 0 || minutes % 10 !== 0) throw new Error('cells start on 10-minute marks');
    for (let offset = 0; offset < minutes * 60; offset += 600) this.cells.push({ contractId, start: start + offset, ...extra });
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.url);
    const body = await readBody(request);
    if (request.method === 'GET' && url.pathname === '/ab/account-security/oauth2/authorize') return this.#authorize(url, response);
    if (request.method === 'POST' && url.pathname === '/api/v3/oauth2/token') return this.#token(request, body, response);
    if (request.method === 'POST' && url.pathname === '/graphql') return this.#graphql(request, body, response);
    send(response, 404, { message: 'Not Found' });
  }

  /** The browser part of sign-in: "the user clicks Allow", then a redirect with a code. */
  #authorize(url: URL, response: ServerResponse): void {
    this.counts.authorize += 1;
    const redirect = url.searchParams.get('redirect_uri');
    if (url.searchParams.get('client_id') !== this.clientId || !redirect || url.searchParams.get('response_type') !== 'code') {
      send(response, 400, { error: 'invalid_request' });
      return;
    }
    const code = randomBytes(8).toString('hex');
    this.#codes.set(code, redirect);
    const target = new URL(redirect);
    target.searchParams.set('code', code);
    const state = url.searchParams.get('state');
    if (state !== null) target.searchParams.set('state', state);
    response.writeHead(302, { location: target.toString() }).end();
  }

  async #token(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      send(response, 400, { error: 'invalid_request', error_description: 'form body expected' });
      return;
    }
    const form = new URLSearchParams(body);
    if (form.get('client_id') !== this.clientId || form.get('client_secret') !== this.clientSecret) {
      send(response, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
      return;
    }
    const grant = form.get('grant_type');
    if (grant === 'authorization_code') {
      this.counts.codeExchanges += 1;
      const code = form.get('code') ?? '';
      const redirect = this.#codes.get(code);
      this.#codes.delete(code);
      if (redirect === undefined || redirect !== form.get('redirect_uri')) {
        send(response, 400, { error: 'invalid_grant', error_description: 'Invalid authorization code or redirect_uri' });
        return;
      }
      send(response, 200, { ...this.issueTokens(), token_type: 'Bearer' });
      return;
    }
    if (grant === 'refresh_token') {
      this.counts.refreshes += 1;
      if (this.refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.refreshDelayMs));
      const old = form.get('refresh_token') ?? '';
      if (!this.isValidRefreshToken(old)) {
        this.counts.invalidGrants += 1;
        send(response, 400, { error: 'invalid_grant', error_description: 'Refresh token is expired or revoked or not registered' });
        return;
      }
      // Rotation: the old refresh token now dies after the grace period (Upwork: 24 h).
      const now = this.now();
      this.#refresh.get(old)!.expiresAt = Math.min(this.#refresh.get(old)!.expiresAt, now + this.rotatedGraceSeconds * 1000);
      send(response, 200, { ...this.issueTokens(now), token_type: 'Bearer' });
      return;
    }
    send(response, 400, { error: 'unsupported_grant_type' });
  }

  async #graphql(request: IncomingMessage, body: string, response: ServerResponse): Promise<void> {
    this.counts.graphql += 1;
    const authorization = request.headers.authorization;
    const parsed = JSON.parse(body || '{}') as { query?: string; variables?: Record<string, unknown> };
    const query = parsed.query ?? '';
    const variables = parsed.variables ?? {};
    this.log.push({ query, variables, authorization, tenant: request.headers['x-upwork-api-tenantid'] as string | undefined });
    // Limited per client before anything else; a request while blocked extends the block.
    if (this.now() < this.rateLimitedUntil) {
      this.counts.limited += 1;
      this.rateLimitedUntil = this.now() + RATE_LIMIT_BLOCK_MS;
      send(response, 429, { message: 'Too Many Requests' });
      return;
    }
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const access = token ? this.#access.get(token) : undefined;
    if (!access || access.expiresAt <= this.now()) {
      this.counts.unauthorized += 1;
      send(response, 401, { message: 'Authentication failed' });
      return;
    }
    const injected = this.inject.shift();
    if (injected?.kind === '429') {
      this.counts.limited += 1;
      this.rateLimitedUntil = this.now() + Math.max(RATE_LIMIT_BLOCK_MS, (injected.retryAfter ?? 0) * 1000);
      response.writeHead(429, { 'content-type': 'application/json', ...(injected.retryAfter !== undefined ? { 'retry-after': String(injected.retryAfter) } : {}) });
      response.end(JSON.stringify({ message: 'Too Many Requests' }));
      return;
    }
    if (injected?.kind === '500') return send(response, 500, { message: 'Internal Server Error' });
    if (injected?.kind === 'html') {
      response.writeHead(403, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>Just a moment...</title>Enable JavaScript and cookies to continue');
      return;
    }
    if (injected?.kind === 'errors') return send(response, 200, { data: null, errors: injected.errors });

    const data: Record<string, unknown> = {};
    const errors: unknown[] = [];
    const deny = (alias: string, field: string, fields: string[]) => {
      data[alias] = null;
      errors.push({ message: `${PERMISSION_MESSAGE}[${fields.join(', ')}]`, locations: [{ line: 1, column: 1 }], path: [alias], extensions: { classification: 'ExecutionAborted' } });
      void field;
    };
    const count = (field: string) => (this.counts.fields[field] = (this.counts.fields[field] ?? 0) + 1);

    const aliased = [...query.matchAll(/(\w+)\s*:\s*(workDays|workDiaryContract)\s*\(\s*\w+\s*:\s*\$(\w+)\s*\)/g)];
    for (const [, alias, field, variable] of aliased) {
      count(field!);
      if (this.denied.has(field!)) {
        deny(alias!, field!, field === 'workDays' ? ['Query.workDays'] : ['Contract.workDiaryTimeCells', 'DateTime.rawValue']);
        continue;
      }
      const input = variables[variable!] as Record<string, unknown> | undefined;
      if (input?.offsetInSeconds !== 0) {
        data[alias!] = null;
        errors.push({
          message: `${field === 'workDays' ? 'WorkdaysInput' : 'WorkDiaryContractInput'}.offsetInSeconds: send 0 for UTC days (its default is undocumented; got ${JSON.stringify(input?.offsetInSeconds)})`,
          path: [alias],
          extensions: { classification: 'ValidationError' },
        });
        continue;
      }
      data[alias!] = field === 'workDays' ? this.#workDays(input) : this.#diary(input);
    }
    /** The filter of `field`, when it is passed whole as a variable (`field(filter: $x)`); else a validation error. */
    const filterOf = (field: string): Record<string, unknown> | undefined => {
      const variable = new RegExp(`\\b${field}\\s*\\(\\s*filter\\s*:\\s*\\$(\\w+)\\s*\\)`).exec(query)?.[1];
      const filter = variable === undefined ? undefined : variables[variable];
      if (filter && typeof filter === 'object') return filter as Record<string, unknown>;
      data[field] = null;
      errors.push({
        message: `Validation error (VariableTypeMismatch@[${field}]): pass the filter as one input-object variable (filter: $filter); inline scalars may not match ID vs String`,
        path: [field],
        extensions: { classification: 'ValidationError' },
      });
      return undefined;
    };
    if (aliased.length === 0) {
      if (/\btalentWorkHistory\b/.test(query)) {
        count('talentWorkHistory');
        const filter = this.denied.has('talentWorkHistory') ? undefined : filterOf('talentWorkHistory');
        if (this.denied.has('talentWorkHistory')) deny('talentWorkHistory', 'talentWorkHistory', ['Query.talentWorkHistory']);
        else if (!filter) void 0; // answered with a validation error by filterOf
        else if (filter.personId !== USER_ID) data.talentWorkHistory = { workHistoryList: [] };
        else {
          data.talentWorkHistory = {
            workHistoryList: this.contracts.map((contract) => ({
              contract: { id: contract.id, title: contract.title, terms: { hourlyRate: '45.00', jobType: contract.jobType ?? 'HOURLY' } },
            })),
          };
        }
      } else if (/\bvendorContracts\b/.test(query)) {
        count('vendorContracts');
        if (this.denied.has('vendorContracts')) {
          data.vendorContracts = null;
          errors.push({ message: 'Authorization failed', path: ['vendorContracts'], extensions: { classification: 'ExecutionAborted' } });
        } else {
          const filter = filterOf('vendorContracts');
          if (filter) data.vendorContracts = {
            contracts: (filter.vendorId === USER_ID ? this.contracts : [])
              .filter((contract) => (contract.jobType ?? 'HOURLY') === 'HOURLY')
              .map((contract) => ({ id: contract.id, title: contract.title, status: 'ACTIVE', clientOrganization: { name: contract.client }, clientTeam: { name: contract.client } })),
          };
        }
      } else if (/\bcontractTimeReport\b/.test(query)) {
        count('contractTimeReport');
        if (this.denied.has('contractTimeReport')) deny('user', 'contractTimeReport', ['User.contractTimeReport']);
        else data.user = { contractTimeReport: this.#timeReportPage(query, variables) };
      } else if (/\buser\s*\{\s*id\b/.test(query)) {
        count('user');
        data.user = { id: USER_ID, nid: 'jane_doe_dev' };
      } else {
        errors.push({ message: 'Validation error: unknown field', extensions: { classification: 'ValidationError' } });
      }
    }
    send(response, 200, errors.length > 0 ? { data, errors } : { data });
  }

  #workDays(input: Record<string, unknown> | undefined): { workDays: string[] } {
    const ids = (input?.contractIds as string[] | undefined) ?? [];
    const range = input?.timeRange as { rangeStart: string; rangeEnd: string } | undefined;
    const days = new Set<string>();
    for (const cell of this.cells) {
      const day = utcDay(cell.start);
      if (ids.includes(cell.contractId) && range && day >= range.rangeStart && day <= range.rangeEnd) days.add(day);
    }
    return { workDays: [...days].sort() };
  }

  #diary(input: Record<string, unknown> | undefined): unknown {
    const contractId = String(input?.contractId ?? '');
    const date = String(input?.date ?? '');
    if (!/^\d{8}$/.test(date)) throw new Error(`bad date ${date}`);
    const cells = this.cells
      .filter((cell) => cell.contractId === contractId && utcDay(cell.start) === date)
      .sort((a, b) => a.start - b.start)
      .map((cell) => ({
        cellDateTime: { rawValue: this.#raw(cell.start) },
        snapshotDateTime: { rawValue: this.#raw(cell.start + 137) },
        manual: cell.manual ?? false,
        overtime: cell.overtime ?? false,
        activityLevel: cell.manual ? 0 : 7,
        memo: cell.memo ?? '',
      }));
    return { workDiaryMetadata: { timezoneOffset: 0, archivingDateTime: null }, workDiaryTimeCells: cells };
  }

  #raw(seconds: number): string | number {
    const iso = new Date(seconds * 1000).toISOString();
    switch (this.rawValueForm) {
      case 'epoch-seconds':
        return String(seconds);
      case 'epoch-seconds-number':
        return seconds;
      case 'epoch-milliseconds':
        return String(seconds * 1000);
      case 'iso':
        return iso.replace('.000Z', 'Z');
      case 'compact':
        return iso.slice(0, 16).replace(/[-T:]/g, '');
      case 'seconds-of-day':
        return seconds % 86_400;
    }
  }

  /** One page: `pagination` from a variable ({ first, after }) or inline (`first: n`); at most 100 rows. */
  #timeReportPage(query: string, variables: Record<string, unknown>): unknown {
    const pagination = (variables.pagination ?? {}) as { first?: unknown; after?: unknown };
    const first = Number(pagination.first ?? /pagination\s*:\s*\{\s*first\s*:\s*(\d+)/.exec(query)?.[1] ?? TIME_REPORT_MAX_PAGE);
    const size = Math.min(TIME_REPORT_MAX_PAGE, Math.max(1, first));
    const from = typeof pagination.after === 'string' ? Number(Buffer.from(pagination.after, 'base64url').toString('utf8')) : 0;
    const rows = this.#timeReport(variables.range as { rangeStart: string; rangeEnd: string } | undefined);
    const page = rows.slice(from, from + size);
    const cursor = (index: number) => Buffer.from(String(index), 'utf8').toString('base64url');
    return {
      totalCount: rows.length,
      edges: page.map((node, index) => ({ ...(node as object), cursor: cursor(from + index + 1) })),
      pageInfo: { endCursor: page.length > 0 ? cursor(from + page.length) : null, hasNextPage: from + page.length < rows.length },
    };
  }

  /** Every row of the range: one per contract and day, by day then contract. */
  #timeReport(range: { rangeStart: string; rangeEnd: string } | undefined): unknown[] {
    const rows = new Map<string, { contract: FakeContract; day: string; cells: number }>();
    for (const cell of this.cells) {
      const day = utcDay(cell.start);
      if (range && (day < range.rangeStart || day > range.rangeEnd)) continue;
      const contract = this.contracts.find((item) => item.id === cell.contractId);
      if (!contract) continue;
      const key = `${contract.id}|${day}`;
      const row = rows.get(key) ?? { contract, day, cells: 0 };
      row.cells += 1;
      rows.set(key, row);
    }
    return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.contract.id.localeCompare(b.contract.id)).map((row) => ({
      node: {
        dateWorkedOn: row.day,
        totalHoursWorked: row.cells / 6,
        contract: { id: row.contract.id, title: row.contract.title, clientTeam: { name: row.contract.client } },
      },
    }));
  }
}

function utcDay(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10).replaceAll('-', '');
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Writes a token file as `dash-cli auth` would (mode 0600), for tests that start signed in. */
export async function writeTokenFile(
  path: string,
  tokens: { access_token: string; refresh_token: string; expires_in: number },
  issuedAt: Date,
): Promise<void> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const stored = {
    version: 1,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    token_type: 'Bearer',
    expires_at: new Date(issuedAt.getTime() + tokens.expires_in * 1000).toISOString(),
    obtained_at: issuedAt.toISOString(),
  };
  await writeFile(path, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
}
