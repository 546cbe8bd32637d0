import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Weekday } from '../calendar.js';
import type { Goals } from './core.js';
import type { WeekTable } from './week-table.js';
import { keyedDigest } from '../install-key.js';
import { sweepTemps, tempNameFor } from '../temp-files.js';
import { cacheDir } from '../cache/dir.js';

/**
 * The config record: what the read commands (`snapshot`, `status`, watch's first frame) need from
 * a validated config to build the week's snapshot from the cache, saved in the cache folder
 * (`config-record-<hash of the config path>.json`) whenever a command has loaded and checked the
 * config, so the next read loads neither TOML nor zod. It is used only while `key` matches: the config file's path, inode, size and
 * change times (ns), the locale variables, the system zone when the config may rely on it, and
 * an HMAC, under this install's random key (installKey), of the values of the environment
 * variables the config references: nothing stored here confirms a guess of a secret.
 */
export interface ConfigRecord {
  format: 'dash-config-record';
  version: 3;
  /** Undefined only in a record never saved: a demo, or a config without a file. */
  key: string | undefined;
  /** The config file it describes. */
  configFile: string;
  /** The cache file of that config (cacheFileFor). */
  cacheFile: string;
  /** Environment variables the config references (their values are part of `key`). */
  envVars: string[];
  /** True when the time zone may be the system's (the key then includes the system zone). */
  zoneDependent: boolean;
  timezone: string;
  weekStart: Weekday;
  workdays: Weekday[];
  goals: Goals;
  colors: Record<string, string>;
  /**
   * Configured backends in order: backendFingerprint() of each, and the plugin's name as a
   * source with nothing cached yet shows it.
   */
  backends: { id: string; fingerprint: string; plugin: string }[];
  /** This week's and next week's calendar in the config's zone (no ICU needed to read it). */
  weekTable: WeekTable;
  /** The config has [[outputs]]: `status --follow` then runs them, in a session of its own. */
  hasOutputs?: boolean;
}

const LOCALE_VARS = ['LANG', 'LANGUAGE', 'LC_ALL', 'LC_COLLATE', 'LC_MESSAGES'];

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)/g;

/** The names of the environment variables a config text references. */
export function referencedVars(text: string): string[] {
  return [...new Set([...text.matchAll(REFERENCE)].map((match) => match[1]!))].sort();
}

/**
 * The validity key of a record (undefined when the file cannot be read, or when the config
 * references environment variables and `installKey` is undefined). Nothing here needs
 * node:crypto (~3 ms to load) unless the config references environment variables.
 */
export function configRecordKey(
  file: string,
  envVars: readonly string[],
  env: NodeJS.ProcessEnv,
  systemZone: string,
  installKey: Buffer | undefined,
): string | undefined {
  let stat;
  try {
    stat = statSync(file, { bigint: true });
  } catch {
    return undefined;
  }
  let values = '';
  if (envVars.length > 0) {
    if (!installKey) return undefined;
    values = keyedDigest(installKey, JSON.stringify(envVars.map((name) => [name, env[name] ?? null])));
  }
  const locale = LOCALE_VARS.map((name) => env[name] ?? null);
  return JSON.stringify([file, `${stat.dev}:${stat.ino}`, `${stat.size}`, `${stat.mtimeNs}`, `${stat.ctimeNs}`, locale, systemZone, values]);
}

/** Where the record of a config file lives: its path's FNV-1a digest (checked on reading). */
export function configRecordFileFor(configFile: string, env: NodeJS.ProcessEnv = process.env): string {
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (let index = 0; index < configFile.length; index++) {
    const code = configFile.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193) >>> 0;
    high = Math.imul(high ^ code ^ (low >>> 7), 0x01000193) >>> 0;
  }
  return join(cacheDir(env), `config-record-${high.toString(16).padStart(8, '0')}${low.toString(16).padStart(8, '0')}.json`);
}

/** Reads a record; undefined when missing or unusable (never throws). */
export function readConfigRecord(file: string): ConfigRecord | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as ConfigRecord;
    if (value?.format !== 'dash-config-record' || value.version !== 3 || typeof value.key !== 'string' || typeof value.zoneDependent !== 'boolean') return undefined;
    if (!Array.isArray(value.backends) || !Array.isArray(value.workdays)) return undefined;
    if (typeof value.configFile !== 'string' || typeof value.cacheFile !== 'string' || !Array.isArray(value.envVars)) return undefined;
    if (typeof value.weekTable !== 'object' || value.weekTable === null || !Array.isArray(value.weekTable.weeks)) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** Writes a record atomically (temp file + rename) unless the same one is there; never throws. */
export function writeConfigRecord(file: string, record: ConfigRecord): void {
  const text = JSON.stringify(record);
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // missing: write it
  }
  const temp = tempNameFor(file);
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    sweepTemps(file);
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
