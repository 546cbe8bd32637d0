import { jsonText, type Snapshot } from 'dash-core/snapshot';

/**
 * The text `snapshot --json` prints for a snapshot (both its paths) and `serve`'s GET
 * /api/v1/snapshot answers: JSON with every control character escaped and one newline at the
 * end; indented for a person (`pretty`), compact for a program. Never masked: the snapshot holds
 * no secret (see the README's Output validity).
 */
export function snapshotJson(snapshot: Snapshot, options: { pretty: boolean }): string {
  return `${jsonText(snapshot, options.pretty ? 2 : 0)}\n`;
}

/**
 * Whether `snapshot --json` indents: on a terminal, or when `--pretty` asks; a pipe (a status
 * bar, jq, a script) gets one compact line.
 */
export function wantsPretty(pretty: boolean | undefined): boolean {
  return pretty === true || process.stdout.isTTY === true;
}
