import { readFileSync } from 'node:fs';
import { installKey, localDateOf, localHourOf, localIso, weekOf, type LoadedConfig } from 'dash-core';
import { makeWeekTable, referencedVars, snapshotConfigFileFor, snapshotConfigKey, systemTimeZone, systemZoneSource, writeSnapshotConfig } from 'dash-core/snapshot';

/** The weeks the fast path can serve: this one, the next (a status bar crossing midnight on Sunday) and --at's. */
function weekTableInstants(at: Date | undefined): number[] {
  const now = Math.floor(Date.now() / 1000);
  return [...(at ? [Math.floor(at.getTime() / 1000)] : []), now, now + 7 * 86_400];
}

/**
 * Saves what the cache-only paths (cached-snapshot.ts: the snapshot fast path, watch's first
 * frame) need from this config next to its cache:
 * settings, backend fingerprints, and a key that stops matching when the file, a variable it
 * references or the system zone changes (keyed with the install key: no secret can be guessed from it).
 */
export function saveSnapshotRecord(loaded: LoadedConfig, target: { file: string; fingerprints: Record<string, string> }, at: Date | undefined): void {
  const { config, text } = loaded;
  // A zone that differs from the system's came from the file; an equal one may be the default.
  const zoneDependent = config.timezone === systemTimeZone();
  const envVars = referencedVars(text);
  const key = snapshotConfigKey(config.file!, envVars, process.env, zoneDependent ? systemZoneSource() : '', envVars.length > 0 ? installKey() : undefined);
  // Edited since it was read: the key (of the file now) would not describe this config.
  if (key === undefined || readFileSync(config.file!, 'utf8') !== text) return;
  writeSnapshotConfig(snapshotConfigFileFor(config.file!), {
    format: 'dash-snapshot-config',
    version: 2,
    key,
    configFile: config.file!,
    cacheFile: target.file,
    envVars,
    zoneDependent,
    timezone: config.timezone,
    weekStart: config.weekStart,
    workdays: [...config.workdays],
    goals: config.goals,
    colors: config.colors,
    backends: config.backends.map((backend) => ({ id: backend.id, fingerprint: target.fingerprints[backend.id]! })),
    weekTable: makeWeekTable({ weekOf, localDateOf, localHourOf, localIso }, config.timezone, config.weekStart, weekTableInstants(at)),
    hasOutputs: config.outputs.length > 0,
  });
}

