import { readFile } from 'node:fs/promises';
import { DashError, writeFileAtomic } from 'dash-core';

/** What is kept on disk between runs. */
export interface StoredTokens {
  version: 1;
  access_token: string;
  refresh_token: string;
  token_type: string;
  /** ISO instant the access token expires at. */
  expires_at: string;
  /** ISO instant the tokens were obtained (refresh tokens live 14 days from here). */
  obtained_at: string;
}

function isStoredTokens(value: unknown): value is StoredTokens {
  const v = value as Partial<StoredTokens> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.access_token === 'string' &&
    typeof v.refresh_token === 'string' &&
    typeof v.expires_at === 'string' &&
    !Number.isNaN(Date.parse(v.expires_at))
  );
}

/**
 * The token file: read it, and replace it atomically (temp file in the same folder, fsync,
 * rename, fsync the folder), so a crash mid-write leaves the old or the new pair, never a
 * half-written file. The file is created with mode 0600 and its folder with 0700.
 */
export class TokenFile {
  constructor(readonly path: string) {}

  /** The stored tokens, or undefined when there is no file yet. A damaged file is an error. */
  async read(): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DashError('AUTH_REQUIRED', `cannot read the token file ${this.path}: ${(error as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isStoredTokens(parsed)) {
      throw new DashError('AUTH_REQUIRED', `the token file ${this.path} is damaged`);
    }
    return parsed;
  }

  /** Atomically (temp file, fsync, rename): a crash mid-write never loses the only valid token. */
  async write(tokens: StoredTokens): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  }
}
