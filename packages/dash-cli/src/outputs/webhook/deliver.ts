import { parseRetryAfter } from './schedule.js';
import { signedHeaders } from './sign.js';

/** Each attempt's limit (Standard Webhooks receivers answer at once and do the work later). */
export const REQUEST_TIMEOUT_MS = 15_000;

/** The limit in force: 15 s, or, for tests only, `DASH_OUTPUT_TIMEOUT_MS`. */
export function timeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.DASH_OUTPUT_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : REQUEST_TIMEOUT_MS;
}

/** How one attempt went. */
export type Attempt =
  | { kind: 'delivered'; status: number; firstLine: string }
  | { kind: 'gone'; status: 410; firstLine: string }
  | { kind: 'failed'; code: string; message: string; status?: number; firstLine?: string; retryAfterMs?: number };

export interface PostOptions {
  url: string;
  secret: string;
  id: string;
  body: string;
  timeoutMs: number;
  /** Aborts the attempt (the host is stopping). */
  signal: AbortSignal;
  userAgent: string;
}

/** `https://user:pass@host/…` → the URL without them and a Basic Authorization header (fetch refuses credentials in URLs). */
function splitCredentials(raw: string): { url: string; authorization?: string } {
  const url = new URL(raw);
  if (!url.username && !url.password) return { url: url.href };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.href, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** At most this much of a receiver's answer is read (its first line is all Dash shows). */
const MAX_BODY_BYTES = 16 * 1024;

/** The start of a response body (up to MAX_BODY_BYTES, as UTF-8); the rest is not read. */
async function headOf(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut short still tells what it began with.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

/** The first line of a response body, at most 200 characters. */
function firstLineOf(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').slice(0, 200);
}

function networkCode(error: unknown): string {
  let cause: unknown = error;
  for (let depth = 0; depth < 4 && cause; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return 'NETWORK';
}

/**
 * One signed POST of `body` (Standard Webhooks headers, signed for this attempt's second).
 * 2xx: delivered; 410: gone (the receiver wants no more); anything else, a 3xx included, a
 * timeout or a network error: failed, with the receiver's Retry-After when it sent one.
 */
export async function postSigned(options: PostOptions): Promise<Attempt> {
  const { url, authorization } = splitCredentials(options.url);
  const timestamp = Math.floor(Date.now() / 1000);
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = AbortSignal.any([timeout, options.signal]);
  try {
    const response = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent,
        ...signedHeaders(options.secret, options.id, timestamp, options.body),
        ...(authorization ? { authorization } : {}),
      },
      body: options.body,
    });
    const firstLine = firstLineOf(await headOf(response));
    if (response.status >= 200 && response.status < 300) return { kind: 'delivered', status: response.status, firstLine };
    if (response.status === 410) return { kind: 'gone', status: 410, firstLine };
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return {
      kind: 'failed',
      code: `HTTP_${response.status}`,
      message: `the receiver answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      status: response.status,
      firstLine,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    };
  } catch (error) {
    if (timeout.aborted) return { kind: 'failed', code: 'TIMEOUT', message: `no answer within ${Math.round(options.timeoutMs / 100) / 10} s` };
    if (options.signal.aborted) return { kind: 'failed', code: 'ABORTED', message: 'Dash stopped during the attempt' };
    const code = networkCode(error);
    return { kind: 'failed', code, message: `cannot reach the receiver (${code})` };
  }
}
