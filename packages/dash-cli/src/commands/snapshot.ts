import { buildSnapshot, DashError, parseDuration, type Snapshot } from 'dash-core';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { openSession, type GlobalOptions } from '../setup.js';
import { formatSummary } from '../summary.js';

export interface SnapshotCommandOptions extends GlobalOptions {
  json?: boolean;
  at?: string;
  timeout?: string;
}

/** Exit status for a snapshot: 4 when a backend needs sign-in, 3 when one failed, else 0. */
export function snapshotExitCode(snapshot: Snapshot): ExitCode {
  const failed = snapshot.sources.filter((source) => source.status === 'error' || source.status === 'rate-limited');
  if (failed.some((source) => source.error?.code === 'AUTH_REQUIRED')) return EXIT.auth;
  return failed.length > 0 ? EXIT.partial : EXIT.ok;
}

function parseAt(at: string | undefined): Date | undefined {
  if (at === undefined) return undefined;
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) {
    throw new DashError('USAGE', `--at "${at}" is not a date-time`, { hint: 'use ISO 8601, e.g. --at 2026-11-20T15:30:00Z' });
  }
  return date;
}

function parseTimeout(timeout: string | undefined): number {
  if (timeout === undefined) return 20_000;
  const seconds = parseDuration(timeout) ?? (/^\d+$/.test(timeout) ? Number(timeout) : undefined);
  if (seconds === undefined || seconds <= 0) {
    throw new DashError('USAGE', `--timeout "${timeout}" is not a duration`, { hint: 'e.g. --timeout 30s' });
  }
  return seconds * 1000;
}

/** `dash-cli snapshot`: sync every backend once, then print the snapshot. */
export async function runSnapshot(options: SnapshotCommandOptions): Promise<ExitCode> {
  const at = parseAt(options.at);
  const timeoutMs = parseTimeout(options.timeout);
  const now = () => at ?? new Date();
  const session = await openSession({ ...options, now });
  try {
    await session.host.syncOnce(session.host.currentWeek(), { timeoutMs });
  } finally {
    await session.host.stop();
  }
  const snapshot = buildSnapshot(session.store, {
    now: now(),
    timeZone: session.config.timezone,
    weekStart: session.config.weekStart,
    goals: session.config.goals,
    workdays: session.config.workdays,
    colors: session.config.colors,
  });
  const text = options.json ? JSON.stringify(snapshot, null, 2) : formatSummary(snapshot);
  process.stdout.write(`${session.redactor.redact(text)}\n`);
  const code = snapshotExitCode(snapshot);
  if (code !== EXIT.ok && options.json) {
    for (const source of snapshot.sources.filter((item) => item.error)) {
      process.stderr.write(`dash-cli: ${source.id}: ${source.error!.message}\n`);
    }
  }
  return code;
}
