import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServeToken {
  token: string;
  /** Where it came from: only an explicit one ("env", "config") may guard a non-loopback address. */
  origin: 'env' | 'config' | 'generated';
}

/** Tokens at least this long are accepted from the environment (the config's schema checks its own). */
const MIN_LENGTH = 16;

/**
 * The token serve wants: $DASH_SERVE_TOKEN, else `[serve] token`, else the one generated on the
 * first start and kept in `<data dir>/serve-token` (mode 0600), so a browser's cookie outlives
 * a restart. Returns an error message instead when $DASH_SERVE_TOKEN is too short.
 */
export function resolveToken(env: NodeJS.ProcessEnv, configured: string | undefined, dataDir: string): ServeToken | { error: string } {
  const fromEnv = env.DASH_SERVE_TOKEN;
  if (fromEnv !== undefined && fromEnv !== '') {
    return fromEnv.length >= MIN_LENGTH ? { token: fromEnv, origin: 'env' } : { error: `DASH_SERVE_TOKEN must be at least ${MIN_LENGTH} characters` };
  }
  if (configured !== undefined) return { token: configured, origin: 'config' };
  const file = join(dataDir, 'serve-token');
  try {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length >= MIN_LENGTH) return { token: kept, origin: 'generated' };
  } catch {
    // None yet: generate one below.
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, origin: 'generated' };
}

/** Loopback addresses: anything else needs an explicitly configured token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
