import { DashError, retryAfterMs, type DashErrorCode } from 'dash-core';
import { terminalText } from 'dash-core/host';
import type { InfluxOptions } from './options.js';

/**
 * The HTTP side: InfluxDB 1.x `POST /write?db=&rp=&precision=s` (HTTP basic auth when a username
 * is given), InfluxDB 2 `POST /api/v2/write?org=&bucket=&precision=s` with `Authorization: Token`,
 * and VictoriaMetrics' `POST /api/v1/admin/tsdb/delete_series`. Every request times out after
 * 15 s. Failures are DashErrors whose `retryable` says whether to try again: the network, 429 and
 * 5xx are; any other 4xx is the config's or the data's fault and is not.
 */
export const REQUEST_TIMEOUT_MS = 15_000;

export class InfluxRequestError extends DashError {
  override name = 'InfluxRequestError';
  constructor(
    code: DashErrorCode,
    message: string,
    readonly retryable: boolean,
    /** Seconds the server asked to wait (Retry-After), if it said. */
    readonly retryAfterSeconds: number | null = null,
    options: { hint?: string; cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}

export interface InfluxClient {
  /** Where it writes, without credentials: names the record's target. */
  readonly target: string;
  write(lines: readonly string[], signal: AbortSignal): Promise<void>;
  /** An empty write: InfluxDB answers 204 only if the database exists and the credentials are good. */
  probe(signal: AbortSignal): Promise<void>;
  deleteSeries(match: string, signal: AbortSignal): Promise<void>;
}

export function createInfluxClient(options: InfluxOptions, timeoutMs = REQUEST_TIMEOUT_MS): InfluxClient {
  const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8' };
  let writeUrl: URL;
  if (options.database !== undefined) {
    writeUrl = new URL(`${options.url}/write`);
    writeUrl.searchParams.set('db', options.database);
    if (options.retention_policy !== undefined) writeUrl.searchParams.set('rp', options.retention_policy);
    if (options.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${options.username}:${options.password ?? ''}`).toString('base64')}`;
    }
  } else {
    writeUrl = new URL(`${options.url}/api/v2/write`);
    writeUrl.searchParams.set('org', options.org ?? '');
    writeUrl.searchParams.set('bucket', options.bucket ?? '');
    if (options.token !== undefined) headers.authorization = `Token ${options.token}`;
  }
  writeUrl.searchParams.set('precision', 's');
  // The URL has no credentials in it (the schema refuses them): it is safe to show.
  const target = `${writeUrl.origin}${writeUrl.pathname}?${writeUrl.searchParams.toString()}`;

  async function send(url: URL, body: string, what: string, signal: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.any([signal, timeout]) });
    } catch (error) {
      if (signal.aborted) throw new InfluxRequestError('INTERRUPTED', `${what}: stopped`, false, null, { cause: error });
      if (timeout.aborted) throw new InfluxRequestError('NETWORK', `${what}: no answer from ${url.host} in ${timeoutMs / 1000} s`, true, null, { cause: error });
      const reason = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new InfluxRequestError('NETWORK', `${what}: cannot reach ${url.host} (${reason?.code ?? reason?.message ?? (error as Error).message})`, true, null, { cause: error });
    }
    const text = await response.text().catch(() => '');
    if (response.ok) return;
    const said = serverMessage(text);
    const detail = `${what}: ${url.host} answered ${response.status}${said ? `: ${said}` : ''}`;
    if (response.status === 429 || response.status >= 500) {
      throw new InfluxRequestError(response.status === 429 ? 'RATE_LIMITED' : 'SERVER_ERROR', detail, true, retryAfter(response.headers.get('retry-after')));
    }
    if (response.status === 401 || response.status === 403) {
      throw new InfluxRequestError('AUTH_REQUIRED', detail, false, null, { hint: 'check username/password (InfluxDB 1.x) or token (InfluxDB 2) of this output' });
    }
    throw new InfluxRequestError('OUTPUT_REJECTED', detail, false, null, {
      hint: response.status === 404 ? 'check url, database (InfluxDB 1.x: CREATE DATABASE …) or org and bucket' : 'the database refused these points; see the message',
    });
  }

  return {
    target,
    async write(lines, signal) {
      if (lines.length === 0) return;
      await send(writeUrl, `${lines.join('\n')}\n`, `writing ${lines.length} point${lines.length === 1 ? '' : 's'}`, signal);
    },
    async probe(signal) {
      await send(writeUrl, '', 'an empty write', signal);
    },
    async deleteSeries(match, signal) {
      const url = new URL(`${options.url}/api/v1/admin/tsdb/delete_series`);
      url.searchParams.set('match[]', match);
      await send(url, '', 'deleting a series', signal);
    },
  };
}

/** The `error` of InfluxDB's JSON answer (or the text), one line, short, safe for a terminal. */
function serverMessage(text: string): string {
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    if (typeof parsed.error === 'string') message = parsed.error;
    else if (typeof parsed.message === 'string') message = parsed.message;
  } catch {
    // not JSON: the text itself
  }
  message = terminalText(message.trim());
  return message.length > 300 ? `${message.slice(0, 299)}…` : message;
}

/** Seconds a `Retry-After` asks for (dash-core's parser), or null. */
function retryAfter(value: string | null): number | null {
  const ms = retryAfterMs(value, Date.now());
  return ms === undefined ? null : ms / 1000;
}
