/** Whole seconds since the epoch of an ISO instant (sub-second parts are dropped). */
export function toEpochSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** An ISO instant in UTC for whole epoch seconds. */
export function fromEpochSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
