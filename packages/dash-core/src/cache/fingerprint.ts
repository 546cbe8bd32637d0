import { keyedDigest } from '../install-key.js';

/** What identifies a backend's data: its plugin and its options. */
export interface FingerprintInput {
  plugin: string;
  options: Record<string, unknown>;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * A digest of a [[backends]] entry: cached data of a backend whose plugin or options changed
 * (another workspace, another account, another token) is dropped instead of shown. The options
 * may hold secrets, so the digest is keyed with this install's random key (see installKey): the
 * cache file alone cannot confirm a guess of any value.
 */
export function backendFingerprint(backend: FingerprintInput, key: Buffer): string {
  return keyedDigest(key, JSON.stringify(canonical({ plugin: backend.plugin, options: backend.options })));
}
