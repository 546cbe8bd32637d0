import { readFileSync, readlinkSync } from 'node:fs';

/** The zone this machine runs in. */
export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * What the system zone is derived from, without starting ICU (~8 MB and a few ms): the TZ
 * variable and where /etc/localtime points, with /etc/timezone. Two processes that get the same
 * text get the same systemTimeZone(), so the cache-only read path keys its record on this (a
 * change of either is noticed) instead of asking ICU on every call.
 */
export function systemZoneSource(env: NodeJS.ProcessEnv = process.env): string {
  const read = (probe: () => string) => {
    try {
      return probe();
    } catch {
      return '';
    }
  };
  return JSON.stringify([env.TZ ?? null, read(() => readlinkSync('/etc/localtime')), read(() => readFileSync('/etc/timezone', 'utf8').trim())]);
}
