import { jsonText, type Snapshot } from 'dash-core/snapshot';

/**
 * The text `snapshot --json` prints for a snapshot (both its paths) and `serve`'s GET
 * /api/v1/snapshot answers: indented JSON, every control character escaped, one newline at the
 * end. Never masked: the snapshot holds no secret (see the README's Output validity).
 */
export function snapshotJson(snapshot: Snapshot): string {
  return `${jsonText(snapshot)}\n`;
}
