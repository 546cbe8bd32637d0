import { terminalText, type Snapshot } from 'dash-core/snapshot';

/**
 * A snapshot's exit code (4: a backend needs sign-in, 3: one failed, else 0) and the stderr lines
 * that say why, each failing source's message and its hint: every read command, both paths.
 */
export function snapshotOutcome(snapshot: Snapshot): { stderr: string; code: 0 | 3 | 4 } {
  const failed = snapshot.sources.filter((source) => source.status === 'error' || source.status === 'rate-limited');
  const code = failed.some((source) => source.error?.code === 'AUTH_REQUIRED') ? 4 : failed.length > 0 ? 3 : 0;
  if (code === 0) return { stderr: '', code };
  const lines = snapshot.sources.flatMap((source) =>
    source.error
      ? [`dash-cli: ${terminalText(`${source.id}: ${source.error.message}`)}`, ...(source.error.hint ? [`hint: ${terminalText(source.error.hint)}`] : [])]
      : [],
  );
  return { stderr: lines.map((line) => `${line}\n`).join(''), code };
}
