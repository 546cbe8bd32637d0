import { DashError, retryAfterMs } from 'dash-core';

/** Sent with every request: Upwork's edge treats anonymous clients with suspicion. */
export const USER_AGENT = 'dash-plugin-upwork (+https://www.npmjs.com/package/dash-plugin-upwork)';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** Headers and body must arrive within this, per request (a sync's deadline may cut it shorter). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** One HTTP request with undici; a network failure becomes DashError NETWORK (no URL secrets in it). */
export async function send(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string; signal?: AbortSignal; timeoutMs?: number },
): Promise<HttpAnswer> {
  try {
    // Loaded with the first request: undici takes ~100 ms to load, the dashboard draws first.
    const { request } = await import('undici');
    const response = await request(url, {
      method: init.method,
      headers: { 'user-agent': USER_AGENT, accept: 'application/json', ...init.headers },
      body: init.body,
      signal: init.signal,
      headersTimeout: init.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      bodyTimeout: init.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, text };
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason ?? error;
    const host = safeHost(url);
    const code = (error as { code?: string }).code;
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
    const reason = timedOut
      ? `no answer within ${Number(((init.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000).toFixed(1))}s`
      : (code ?? (error as Error).message);
    throw new DashError('NETWORK', `cannot reach ${host}: ${reason}`, { cause: error });
  }
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the server';
  }
}

/** JSON of an answer, or undefined when the body is not JSON (an HTML challenge page, say). */
export function jsonOf(answer: HttpAnswer): unknown {
  try {
    return JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

export function headerOf(answer: HttpAnswer, name: string): string | undefined {
  const value = answer.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** Seconds from a Retry-After header (delta seconds or an HTTP date), if any, clamped to [0, 1 h]. */
export function retryAfterSeconds(answer: HttpAnswer, now: number = Date.now()): number | undefined {
  const ms = retryAfterMs(headerOf(answer, 'retry-after'), now);
  return ms === undefined ? undefined : Math.ceil(ms / 1000);
}
