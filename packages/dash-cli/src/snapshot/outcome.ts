import { terminalText, type Snapshot } from 'dash-core/snapshot';

/** What stderr says of a snapshot read from the cache, besides its sources' errors (cached-week.ts). */
export interface ReadNotes {
  /** Why an unusable cache was ignored. */
  warning?: string | undefined;
  /** Backends with nothing cached yet (`--offline` shows them as never synced). */
  missing?: readonly string[];
}

/**
 * A snapshot's exit code (4: a backend needs sign-in, 3: one failed or has nothing cached, else 0)
 * and the stderr lines that say why: a cache that was ignored, each failing source's message and
 * its hint, the sources with nothing cached. Every read command prints exactly this.
 */
export function snapshotOutcome(snapshot: Snapshot, notes: ReadNotes = {}): { stderr: string; code: 0 | 3 | 4 } {
  const failed = snapshot.sources.filter((source) => source.status === 'error' || source.status === 'rate-limited');
  const missing = notes.missing ?? [];
  const code = failed.some((source) => source.error?.code === 'AUTH_REQUIRED') ? 4 : failed.length > 0 || missing.length > 0 ? 3 : 0;
  const lines = [
    ...(notes.warning ? [`dash-cli: warning: ${notes.warning}`] : []),
    ...(failed.length === 0 ? [] : snapshot.sources).flatMap((source) =>
      source.error
        ? [`dash-cli: ${terminalText(`${source.id}: ${source.error.message}`)}`, ...(source.error.hint ? [`hint: ${terminalText(source.error.hint)}`] : [])]
        : [],
    ),
    ...(missing.length > 0
      ? [`dash-cli: no cached data for ${missing.join(', ')} yet (--offline never syncs); run \`dash-cli snapshot\` once without --offline`]
      : []),
  ];
  return { stderr: lines.map((line) => `${line}\n`).join(''), code };
}
