/** Whole seconds since the epoch of an ISO instant (sub-second parts are dropped). */
export function toEpochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/**
 * An ISO instant in UTC for whole epoch seconds. Seconds a Date cannot hold (NaN, beyond
 * ±8.64e12 s) give a text no instant check accepts instead of throwing, so a backend's bad
 * entry is rejected alone where entries are validated (the store), not in the middle of a sync.
 */
export function fromEpochSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) return `not an instant (${seconds} s)`;
  return date.toISOString().replace('.000Z', 'Z');
}
