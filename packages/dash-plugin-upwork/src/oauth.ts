import { DashError } from 'dash-core';
import { jsonOf, safeHost, send } from './http.js';
import type { StoredTokens } from './token-store.js';

export interface OAuthClient {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

/** A token endpoint answer (RFC 6749 §5.1). */
interface TokenAnswer {
  access_token?: unknown;
  refresh_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  error?: unknown;
  error_description?: unknown;
}

/** Upwork's access tokens last 24 h; used when an answer has no expires_in. */
const DEFAULT_EXPIRES_IN = 86_400;

export function signInHint(id: string): string {
  return `sign-in needed: run dash-cli auth ${id}`;
}

/** The refresh token is dead (expired, revoked, rotated away): only a new sign-in helps. */
export function authRequired(id: string, why: string): DashError {
  return new DashError('AUTH_REQUIRED', `${signInHint(id)} (${why})`, { hint: `dash-cli auth ${id}` });
}

async function tokenRequest(client: OAuthClient, form: Record<string, string>, now: Date, backendId: string, signal?: AbortSignal): Promise<StoredTokens> {
  // Upwork wants the client credentials in the form body (node SDK issue #29).
  const body = new URLSearchParams({ ...form, client_id: client.clientId, client_secret: client.clientSecret }).toString();
  const answer = await send(client.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    signal,
  });
  const json = jsonOf(answer) as TokenAnswer | undefined;
  if (answer.status >= 200 && answer.status < 300 && json && typeof json.access_token === 'string' && typeof json.refresh_token === 'string') {
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : Number(json.expires_in ?? DEFAULT_EXPIRES_IN) || DEFAULT_EXPIRES_IN;
    return {
      version: 1,
      access_token: json.access_token,
      refresh_token: json.refresh_token,
      token_type: typeof json.token_type === 'string' ? json.token_type : 'Bearer',
      expires_at: new Date(now.getTime() + expiresIn * 1000).toISOString(),
      obtained_at: now.toISOString(),
    };
  }
  const error = json && typeof json.error === 'string' ? json.error : undefined;
  const description = json && typeof json.error_description === 'string' ? `: ${json.error_description}` : '';
  if (error === 'invalid_grant') {
    throw authRequired(backendId, `Upwork answered invalid_grant${description}`);
  }
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    throw new DashError('AUTH_REQUIRED', `Upwork rejected the API key (${error}${description}): check client_id and client_secret`, {
      hint: 'copy the key and secret from https://www.upwork.com/developer/keys/',
    });
  }
  if (answer.status === 429) throw new DashError('RATE_LIMITED', `${safeHost(client.tokenUrl)} is rate-limiting sign-in (HTTP 429)`);
  if (answer.status >= 500) throw new DashError('NETWORK', `${safeHost(client.tokenUrl)} failed (HTTP ${answer.status})`);
  if (json === undefined) {
    throw new DashError('BAD_RESPONSE', `${safeHost(client.tokenUrl)} answered HTTP ${answer.status} with a page that is not JSON (blocked by a bot check?)`);
  }
  throw new DashError('AUTH_REQUIRED', `token request failed (HTTP ${answer.status}${error ? `, ${error}` : ''}${description})`);
}

/** Authorization code → tokens. */
export function exchangeCode(client: OAuthClient, code: string, redirectUri: string, now: Date, backendId: string, signal?: AbortSignal): Promise<StoredTokens> {
  return tokenRequest(client, { grant_type: 'authorization_code', code, redirect_uri: redirectUri }, now, backendId, signal);
}

/** Refresh token → a new pair (Upwork rotates the refresh token every time). */
export function refreshTokens(client: OAuthClient, refreshToken: string, now: Date, backendId: string, signal?: AbortSignal): Promise<StoredTokens> {
  return tokenRequest(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, now, backendId, signal);
}
