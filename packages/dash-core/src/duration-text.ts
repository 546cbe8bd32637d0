/** Duration text ("7h30m") parsing and formatting, without zod (the snapshot fast path uses it). */
const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
const DURATION_PATTERN = /^(?:(\d+(?:\.\d+)?)d)?\s*(?:(\d+(?:\.\d+)?)h)?\s*(?:(\d+(?:\.\d+)?)m)?\s*(?:(\d+(?:\.\d+)?)s)?$/;

/**
 * Parses "7h30m", "45m", "1d", "90s" or "2h 15m" into whole seconds.
 * Returns undefined for anything else (including the empty string).
 */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === '') return undefined;
  const match = DURATION_PATTERN.exec(trimmed);
  if (!match) return undefined;
  const units = ['d', 'h', 'm', 's'] as const;
  let seconds = 0;
  units.forEach((unit, index) => {
    const value = match[index + 1];
    if (value !== undefined) seconds += Number(value) * UNIT_SECONDS[unit]!;
  });
  return Math.round(seconds);
}

/** Formats whole seconds as "7h 30m" (or "45m", "0m"); seconds are dropped. */
export function formatDuration(totalSeconds: number): string {
  const sign = totalSeconds < 0 ? '-' : '';
  const minutes = Math.floor(Math.abs(totalSeconds) / 60);
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${sign}${rest}m`;
  return `${sign}${hours}h ${String(rest).padStart(2, '0')}m`;
}
