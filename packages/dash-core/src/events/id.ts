import { createHash } from 'node:crypto';
import type { DashEventType } from './types.js';

/**
 * The id of an event: `evt_` + 32 hex digits of SHA-256 over its type and the facts that identify
 * the happening (never the instant it was noticed at), so every Dash process that sees the same
 * happening names it the same, and a receiver can deliver it once.
 */
export function eventId(type: DashEventType, facts: readonly (string | number | null)[]): string {
  return `evt_${createHash('sha256').update(JSON.stringify([type, ...facts])).digest('hex').slice(0, 32)}`;
}
