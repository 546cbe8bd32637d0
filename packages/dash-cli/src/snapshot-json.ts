import type { Snapshot } from 'dash-core';

/**
 * The text `snapshot --json` prints for a snapshot: indented JSON, secrets masked, one newline at
 * the end. `serve`'s GET /api/v1/snapshot answers the same bytes.
 */
export function snapshotJson(snapshot: Snapshot, redact: (text: string) => string): string {
  return `${redact(JSON.stringify(snapshot, null, 2))}\n`;
}
