import { DashError } from 'dash-core';
import type { ExitCode } from '../exit-codes.js';
import { parseMaxAgeOption } from '../option-values.js';
import type { GlobalOptions } from '../setup.js';
import { renderStatus, type StatusFormat } from '../status/formats.js';
import { statusFormatOf, StatusOptionError } from '../status/options.js';
import { runSnapshot, type SnapshotCommandOptions } from './snapshot.js';

export interface StatusCommandOptions extends GlobalOptions, Omit<SnapshotCommandOptions, 'json' | 'pretty' | 'render'> {
  format?: string;
  follow?: boolean;
  waybar?: boolean;
  polybar?: boolean;
  i3blocks?: boolean;
  tmux?: boolean;
  swiftbar?: boolean;
}

/** The options as a usage error says them (--waybar and --tmux, an unknown {field}). */
function formatOf(options: StatusCommandOptions): StatusFormat {
  try {
    return statusFormatOf(options as Record<string, unknown>);
  } catch (error) {
    if (error instanceof StatusOptionError) throw new DashError('USAGE', error.message, { hint: 'see dash-cli status --help' });
    throw error;
  }
}

/**
 * `dash-cli status`: one line for a status bar, from the same snapshot `snapshot` prints (the
 * cache when fresh, else one sync), in the chosen bar's format. The fast path (fast-read.ts)
 * answers from the cache before this module loads; --follow (follow.ts) usually starts there too.
 */
export async function runStatus(options: StatusCommandOptions): Promise<ExitCode> {
  const format = formatOf(options);
  if (options.follow) {
    if (options.at !== undefined) throw new DashError('USAGE', '--at and --follow contradict each other: --follow shows the clock as it runs', { hint: 'use one of them' });
    if (options.refresh) throw new DashError('USAGE', '--refresh and --follow contradict each other', { hint: '--follow syncs when the cache is older than --max-age' });
    const { followStatus, syncArgsOf } = await import('../status/follow.js');
    const followed = await followStatus({
      format,
      configFlag: options.config,
      demo: options.demo,
      offline: options.offline === true,
      maxAgeMs: parseMaxAgeOption(options.maxAge),
      syncArgs: syncArgsOf(options),
      write: (text) => process.stdout.write(text),
      warn: (text) => process.stderr.write(text),
    });
    if (followed !== 'session') return followed as ExitCode;
    return (await import('../status/follow-session.js')).followWithSession(options, format);
  }
  return runSnapshot({ ...options, render: (snapshot) => renderStatus(snapshot, format) });
}
