import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Weekday } from '../calendar.js';
import type { Goals } from '../snapshot-core.js';
import type { WeekTable } from '../week-table.js';

/**
 * What `snapshot` needs from a config to print from the cache, saved next to the cache file
 * (`store-<hash>.config.json`) by the full path, so the fast path reads neither TOML nor zod.
 * It is used only while `key` matches: a digest of the config file's path and text, the values
 * of the environment variables it references and the system time zone. No secret is stored:
 * only the names of the variables whose values are redacted.
 */
export interface SnapshotConfigRecord {
  format: 'dash-snapshot-config';
  version: 1;
  key: string;
  /** True when the time zone may be the system's (the key then includes the system zone). */
  zoneDependent: boolean;
  timezone: string;
  weekStart: Weekday;
  workdays: Weekday[];
  goals: Goals;
  colors: Record<string, string>;
  /** Configured backends in order, with backendFingerprint() of each. */
  backends: { id: string; fingerprint: string }[];
  /** Environment variables whose values the config uses (redacted from output). */
  secretVars: string[];
  /** This week's and next week's calendar in the config's zone (no ICU needed to read it). */
  weekTable: WeekTable;
}

const LOCALE_VARS = ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_COLLATE', 'LC_MESSAGES'];

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)/g;

/** The names of the environment variables a config text references. */
export function referencedVars(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((match) => match[1]!))].sort();
}

/**
 * The validity key of a record: config path and text, referenced variables' values, and the
 * system zone when the config may rely on it ('' otherwise: finding it costs ICU's start-up).
 */
export function snapshotConfigKey(file: string, text: string, env: NodeJS.ProcessEnv, systemZone: string): string {
  // The locale variables too: they set ICU's collation (the table's key order).
  const vars = [...referencedVars(text), ...LOCALE_VARS].map((name) => [name, env[name] ?? null]);
  return createHash('sha256').update(JSON.stringify([file, text, vars, systemZone])).digest('hex');
}

/** Where the record of a cache file lives. */
export function snapshotConfigFileFor(cacheFile: string): string {
  return cacheFile.replace(/\.json$/, '') + '.config.json';
}

/** Reads a record; undefined when missing or unusable (never throws). */
export function readSnapshotConfig(file: string): SnapshotConfigRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as SnapshotConfigRecord;
    if (value?.format !== 'dash-snapshot-config' || value.version !== 1 || typeof value.key !== 'string' || typeof value.zoneDependent !== 'boolean') return undefined;
    if (!Array.isArray(value.backends) || !Array.isArray(value.secretVars) || !Array.isArray(value.workdays)) return undefined;
    if (typeof value.weekTable !== 'object' || value.weekTable === null || !Array.isArray(value.weekTable.weeks)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** Writes a record atomically (temp file + rename) unless the same one is there; never throws. */
export function writeSnapshotConfig(file: string, record: SnapshotConfigRecord): void {
  const text = JSON.stringify(record);
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // missing: write it
  }
  const temp = `${file}.${process.pid}-${Date.now().toString(36)}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, text, { mode: 0o600 });
    renameSync(temp, file);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing to remove
    }
  }
}
