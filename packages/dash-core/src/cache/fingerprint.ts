import { createHash } from 'node:crypto';

/** What identifies a backend's data: its plugin and its options (secrets left out). */
export interface FingerprintInput {
  plugin: string;
  options: Record<string, unknown>;
}

function canonical(value: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return secrets.has(value) ? '<secret>' : value;
  if (Array.isArray(value)) return value.map((item) => canonical(item, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key], secrets)]),
    );
  }
  return value;
}

/**
 * A short digest of a [[backends]] entry. Cached data of a backend whose plugin or options
 * changed (another workspace, another account) is dropped instead of shown. Values that are
 * secrets (taken from the environment) are left out, so rotating a token keeps the cache and
 * nothing derived from a secret is written to disk.
 */
export function backendFingerprint(backend: FingerprintInput, secrets: readonly string[] = []): string {
  const text = JSON.stringify(canonical({ plugin: backend.plugin, options: backend.options }, new Set(secrets)));
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
