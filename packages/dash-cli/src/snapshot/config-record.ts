import { readFileSync } from 'node:fs';
import { localDateOf, localHourOf, localIso, weekOf } from 'dash-core';
import { installKey, normalizePluginName, type LoadedConfig } from 'dash-core/host';
import { configRecordFileFor, configRecordKey, makeWeekTable, referencedVars, systemTimeZone, systemZoneSource, writeConfigRecord, type ConfigRecord, type SnapshotCalendar } from 'dash-core/snapshot';

/** The calendar of a loaded config's zone (ICU): what the record's week table is made of. */
export const INTL_CALENDAR: SnapshotCalendar = { weekOf, localDateOf, localHourOf, localIso };

/** The weeks the record's calendar holds: this one, the next (a status bar crossing midnight on Sunday) and --at's. */
function weekTableInstants(at: Date | undefined): number[] {
  const now = Math.floor(Date.now() / 1000);
  return [...(at ? [Math.floor(at.getTime() / 1000)] : []), now, now + 7 * 86_400];
}

/** How a source with nothing cached yet is named: the plugin's package, or its path as written. */
function pluginLabel(plugin: string): string {
  const name = normalizePluginName(plugin);
  return name.kind === 'package' ? name.specifier : plugin;
}

/**
 * The config record of a validated config (see dash-core's snapshot/config-record.ts): settings,
 * each backend's fingerprint, and the key that stops matching when the file, a variable it
 * references or the system zone changes (keyed with the install key: no secret can be guessed
 * from it). `key` is undefined when it cannot be computed (a demo, a config with no file).
 */
function configRecordOf(loaded: LoadedConfig, target: { file: string; fingerprints: Record<string, string> }, at: Date | undefined): ConfigRecord {
  const { config, text } = loaded;
  // A zone that differs from the system's came from the file; an equal one may be the default.
  const zoneDependent = config.timezone === systemTimeZone();
  const envVars = referencedVars(text);
  const key =
    config.file === undefined
      ? undefined
      : configRecordKey(config.file, envVars, process.env, zoneDependent ? systemZoneSource() : '', envVars.length > 0 ? installKey() : undefined);
  return {
    format: 'dash-config-record',
    version: 3,
    key,
    configFile: config.file ?? '',
    cacheFile: target.file,
    envVars,
    zoneDependent,
    timezone: config.timezone,
    weekStart: config.weekStart,
    workdays: [...config.workdays],
    goals: config.goals,
    colors: config.colors,
    backends: config.backends.map((backend) => ({ id: backend.id, fingerprint: target.fingerprints[backend.id]!, plugin: pluginLabel(backend.plugin) })),
    weekTable: makeWeekTable(INTL_CALENDAR, config.timezone, config.weekStart, weekTableInstants(at)),
    hasOutputs: config.outputs.length > 0,
  };
}

/**
 * Saves the config record next to the cache, so the next read command (cached-week.ts:
 * `snapshot`, `status`, watch's first frame) needs neither TOML nor zod, and returns it. Nothing is
 * saved for a demo or a config without a file, nor for a config edited since it was read (the key,
 * of the file now, would not describe it).
 */
export function saveConfigRecord(loaded: LoadedConfig, target: { file: string; fingerprints: Record<string, string> }, at: Date | undefined, settings: { save?: boolean } = {}): ConfigRecord {
  const record = configRecordOf(loaded, target, at);
  if (settings.save !== false && record.key !== undefined && readFileSync(loaded.config.file!, 'utf8') === loaded.text) {
    writeConfigRecord(configRecordFileFor(record.configFile), record);
  }
  return record;
}
