import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DashError } from 'dash-core';

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

  async write(tokens: StoredTokens): Promise<void> {
    const folder = dirname(this.path);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(tokens, null, 2)}\n`, 'utf8');
      await handle.sync();
    } catch (error) {
      await handle.close();
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    try {
      // The umask cannot widen 0600 but an odd filesystem might ignore it: make sure.
      await chmod(temp, 0o600);
      await rename(temp, this.path);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    await syncFolder(folder);
  }
}

async function syncFolder(folder: string): Promise<void> {
  try {
    const handle = await open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not every platform can fsync a folder (Windows); the rename itself is still atomic.
  }
}
