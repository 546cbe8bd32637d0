import { DashError, type Logger } from 'dash-core';
import { authRequired, refreshTokens, type OAuthClient } from './oauth.js';
import type { StoredTokens, TokenFile } from './token-store.js';

/** Refresh this long before the access token expires. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

export interface SessionContext {
  id: string;
  now(): Date;
  log: Logger;
  secret(value: string): void;
}

/**
 * The signed-in session: hands out a valid access token, refreshing it before it expires.
 * Refreshes are single-flight (concurrent callers share one token request), every new pair is
 * written to the token file before it is used (Upwork rotates the refresh token and cuts the
 * old one to 24 h), and the file is re-read first, so another process that refreshed already
 * (watch and a status-bar snapshot, say) is followed rather than raced.
 */
export class TokenSession {
  #tokens: StoredTokens | undefined;
  #refreshing: Promise<StoredTokens> | undefined;
  /** How many refreshes this session sent (for tests and --verbose). */
  refreshCount = 0;

  constructor(
    readonly file: TokenFile,
    readonly client: OAuthClient,
    readonly context: SessionContext,
  ) {}

  #adopt(tokens: StoredTokens): StoredTokens {
    this.context.secret(tokens.access_token);
    this.context.secret(tokens.refresh_token);
    this.#tokens = tokens;
    return tokens;
  }

  async #load(): Promise<StoredTokens> {
    const stored = await this.file.read();
    if (!stored) throw authRequired(this.context.id, `no token file at ${this.file.path}`);
    return this.#adopt(stored);
  }

  #fresh(tokens: StoredTokens): boolean {
    return Date.parse(tokens.expires_at) - this.context.now().getTime() > REFRESH_MARGIN_MS;
  }

  /** A valid access token (refreshed first when it expires within 5 minutes). */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const tokens = this.#tokens ?? (await this.#load());
    if (this.#fresh(tokens)) return tokens.access_token;
    signal?.throwIfAborted();
    return (await this.refresh(tokens.access_token)).access_token;
  }

  /**
   * Gets a new access token because `rejected` expired or was refused (a 401). Callers that
   * arrive while a refresh is in flight share it.
   */
  refresh(rejected: string | undefined): Promise<StoredTokens> {
    if (this.#refreshing) return this.#refreshing;
    const current = this.#tokens;
    // A request that failed with an older token while we refreshed: the new one is already here.
    if (current && rejected !== undefined && current.access_token !== rejected && this.#fresh(current)) {
      return Promise.resolve(current);
    }
    this.#refreshing = this.#refresh(rejected).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refresh(rejected: string | undefined): Promise<StoredTokens> {
    // Another process (or an earlier refresh) may have written a newer pair: use it.
    const onDisk = await this.#load();
    if (onDisk.access_token !== rejected && this.#fresh(onDisk)) {
      this.context.log.debug('using the access token another process refreshed');
      return onDisk;
    }
    let next: StoredTokens;
    try {
      this.refreshCount += 1;
      this.context.log.debug('refreshing the Upwork access token');
      // Not cancelled with the sync: once Upwork has rotated the pair, the answer must be saved.
      next = await refreshTokens(this.client, onDisk.refresh_token, this.context.now(), this.context.id);
    } catch (error) {
      if ((error as DashError).code === 'AUTH_REQUIRED') {
        // Raced with another process that rotated the refresh token a moment ago?
        const again = await this.file.read().catch(() => undefined);
        if (again && again.refresh_token !== onDisk.refresh_token) {
          this.context.log.debug('the refresh token was rotated by another process; using the new one');
          return this.#adopt(again);
        }
      }
      throw error;
    }
    this.#adopt(next);
    try {
      await this.file.write(next);
    } catch (error) {
      // Keep working with the new pair in memory; the old refresh token still lives 24 h.
      throw new DashError('TOKEN_WRITE_FAILED', `cannot save the refreshed Upwork tokens to ${this.file.path}: ${(error as Error).message}`, {
        cause: error,
        hint: 'make the folder writable, then run again (the previous tokens keep working for about a day)',
      });
    }
    this.context.log.debug(`new Upwork tokens saved to ${this.file.path} (valid until ${next.expires_at})`);
    return next;
  }
}
